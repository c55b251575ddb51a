/**
 * Benchmark of the file store on a fleet-sized world: 1,000 HSMs (~2 KB each), 125 HAPGs and
 * 2,000 clients (~1.5 KB each). Measures a full read (first in a process, and with the text cache
 * warm), a one-document mutation (one after another, so the documents stay in memory between
 * them), the bytes that mutation writes to documents and to the log, and the replay of a log
 * left by a process that died. Run with `npx tsx bench/store.ts` (takes ~10 s, including a 2 s
 * pause for the files to settle).
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { checkpointStores } from '../src/emulator/store/index.js';
import { LOG_FILE } from '../src/emulator/store/format.js';
import { rollForward } from '../src/emulator/store/recover.js';
import { openStore } from '../src/emulator/store/store.js';
import { formatRows, median, round, type Row } from './table.js';
import type { Json } from '../src/emulator/store/types.js';

export type { Row } from './table.js';
export { formatRows } from './table.js';

const HSMS = 1_000;
const HAPGS = 125;
const CLIENTS = 2_000;
const RUNS = 7;

/** Measures the store on a fresh temporary state directory, which it removes afterwards. */
export async function benchStore(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hsmctl-bench-store-'));
  try {
    const store = openStore(dir);
    const populateMs = await timed(() => store.mutate(populate));
    await checkpointStores(); // the world in its documents alone, as a finished command leaves it
    const files = await fileSizes(dir);
    const coldReadMs = await timed(() => openStore(dir).read());
    // The text cache only trusts files whose ctime is 2 s older than the read: let them settle.
    await delay(2_100);
    await store.read();
    await store.read();
    const readMs = await median(RUNS, () => store.read());
    const before = await fileStamps(dir);
    let flips = 0;
    const mutateMs = await median(RUNS, () =>
      store.mutate((s) => {
        flips += 1;
        const hsm = s.collections.hsms?.['hsm-00000042'] as { [key: string]: Json };
        hsm.status = flips % 2 === 0 ? 'RUNNING' : 'DEGRADED';
      }),
    );
    const after = await fileStamps(dir);
    const rewritten = [...after].filter(([path, stamp]) => path !== 'txn.log' && before.get(path) !== stamp).map(([path]) => path);
    const bytesPerMutation = rewritten.reduce((sum, path) => sum + (files.get(path) ?? 0), 0);
    const logBefore = (await fileSizes(dir)).get('txn.log') ?? 0;
    await store.mutate((s) => void ((s.collections.hsms?.['hsm-00000042'] as { [key: string]: Json }).status = 'RUNNING'));
    const logBytes = ((await fileSizes(dir)).get('txn.log') ?? 0) - logBefore;
    const replayMs = await replayOfDeadProcessLog(dir);
    return [
      { name: 'store: documents', value: files.size, unit: 'files' },
      { name: 'store: world size on disk', value: sum(files.values()), unit: 'bytes' },
      { name: 'store: populate (one transaction)', value: populateMs, unit: 'ms' },
      { name: 'store: read(), first in the process (a CLI command)', value: coldReadMs, unit: 'ms' },
      { name: `store: read(), text cache warm, median of ${RUNS}`, value: round(readMs), unit: 'ms' },
      { name: `store: one-document mutate() median of ${RUNS}`, value: round(mutateMs), unit: 'ms' },
      { name: 'store: documents rewritten by that mutation', value: rewritten.length, unit: 'files' },
      { name: 'store: bytes of documents written by that mutation', value: bytesPerMutation, unit: 'bytes' },
      { name: 'store: bytes that mutation appends to the log', value: Math.round(logBytes), unit: 'bytes' },
      { name: 'store: bytes a single-file world would rewrite', value: sum(files.values()), unit: 'bytes' },
      { name: `store: replay of a log a dead process left (${REPLAYED} transactions over 10 documents)`, value: replayMs, unit: 'ms' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const REPLAYED = 1_000;

/**
 * The time the next process takes to roll forward a log of `REPLAYED` committed transactions,
 * each changing one of 10 HSM documents, left by a process that died before its checkpoint.
 */
async function replayOfDeadProcessLog(dir: string): Promise<number> {
  await checkpointStores();
  const hsms = (await openStore(dir).read()).collections.hsms!;
  const lines: string[] = [];
  for (let i = 0; i < REPLAYED; i++) {
    const id = `hsm-${(i % 10).toString(16).padStart(8, '0')}`;
    const txn = { formatVersion: 1, writes: { [`hsms/${id}.json`]: { ...(hsms[id] as object), failedSoLogins: i } }, deletes: [], createCollections: [], removeCollections: [] };
    lines.push(`${JSON.stringify(txn)}\n`);
  }
  await writeFile(join(dir, LOG_FILE), lines.join(''));
  return timed(() => rollForward(dir));
}

/** A world of the benchmark's size, with documents shaped like the emulator's. */
export function populate(s: { collections: { [c: string]: { [id: string]: Json } } }): void {
  const hsms: { [id: string]: Json } = {};
  const hapgs: { [id: string]: Json } = {};
  const clients: { [id: string]: Json } = {};
  const hex = (n: number, width = 8): string => n.toString(16).padStart(width, '0');
  for (let i = 0; i < HSMS; i += 1) {
    hsms[`hsm-${hex(i)}`] = {
      arn: `arn:aws:cloudhsm:eu-west-1:123456789012:hsm-${hex(i)}`,
      serial: String(500000 + i),
      eniId: `eni-${hex(i * 7919)}`,
      eniIp: `10.0.${Math.floor(i / 250)}.${i % 250}`,
      subnetId: `subnet-${hex(i % 3)}`,
      availabilityZone: `eu-west-1${'abc'[i % 3]}`,
      status: 'RUNNING',
      softwareVersion: '5.3.13',
      vendor: 'SafeNet',
      label: `hsm-${i}`,
      cloningDomainHash: { salt: hex(i * 31, 32), hash: hex(i * 17, 64) },
      soPasswordHash: { salt: hex(i * 37, 32), hash: hex(i * 13, 64) },
      failedSoLogins: 0,
      power: 'on',
      network: 'up',
      serverCertificate: { fingerprint: hex(i * 101, 64), notAfter: '2030-01-01T00:00:00Z' },
      partitions: Array.from({ length: 2 }, (_, p) => ({
        name: `hapg-${hex(p)}_${500000 + i}`,
        serial: `${500000 + i}00${p}`,
        passwordHash: { salt: hex(p, 32), hash: hex(i + p, 64) },
        objects: [{ handle: 1, label: `key-${p}`, class: 'CKO_SECRET_KEY', keyType: 'CKK_AES' }],
      })),
      clients: [{ id: `client-${hex(i)}`, hostname: `app-${i}.internal`, fingerprint: hex(i * 3, 64) }],
      tags: { env: 'prod', team: 'payments' },
    };
  }
  for (let g = 0; g < HAPGS; g += 1) {
    hapgs[`hapg-${hex(g)}`] = {
      arn: `arn:aws:cloudhsm:eu-west-1:123456789012:hapg-${hex(g)}`,
      label: `group-${g}`,
      virtualSerial: String(1_700_000 + g),
      members: Array.from({ length: 8 }, (_, m) => `hsm-${hex((g * 8 + m) % HSMS)}`),
      clients: [`client-${hex(g)}`],
    };
  }
  for (let c = 0; c < CLIENTS; c += 1) {
    clients[`client-${hex(c)}`] = {
      arn: `arn:aws:cloudhsm:eu-west-1:123456789012:client-${hex(c)}`,
      name: `app-${c}`,
      certificateFingerprint: hex(c * 3, 64),
      trustedServers: Array.from({ length: 4 }, (_, t) => ({ ip: `10.0.0.${t}`, fingerprint: hex(c + t, 64) })),
      hapgs: [`hapg-${hex(c % HAPGS)}`],
      ha: { autoRecovery: true, retry: 3, intervalSeconds: 60 },
      memberStatus: Array.from({ length: 4 }, (_, m) => ({ serial: String(500000 + m), state: 'up', attempts: 0 })),
      tags: { env: 'prod' },
    };
  }
  s.collections.hsms = hsms;
  s.collections.hapgs = hapgs;
  s.collections.clients = clients;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return round(performance.now() - start);
}

/** Every file under `dir` (one level of collections) mapped to a value derived from its stat. */
async function walk(dir: string, pick: (info: { size: number; mtimeNs: bigint; ino: bigint }) => string | number): Promise<Map<string, string | number>> {
  const out = new Map<string, string | number>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path, { bigint: true });
    out.set(path.slice(dir.length + 1), pick({ size: Number(info.size), mtimeNs: info.mtimeNs, ino: info.ino }));
  }
  return out;
}

async function fileSizes(dir: string): Promise<Map<string, number>> {
  return (await walk(dir, (i) => i.size)) as Map<string, number>;
}

async function fileStamps(dir: string): Promise<Map<string, string>> {
  return (await walk(dir, (i) => `${i.ino}:${i.mtimeNs}`)) as Map<string, string>;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await benchStore();
  process.stdout.write(`${formatRows(rows)}\n`);
}
