import type { Hsm } from '../../../fleet/types.js';
import { currentHsm, required, requireForce, type LunaCommand } from './command.js';
import { notLoggedIn, refuse } from './errors.js';
import { BYTES_PER_OBJECT } from './hsm.js';

/** lunash `partition …` commands: create, delete, list. */

/** Storage of one partition as `partition list` reports it. */
const PARTITION_STORAGE = 102_701;

/** The text of `partition list`. */
export function renderPartitionList(hsm: Hsm): string {
  if (hsm.partitions.length === 0) return '\n   There are no partitions.\n';
  const num = (n: number, width: number) => String(n).padStart(width);
  const rows = hsm.partitions.map((p) => {
    const used = p.objectCount * BYTES_PER_OBJECT;
    return ` ${p.serial.padEnd(12)} ${p.name.padEnd(24)} ${num(p.objectCount, 7)} ${num(PARTITION_STORAGE, 9)} ${num(used, 9)} ${num(PARTITION_STORAGE - used, 9)}`;
  });
  return [
    '',
    `${' '.repeat(54)}Storage (bytes)`,
    `${' '.repeat(48)}----------------------------`,
    ' Partition    Name                     Objects     Total      Used      Free',
    ` ${'='.repeat(75)}`,
    ...rows,
  ].join('\n');
}

const create: LunaCommand = {
  words: ['partition', 'create'],
  syntax: 'partition create -partition <name> -password <password> -domain <cloning domain> [-force]',
  options: [
    { name: 'partition', kind: 'value', aliases: ['par'] },
    { name: 'password', kind: 'value', aliases: ['pw'] },
    { name: 'domain', kind: 'value' },
    { name: 'label', kind: 'value' },
    { name: 'force', kind: 'flag' },
  ],
  async run(session, args) {
    const partitionName = required(this, args, 'partition');
    const partitionPassword = required(this, args, 'password');
    const cloningDomain = required(this, args, 'domain');
    if (session.soPassword === null) notLoggedIn('partition create');
    const hsm = await currentHsm(session);
    if (hsm.partitions.some((p) => p.name === partitionName)) {
      refuse('partition create', 'RC_OBJECT_ALREADY_EXISTS', `A partition named ${partitionName} already exists on this HSM.`);
    }
    await session.emulator.createPartition({
      hsmArn: session.hsmArn,
      partitionName,
      partitionPassword,
      cloningDomain,
      soPassword: session.soPassword,
    });
    return "'partition create' successful.";
  },
};

const remove: LunaCommand = {
  words: ['partition', 'delete'],
  syntax: 'partition delete -partition <name> [-force]',
  options: [
    { name: 'partition', kind: 'value' },
    { name: 'force', kind: 'flag' },
  ],
  async run(session, args) {
    const partitionName = required(this, args, 'partition');
    if (session.soPassword === null) notLoggedIn('partition delete');
    const hsm = await currentHsm(session);
    if (!hsm.partitions.some((p) => p.name === partitionName)) {
      refuse('partition delete', 'RC_OBJECT_NOT_IN_LIST', 'Specified partition does not exist.');
    }
    requireForce(args, `CAUTION:  Are you sure you wish to delete the partition named:\n            ${partitionName}\nAll key material in it will be lost.`, 'delete the partition');
    await session.emulator.deletePartition({ hsmArn: session.hsmArn, partitionName, soPassword: session.soPassword });
    return "'partition delete' successful.";
  },
};

const list: LunaCommand = {
  words: ['partition', 'list'],
  syntax: 'partition list',
  options: [],
  async run(session) {
    return renderPartitionList(await currentHsm(session));
  },
};

/** The `partition` command group. */
export const partitionCommands: LunaCommand[] = [create, remove, list];
