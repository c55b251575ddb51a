import type { ClientGroupStatus, ClientInstance, HaSettings, MemberHaStatus, ObservedFleet } from '../../../fleet/types.js';
import type { OptionSpec, ParsedArgs } from '../args.js';
import { certified, readVtlOptions, usage, vtlError, type VtlCommand, type VtlContext } from './command.js';

/**
 * `vtl haAdmin`: the client's HA settings and groups. Actions are spelled as in the Luna 5 client,
 * with or without the leading dash: `show`, `-autoRecovery -retry N -interval S` (or `-disable`),
 * `-HAOnly -enable|-disable`, `-recover -group G [-serial S]`.
 */

interface HaAction {
  name: string;
  syntax: string;
  options: OptionSpec[];
  run(context: VtlContext, args: ParsedArgs): Promise<string>;
}

const STATUS_WORDS: Record<MemberHaStatus['state'], string> = {
  alive: 'alive',
  down: 'down',
  recovering: 'recovering',
  'needs-manual-recovery': 'down (retries exhausted; recover manually)',
};

/** The global settings block, as `haAdmin show` prints it. */
function settingsLines(ha: HaSettings): string[] {
  return [
    'HA Proxy: disabled',
    `HA Auto Recovery: ${ha.autoRecovery ? 'enabled' : 'disabled'}`,
    `Maximum Auto Recovery Retry: ${ha.retry}`,
    `Auto Recovery Poll Interval: ${ha.interval} seconds`,
    'HA Logging: disabled',
    `Only Show HA Slots: ${ha.haOnly ? 'yes' : 'no'}`,
  ];
}

function groupLines(fleet: ObservedFleet, group: ClientGroupStatus, slot: number): string[] {
  const hapg = fleet.hapgs.find((g) => g.label === group.hapgLabel);
  const memberOf = (serial: string) => hapg?.members.find((m) => m.hsmSerial === serial);
  const serialOf = (m: MemberHaStatus) => memberOf(m.hsmSerial)?.partitionSerial ?? m.hsmSerial;
  let memberSlot = 0;
  const rows = group.members.map((m) => {
    const slotText = m.state === 'alive' ? String(++memberSlot) : '-';
    const attempts = m.nextAttemptAt === null ? String(m.attempts) : `${m.attempts} (next ${m.nextAttemptAt})`;
    return `${slotText.padStart(6)}    ${serialOf(m).padEnd(12)}  ${(memberOf(m.hsmSerial)?.partitionName ?? '-').padEnd(24)}  ${STATUS_WORDS[m.state].padEnd(10)}  ${attempts}`;
  });
  return [
    `HA Group Label: ${group.hapgLabel}`,
    `HA Group Number: ${group.groupNumber}`,
    `HA Group Slot #: ${slot}`,
    'Synchronization: enabled',
    `Group Members: ${group.members.map(serialOf).join(', ')}`,
    'Standby members: <none>',
    '',
    `Slot #    ${'Member S/N'.padEnd(12)}  ${'Member Label'.padEnd(24)}  ${'Status'.padEnd(10)}  Recovery Attempts`,
    `======    ${'='.repeat(12)}  ${'='.repeat(24)}  ${'='.repeat(10)}  =================`,
    ...rows,
  ];
}

const show: HaAction = {
  name: 'show',
  syntax: 'haAdmin show',
  options: [],
  async run(context) {
    const { fleet, client } = await certified(context);
    const groups = client.haStatus.flatMap((g, i) => ['', ...groupLines(fleet, g, i + 1)]);
    return [
      '================ HA Global Configuration Settings ===============',
      '',
      ...settingsLines(client.ha),
      '',
      '================ HA Group and Member Information ================',
      ...(groups.length > 0 ? groups : ['', 'There are no HA groups configured.']),
    ].join('\n');
  },
};

function integer(action: HaAction, text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) usage(action, `The value of -${option} must be a whole number.`);
  return Number(text);
}

const autoRecovery: HaAction = {
  name: 'autoRecovery',
  syntax: 'haAdmin -autoRecovery -retry <count> [-interval <seconds>] | -autoRecovery -disable',
  options: [
    { name: 'retry', kind: 'value' },
    { name: 'interval', kind: 'value' },
    { name: 'disable', kind: 'flag' },
    { name: 'enable', kind: 'flag' },
  ],
  async run(context, args) {
    const retry = integer(this, args.values.get('retry'), 'retry');
    const interval = integer(this, args.values.get('interval'), 'interval');
    const disable = args.flags.has('disable');
    if (disable && (retry !== undefined || interval !== undefined || args.flags.has('enable'))) usage(this, '-disable takes no other option.');
    if (!disable && retry === undefined && interval === undefined && !args.flags.has('enable')) usage(this, 'Give -retry <count> (and -interval <seconds>), or -disable.');
    if (retry !== undefined && (retry < -1 || retry > 500)) vtlError('Invalid retry count. Valid values are -1 (retry forever) or 0 to 500.');
    if (interval !== undefined && (interval < 60 || interval > 1200)) vtlError('Invalid poll interval. Valid values are 60 to 1200 seconds.');
    const { client } = await certified(context);
    const settings: HaSettings = { ...client.ha, autoRecovery: !disable, retry: retry ?? client.ha.retry, interval: interval ?? client.ha.interval };
    await context.emulator.setHaSettings({ clientName: client.name, settings });
    return ['The HA Auto Recovery settings were changed.', '', ...settingsLines(settings).slice(1, 4)].join('\n');
  },
};

const haOnly: HaAction = {
  name: 'HAOnly',
  syntax: 'haAdmin -HAOnly -enable | -disable',
  options: [
    { name: 'enable', kind: 'flag' },
    { name: 'disable', kind: 'flag' },
  ],
  async run(context, args) {
    const enable = args.flags.has('enable');
    if (enable === args.flags.has('disable')) usage(this, 'Give exactly one of -enable or -disable.');
    const { client } = await certified(context);
    await context.emulator.setHaSettings({ clientName: client.name, settings: { ...client.ha, haOnly: enable } });
    return `Only Show HA Slots: ${enable ? 'yes' : 'no'}`;
  },
};

/** The group a person names by label or HA group number. */
function groupNamed(client: ClientInstance, ref: string): ClientGroupStatus {
  const group = client.haStatus.find((g) => g.hapgLabel === ref || g.groupNumber === ref);
  if (!group) vtlError(`HA group ${ref} was not found. Use 'vtl haAdmin show' to list the groups.`);
  return group;
}

const recover: HaAction = {
  name: 'recover',
  syntax: 'haAdmin -recover -group <label or group number> [-serial <member serial>]',
  options: [
    { name: 'group', kind: 'value' },
    { name: 'serial', kind: 'value', aliases: ['serialNum'] },
  ],
  async run(context, args) {
    const ref = args.values.get('group');
    if (ref === undefined) usage(this, 'Missing required option: -group');
    const { fleet, client } = await certified(context);
    const group = groupNamed(client, ref);
    const hapg = fleet.hapgs.find((g) => g.label === group.hapgLabel);
    const serial = args.values.get('serial');
    const member = (m: MemberHaStatus) => serial === m.hsmSerial || hapg?.members.some((x) => x.hsmSerial === m.hsmSerial && x.partitionSerial === serial);
    const targets = serial === undefined ? group.members.filter((m) => m.state !== 'alive') : group.members.filter(member);
    if (serial !== undefined && targets.length === 0) vtlError(`${serial} is not a member of HA group ${group.hapgLabel}.`);
    if (serial !== undefined && targets.every((m) => m.state === 'alive')) vtlError(`Member ${serial} of HA group ${group.hapgLabel} is alive; there is nothing to recover.`);
    if (targets.length === 0) return `All members of HA group ${group.hapgLabel} are alive; there is nothing to recover.`;
    const lines: string[] = [];
    for (const m of targets) {
      await context.emulator.recoverMember({ clientName: client.name, hapgLabel: group.hapgLabel, hsmSerial: m.hsmSerial });
      lines.push(`Member ${m.hsmSerial} of HA group ${group.hapgLabel} (${group.groupNumber}) recovered and synchronized.`);
    }
    return lines.join('\n');
  },
};

const ACTIONS = [show, autoRecovery, haOnly, recover];

/** `vtl haAdmin <action> …`. */
export const haAdminCommand: VtlCommand = {
  name: 'haAdmin',
  syntax: `haAdmin show | ${ACTIONS.slice(1).map((a) => a.syntax.replace(/^haAdmin /, '')).join(' | ')}`,
  options: [],
  raw: true,
  async run(context, _args, words) {
    const [first = '', ...rest] = words;
    const wanted = first.replace(/^-/, '').toLowerCase();
    const action = ACTIONS.find((a) => a.name.toLowerCase() === wanted);
    if (!action) usage(this, first === '' ? 'Missing action.' : 'Unknown haAdmin action.');
    return action.run(context, readVtlOptions(action, rest));
  },
};
