import { formatPath } from './diagnostic.js';
import { strings, text } from './entries.js';
import type { Entries, Entry } from './entries.js';
import { effectivePolicy } from './policy.js';
import type { Secret } from './secret.js';
import type { AutoRecoveryPolicy, DesiredClient, DesiredFleet, DesiredHapg, DesiredHsm, SourceRef } from './types.js';
import { InternalError } from '../errors.js';

function sourceOf(entry: Entry): SourceRef {
  return { file: entry.file.display, ...entry.file.locate(entry.segs), path: formatPath(entry.segs) };
}

function secret(entry: Entry, field: string): Secret {
  const value = entry.secrets?.get(field);
  if (value === undefined) throw new InternalError(`${formatPath([...entry.segs, field])} has no resolved secret`);
  return value;
}

function hsmOf(entry: Entry): DesiredHsm {
  const name = text(entry, 'name') ?? '';
  const hsm: DesiredHsm = {
    name,
    availabilityZone: text(entry, 'availabilityZone') ?? '',
    label: text(entry, 'label') ?? name,
    cloningDomain: secret(entry, 'cloningDomain'),
    soPassword: secret(entry, 'soPassword'),
    protect: entry.value.protect === true,
    source: sourceOf(entry),
  };
  const subnetId = text(entry, 'subnetId');
  if (subnetId !== undefined) hsm.subnetId = subnetId;
  const sshPublicKey = entry.secrets?.get('sshPublicKey');
  if (sshPublicKey !== undefined) hsm.sshPublicKey = sshPublicKey;
  const syslogIp = text(entry, 'syslogIp');
  if (syslogIp !== undefined) hsm.syslogIp = syslogIp;
  return hsm;
}

function hapgOf(entry: Entry): DesiredHapg {
  return {
    label: text(entry, 'label') ?? '',
    members: strings(entry, 'members').map((m) => m.value),
    partitionPassword: secret(entry, 'partitionPassword'),
    source: sourceOf(entry),
  };
}

function clientOf(entry: Entry, global: AutoRecoveryPolicy | undefined): DesiredClient {
  return {
    name: text(entry, 'name') ?? '',
    hapgs: strings(entry, 'hapgs').map((h) => h.value),
    autoRecovery: effectivePolicy(entry.value.autoRecovery, global),
    source: sourceOf(entry),
  };
}

/**
 * The desired fleet of a configuration that has no errors: defaults filled (label = name,
 * protect = false, each client's effective autoRecovery policy), secrets resolved.
 */
export function buildFleet(entries: Entries, global: AutoRecoveryPolicy | undefined, files: string[]): DesiredFleet {
  return {
    hsms: entries.hsms.map(hsmOf),
    hapgs: entries.hapgs.map(hapgOf),
    clients: entries.clients.map((c) => clientOf(c, global)),
    autoRecovery: global,
    files,
  };
}
