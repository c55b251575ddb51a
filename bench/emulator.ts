/**
 * Benchmark of the emulated world at fleet size: 1,000 HSMs, 125 HAPGs of 8 members, 2,000
 * clients. A block of 8 HSMs / 1 HAPG / 16 clients is built through the driver (the real
 * procedure), then copied 125 times with fresh ids and serials into a file store. Measures a
 * `describe()` of the whole world (what every plan pays: read from the files, and in the process
 * that wrote them), one mutation on it (`fail` + `restore` of one HSM) and the files that mutation
 * rewrites. Run with `npx tsx bench/emulator.ts`.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEmulator, openEmulator } from '../src/emulator/index.js';
import { memoryStore } from '../src/emulator/store/memory.js';
import { checkpointStores } from '../src/emulator/store/index.js';
import { openStore } from '../src/emulator/store/store.js';
import type { Json, Snapshot } from '../src/emulator/store/types.js';
import { managedTags } from '../src/fleet/tags.js';
import { formatRows, median as medianOf, type Row } from './table.js';

const BLOCKS = 125;
const HSMS_PER_BLOCK = 8;
const CLIENTS_PER_BLOCK = 16;
const RUNS = 5;

/** Builds one block through the driver, as the manual procedure would. */
async function buildBlock(): Promise<Snapshot> {
  const store = memoryStore();
  const emu = createEmulator(store, { seed: 'bench' });
  const secret = { cloningDomain: 'bench-domain', soPassword: 'bench-so', partitionPassword: 'bench-pp' };
  const hsmArns: string[] = [];
  for (let i = 0; i < HSMS_PER_BLOCK; i++) {
    const { hsmArn } = await emu.createHsm({ clientToken: `t${i}`, availabilityZone: i % 2 ? 'us-east-1b' : 'us-east-1a', tags: managedTags(`h${i}`) });
    await emu.initializeHsm({ hsmArn, label: `h${i}`, cloningDomain: secret.cloningDomain, soPassword: secret.soPassword });
    hsmArns.push(hsmArn);
  }
  const { hapgArn } = await emu.createHapg({ label: 'g', tags: managedTags('g') });
  for (const hsmArn of hsmArns) await emu.addHsmToHapg({ hsmArn, hapgArn, ...secret });
  for (let c = 0; c < CLIENTS_PER_BLOCK; c++) {
    const name = `c${String(c).padStart(2, '0')}x`;
    await emu.createCert(name);
    const { clientArn } = await emu.createClient({ name, tags: managedTags(name) });
    await emu.registerClientToHapg({ clientArn, hapgArn });
    await emu.getClientConfiguration({ clientArn, hapgArns: [hapgArn] });
  }
  return store.read();
}

/** Every id-like string of a block that must be unique per copy. */
function identities(block: Snapshot): string[] {
  const text = JSON.stringify(block.collections);
  const ids = new Set<string>([
    ...(text.match(/(?:hsm|hapg|client|eni)-[0-9a-f]{8}/g) ?? []),
    ...(text.match(/c\d\dx/g) ?? []),
  ]);
  for (const doc of Object.values(block.collections.hsms ?? {})) ids.add(String((doc as { serial: string }).serial));
  return [...ids].sort((a, b) => b.length - a.length);
}

/** The block copied `BLOCKS` times with fresh identities. */
function multiply(block: Snapshot): Snapshot {
  const ids = identities(block);
  const pattern = new RegExp(ids.map((s) => s.replace(/[-]/g, '\\-')).join('|'), 'g');
  const world: Snapshot = { meta: block.meta, collections: {} };
  for (let b = 0; b < BLOCKS; b++) {
    const rename = new Map(ids.map((id, i) => [id, fresh(id, b, i)]));
    for (const [collection, docs] of Object.entries(block.collections)) {
      const target = (world.collections[collection] ??= {});
      for (const [id, doc] of Object.entries(docs)) {
        const text = JSON.stringify(doc).replace(pattern, (m) => rename.get(m) ?? m);
        target[id.replace(pattern, (m) => rename.get(m) ?? m)] = JSON.parse(text) as Json;
      }
    }
  }
  return world;
}

function fresh(id: string, block: number, index: number): string {
  const n = block * 1000 + index;
  if (/^\d+$/.test(id)) return String(100000 + n * 7).slice(0, id.length).padStart(id.length, '9');
  if (/^c\d\dx$/.test(id)) return `${id}${block}`;
  const prefix = id.slice(0, id.lastIndexOf('-') + 1);
  return `${prefix}${n.toString(16).padStart(8, '0')}`;
}

const median = (fn: () => unknown) => medianOf(RUNS, fn);

/** Measures describe and one mutation of a 1,000-HSM world in a fresh state directory. */
export async function benchEmulator(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hsmctl-bench-emu-'));
  try {
    const world = multiply(await buildBlock());
    await openStore(dir).mutate((s) => {
      s.meta = world.meta;
      s.collections = world.collections;
    });
    const inMemoryMs = await median(() => openEmulator(dir).describe());
    await checkpointStores(); // from here on, the world is in its files alone, as after a command
    const emu = openEmulator(dir);
    const fleet = await emu.describe();
    const target = fleet.hsms[500]!.arn;
    const describeMs = await median(() => openEmulator(dir).describe());
    const before = new Map(listFiles(dir).map((f) => [f, 0]));
    for (const f of before.keys()) before.set(f, (await stat(f)).mtimeMs);
    const mutateMs = await median(async () => {
      await emu.fail(target, 'network');
      await emu.restore(target);
    });
    let rewritten = 0;
    for (const [f, mtime] of before) if ((await stat(f)).mtimeMs !== mtime) rewritten++;
    return [
      { name: `emulator: world of ${fleet.hsms.length} HSMs / ${fleet.hapgs.length} HAPGs / ${fleet.clients.length} clients`, value: before.size, unit: 'files' },
      { name: 'emulator: describe() of the whole world, read from its files', value: Math.round(describeMs), unit: 'ms' },
      { name: 'emulator: describe() in the process that wrote it (documents in memory)', value: Math.round(inMemoryMs), unit: 'ms' },
      { name: 'emulator: one mutation (fail or restore one HSM)', value: Math.round(mutateMs / 2), unit: 'ms' },
      { name: 'emulator: files rewritten by those mutations', value: rewritten, unit: 'files' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatRows(await benchEmulator()));
}
