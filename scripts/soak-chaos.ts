import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorldEmulator } from '../src/emulator/index.js';

/**
 * The soak's chaos driver: acts on the emulated world directly, as operators and failures do,
 * while `hsmctl watch --apply` runs — HSMs lose power or network and come back, the clock jumps,
 * partition assignments, trusted servers and HA settings are changed by hand, applications keep
 * writing key objects through the HAPG — and edits the configuration (a third member comes and
 * goes, a client's autoRecovery override is toggled), half of the saves torn in two writes.
 *
 * Guarded (`--guarded`), the driver keeps one discipline an operator of HA groups keeps: it only
 * takes hsm-c out of the group when the other members hold every key object hsm-c holds, and
 * writes no key while that removal is pending. Unguarded (the default), removing a member that is
 * the only one holding some objects (members out of rotation miss writes) is left to the
 * reconciler, which plans it as destructive and so refuses it without --allow-destroy.
 */

/** The soak's fleet: three HSMs, one HAPG of two or three members, two clients. */
export interface FleetShape {
  /** Whether hsm-c is the group's third member. */
  thirdMember: boolean;
  /** Whether app-2 overrides the global policy (retry 3, so members can need a manual recovery). */
  app2Override: boolean;
}

export const HSMS = ['hsm-a', 'hsm-b', 'hsm-c'] as const;
export const CLIENTS = ['app-1', 'app-2'] as const;
export const HAPG = 'hapg1';

/** The configuration file for a shape. */
export function fleetYaml(shape: FleetShape): string {
  const hsm = (name: string, zone: string) =>
    `  - name: ${name}\n    availabilityZone: ${zone}\n    cloningDomain: { file: secrets/cloning-domain.txt }\n    soPassword: { file: secrets/so-password.txt }\n`;
  const members = shape.thirdMember ? '[hsm-a, hsm-b, hsm-c]' : '[hsm-a, hsm-b]';
  const override = shape.app2Override ? '    autoRecovery: { retry: 3, interval: 120 }\n' : '';
  return (
    `hsms:\n${hsm('hsm-a', 'us-east-1a')}${hsm('hsm-b', 'us-east-1b')}${hsm('hsm-c', 'us-east-1c')}` +
    `hapgs:\n  - label: ${HAPG}\n    members: ${members}\n    partitionPassword: { file: secrets/partition-password.txt }\n` +
    `clients:\n  - name: app-1\n    hapgs: [${HAPG}]\n  - name: app-2\n    hapgs: [${HAPG}]\n${override}` +
    `autoRecovery:\n  enabled: true\n  retry: -1\n  interval: 60\n`
  );
}

/** A small seeded PRNG (mulberry32), so a run can be replayed with its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the chaos driver did, by kind. */
export type ChaosCounts = Record<string, { done: number; refused: number; skipped: number }>;

export interface Chaos {
  counts: ChaosCounts;
  /** Labels of the key objects created (each created while its group had a live member). */
  keys: string[];
  /** The configuration's current shape. */
  shape: FleetShape;
}

/** How to run the chaos. */
export interface ChaosOptions {
  emulator: WorldEmulator;
  /** The configuration directory (its fleet.yaml is edited). */
  configDir: string;
  random: () => number;
  /** Stop at this time (ms since the epoch). */
  until: number;
  /** Keep the member-removal discipline (see above). */
  guarded: boolean;
  /** One line per step. */
  trace?: (line: string) => void;
}

interface Step {
  kind: string;
  weight: number;
  /** Acts; returns what it did in a few words, starting with `skipped` when it chose not to act. */
  act: () => Promise<string>;
}

/** Labels of the key objects each reachable HSM holds, by name. */
async function keysByHsm(emulator: WorldEmulator): Promise<Map<string, Set<string>>> {
  const world = await emulator.describe();
  const held = new Map<string, Set<string>>();
  for (const h of world.hsms) {
    if (h.reachability !== 'reachable') continue;
    held.set(h.tags['hsmctl:name'] ?? h.arn, new Set((await emulator.listKeys(h.arn)).map((k) => k.label)));
  }
  return held;
}

/** Whether hsm-c can leave the group without taking objects with it: every HSM answers, and a or b holds each of its objects. */
async function removalIsSafe(emulator: WorldEmulator): Promise<boolean> {
  const held = await keysByHsm(emulator);
  const [a, b, c] = HSMS.map((n) => held.get(n));
  if (a === undefined || b === undefined || c === undefined) return false;
  return [...c].every((k) => a.has(k) || b.has(k));
}

/** Runs chaos until `options.until`, one step every 50–300 ms. */
export async function runChaos(options: ChaosOptions, chaos: Chaos): Promise<void> {
  const { emulator, random } = options;
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const hapg = async () => (await emulator.describe()).hapgs.find((g) => g.label === HAPG);
  let keySeq = 0;
  const save = async (shape: FleetShape) => {
    const file = join(options.configDir, 'fleet.yaml');
    const text = fleetYaml(shape);
    if (random() < 0.5) {
      // A torn save: part of the file, then (a moment later) the whole file.
      writeFileSync(file, text.slice(0, Math.floor(text.length * random())));
      await sleep(2);
    }
    writeFileSync(file, text);
    chaos.shape = shape;
    return JSON.stringify(shape);
  };
  const steps: Step[] = [
    {
      kind: 'fail',
      weight: 10,
      act: async () => {
        const [name, mode] = [pick(HSMS)!, random() < 0.5 ? ('power' as const) : ('network' as const)];
        await emulator.fail(name, mode);
        return `${name} ${mode}`;
      },
    },
    {
      kind: 'restore',
      weight: 12,
      act: async () => {
        const down = (await emulator.describe()).hsms.filter((h) => h.reachability !== 'reachable');
        const hsm = pick(down);
        if (hsm === undefined) return 'skipped: none down';
        await emulator.restore(hsm.arn);
        return hsm.tags['hsmctl:name'] ?? hsm.arn;
      },
    },
    {
      kind: 'advance',
      weight: 8,
      act: async () => {
        const ms = Math.floor(30_000 + random() * 600_000);
        await emulator.advance(ms);
        return `${Math.round(ms / 1000)}s`;
      },
    },
    {
      kind: 'revokePartition',
      weight: 6,
      act: async () => {
        const member = pick((await hapg())?.members ?? []);
        const client = pick(CLIENTS)!;
        if (member === undefined) return 'skipped: no member';
        await emulator.revokePartition({ hsmArn: member.hsmArn, clientName: client, partitionName: member.partitionName });
        return `${member.partitionName} from ${client}`;
      },
    },
    {
      kind: 'deleteServer',
      weight: 5,
      act: async () => {
        const client = (await emulator.describe()).clients.find((c) => c.name === pick(CLIENTS));
        const server = pick(client?.servers ?? []);
        if (client === undefined || server === undefined) return 'skipped: no trusted server';
        await emulator.deleteServer({ clientName: client.name, host: server.host });
        return `${server.host} on ${client.name}`;
      },
    },
    {
      kind: 'setHaSettings',
      weight: 5,
      act: async () => {
        const [clientName, autoRecovery] = [pick(CLIENTS)!, random() < 0.5];
        await emulator.setHaSettings({ clientName, settings: { autoRecovery, retry: 2, interval: 600, haOnly: true } });
        return `${clientName} autoRecovery ${autoRecovery}`;
      },
    },
    {
      kind: 'createKey',
      weight: 25,
      act: async () => {
        if (options.guarded && !chaos.shape.thirdMember) {
          const group = await hapg();
          const c = (await emulator.describe()).hsms.find((h) => h.tags['hsmctl:name'] === 'hsm-c');
          if (group?.members.some((m) => m.hsmArn === c?.arn) === true) return 'skipped: the removal of hsm-c is pending';
        }
        keySeq += 1;
        const label = `soak-key-${keySeq}`;
        const clientName = pick(CLIENTS)!;
        const { servedBy } = await emulator.createKey({ clientName, hapgLabel: HAPG, label });
        chaos.keys.push(label);
        return `${label} by ${clientName}, served by ${servedBy}`;
      },
    },
    {
      kind: 'edit:thirdMember',
      weight: 4,
      act: async () => {
        if (options.guarded && chaos.shape.thirdMember && !(await removalIsSafe(emulator))) return 'skipped: hsm-c holds objects the others lack';
        return save({ ...chaos.shape, thirdMember: !chaos.shape.thirdMember });
      },
    },
    { kind: 'edit:app2Override', weight: 5, act: () => save({ ...chaos.shape, app2Override: !chaos.shape.app2Override }) },
  ];
  const total = steps.reduce((sum, s) => sum + s.weight, 0);
  const trace = options.trace ?? (() => undefined);
  while (Date.now() < options.until) {
    let r = random() * total;
    const step = steps.find((s) => (r -= s.weight) < 0) ?? steps[0]!;
    const count = (chaos.counts[step.kind] ??= { done: 0, refused: 0, skipped: 0 });
    try {
      const what = await step.act();
      if (what.startsWith('skipped')) count.skipped += 1;
      else count.done += 1;
      trace(`${new Date().toISOString()} ${step.kind} ${what}`);
    } catch (err) {
      // A device refused (unreachable HSM, no live member, nothing to revoke): as in real life.
      count.refused += 1;
      trace(`${new Date().toISOString()} ${step.kind} refused: ${err instanceof Error ? err.message : String(err)}`);
    }
    await sleep(50 + random() * 250);
  }
}
