import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The size of a generated fleet. */
export interface FleetSize {
  /** Number of HSMs, dealt round-robin into the HAPGs (at most 16 members each are listed). */
  hsms: number;
  /** Number of HAPGs. */
  hapgs: number;
  /** Number of clients, each registered to one HAPG (every third to two). */
  clients: number;
  /** How many files each list is split over (default 8). */
  filesPerList?: number;
}

/** A generated configuration: its directory, its YAML files and the environment its secrets need. */
export interface GeneratedFleet {
  /** The configuration directory (pass it to `loadConfig`). */
  dir: string;
  /** The YAML files written, absolute, in the order the loader reads them. */
  files: string[];
  /** The environment the `{ env }` secrets resolve in. */
  env: Record<string, string>;
}

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

function chunks<T>(items: T[], count: number): T[][] {
  const size = Math.max(1, Math.ceil(items.length / count));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Writes a valid configuration of the given size into `dir`, laid out as a team would: HSMs,
 * HAPGs and clients each split over several files in their own folders, the global autoRecovery
 * policy in one file. HSMs are dealt round-robin into HAPGs and zones, so every group spans zones
 * and (from two HSMs per group) draws no warning; each group has its own cloning domain in a
 * `{ file }` secret; SO and partition passwords are `{ env }` secrets returned in `env`. Every
 * tenth client overrides the global policy.
 */
export async function generateFleetYaml(dir: string, size: FleetSize): Promise<GeneratedFleet> {
  const per = size.filesPerList ?? 8;
  const files: string[] = [];
  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    if (/\.ya?ml$/.test(name)) files.push(path);
  };
  const groupOf = (i: number) => i % Math.max(1, size.hapgs);

  for (let g = 0; g < size.hapgs; g++) await write(`secrets/domain-${g}.txt`, `bench-domain-${g}\n`);

  const hsms = Array.from({ length: size.hsms }, (_, i) => i);
  for (const [f, part] of chunks(hsms, per).entries()) {
    const body = part.map((i) => [
      `  - name: hsm-${i}`,
      `    availabilityZone: ${ZONES[Math.floor(i / Math.max(1, size.hapgs)) % ZONES.length]}`,
      `    cloningDomain: { file: ../secrets/domain-${groupOf(i)}.txt }`,
      '    soPassword: { env: BENCH_SO_PASSWORD }',
    ].join('\n'));
    await write(`hsms/part-${String(f).padStart(3, '0')}.yaml`, `hsms:\n${body.join('\n')}\n`);
  }

  const members = Array.from({ length: size.hapgs }, () => [] as string[]);
  for (const i of hsms) members[groupOf(i)]?.push(`hsm-${i}`);
  const groups = Array.from({ length: size.hapgs }, (_, g) => g);
  for (const [f, part] of chunks(groups, per).entries()) {
    const body = part.map((g) => [
      `  - label: hapg-${g}`,
      `    members: [${(members[g] ?? []).slice(0, 16).join(', ')}]`,
      '    partitionPassword: { env: BENCH_PARTITION_PASSWORD }',
    ].join('\n'));
    await write(`hapgs/part-${String(f).padStart(3, '0')}.yaml`, `hapgs:\n${body.join('\n')}\n`);
  }

  const clients = Array.from({ length: size.clients }, (_, i) => i);
  for (const [f, part] of chunks(clients, per).entries()) {
    const body = part.map((c) => {
      const hapgs = size.hapgs === 0 ? [] : c % 3 === 0 ? [c % size.hapgs, (c + 1) % size.hapgs] : [c % size.hapgs];
      const lines = [`  - name: app-${c}`, `    hapgs: [${[...new Set(hapgs)].map((g) => `hapg-${g}`).join(', ')}]`];
      if (c % 10 === 0) lines.push('    autoRecovery: { retry: 10, interval: 120 }');
      return lines.join('\n');
    });
    await write(`clients/part-${String(f).padStart(3, '0')}.yaml`, `clients:\n${body.join('\n')}\n`);
  }

  await write('global.yaml', 'autoRecovery:\n  enabled: true\n  retry: -1\n  interval: 60\n');
  return { dir, files: files.sort(), env: { BENCH_SO_PASSWORD: 'bench-so-password', BENCH_PARTITION_PASSWORD: 'bench-partition-password' } };
}
