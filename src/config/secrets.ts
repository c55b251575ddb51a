import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from './diagnostic.js';
import { diagnosticAt } from './entries.js';
import type { Entries, Entry } from './entries.js';
import { Secret } from './secret.js';
import type { SecretRef } from './secret.js';

/** The fields that hold secret references, per kind of item. */
export const SECRET_FIELDS = {
  hsms: ['cloningDomain', 'soPassword', 'sshPublicKey'],
  hapgs: ['partitionPassword'],
} as const;

type FileRead = { ok: true; value: string } | { ok: false; code: string };

/**
 * Resolves every well-formed secret reference into a `Secret` stored on its entry, and reports
 * the ones that do not resolve: an unset or empty variable, a missing, unreadable or empty file.
 * `{ file }` paths are relative to the YAML file that names them; one trailing newline is
 * dropped. Malformed references are left to the schema's messages. Messages name the
 * reference, never a value.
 */
export function resolveSecrets(entries: Entries, env: Record<string, string | undefined>): Diagnostic[] {
  // Within one load, a secret file is read once, and one reference resolves to one (immutable)
  // Secret however many items name it; nothing is kept for the next load.
  const reads = new Map<string, FileRead>();
  const paths = new Map<string, string>();
  const secrets = new Map<string, Secret>();
  const out: Diagnostic[] = [];
  const visit = (entry: Entry, field: string) => {
    const ref = referenceOf(entry.value[field]);
    if (ref === undefined) return;
    if ('env' in ref) {
      const value = env[ref.env];
      if (value === undefined) out.push(diagnosticAt(entry, 'error', [field, 'env'], `environment variable ${ref.env} is not set`));
      else if (value === '') out.push(diagnosticAt(entry, 'error', [field, 'env'], `environment variable ${ref.env} is empty`));
      else (entry.secrets ??= new Map()).set(field, shared(secrets, `env\0${ref.env}`, value, ref));
      return;
    }
    const written = `${entry.file.dir}\0${ref.file}`;
    let abs = paths.get(written);
    if (abs === undefined) {
      abs = resolve(entry.file.dir, ref.file);
      paths.set(written, abs);
    }
    let read = reads.get(abs);
    if (read === undefined) {
      read = readSecretFile(abs);
      reads.set(abs, read);
    }
    if (!read.ok) out.push(diagnosticAt(entry, 'error', [field, 'file'], fileProblem(ref.file, read.code)));
    else if (read.value === '') out.push(diagnosticAt(entry, 'error', [field, 'file'], `secret file ${ref.file} is empty`));
    else (entry.secrets ??= new Map()).set(field, shared(secrets, `file\0${abs}\0${ref.file}`, read.value, ref));
  };
  for (const entry of entries.hsms) for (const field of SECRET_FIELDS.hsms) visit(entry, field);
  for (const entry of entries.hapgs) for (const field of SECRET_FIELDS.hapgs) visit(entry, field);
  return out;
}

/** The Secret of a reference (keyed by what it names and how it is written), made on first use. */
function shared(secrets: Map<string, Secret>, key: string, value: string, ref: SecretRef): Secret {
  let secret = secrets.get(key);
  if (secret === undefined) {
    secret = new Secret(value, ref);
    secrets.set(key, secret);
  }
  return secret;
}

/** A reference the schema accepts (exactly one of a variable name or a non-empty path), else undefined. */
function referenceOf(value: unknown): SecretRef | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.env === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(record.env)) return { env: record.env };
  if (typeof record.file === 'string' && record.file !== '') return { file: record.file };
  return undefined;
}

function readSecretFile(abs: string): FileRead {
  try {
    const text = readFileSync(abs, 'utf8');
    return { ok: true, value: text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text };
  } catch (err) {
    return { ok: false, code: (err as NodeJS.ErrnoException).code ?? 'error' };
  }
}

function fileProblem(path: string, code: string): string {
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return `secret file ${path} not found`;
    case 'EISDIR':
      return `secret file ${path} is a directory`;
    default:
      return `secret file ${path} cannot be read (${code})`;
  }
}
