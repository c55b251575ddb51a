import { createHash } from 'node:crypto';
import { drawBytes } from './ids.js';
import type { CertificateDoc, WorldMeta } from './types.js';

/**
 * Certificates of the emulated world (the appliance's `server.pem`, the client's
 * `<name>.pem`). They look like PEM X.509 certificates and have a real SHA-256 fingerprint of
 * their DER bytes, but the body is drawn from the world's id source rather than signed: nothing
 * in the emulation verifies signatures, only fingerprints.
 */

const DER_LENGTH = 600;

/** A new certificate. */
export function makeCertificate(meta: WorldMeta): CertificateDoc {
  const body = drawBytes(meta, DER_LENGTH);
  // A DER SEQUENCE header with a two-byte length, as real certificates of this size start.
  body[0] = 0x30;
  body[1] = 0x82;
  body.writeUInt16BE(DER_LENGTH - 4, 2);
  const base64 = body.toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return {
    pem: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
    fingerprint: fingerprintOf(body),
  };
}

/** `AB:CD:…` SHA-256 fingerprint of DER bytes (as `openssl x509 -fingerprint -sha256` prints). */
export function fingerprintOf(der: Buffer): string {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return (hex.match(/../g) ?? []).join(':');
}
