import type { Hsm } from '../../../fleet/types.js';
import { currentHsm, required, requireForce, type LunaCommand, type LunaSession } from './command.js';
import { failedLine } from './errors.js';
import { ShellRefusal } from '../output.js';

/** lunash `hsm …` commands: show, login, logout, zeroize, init. */

/** Bytes of HSM storage each key object takes in `hsm show` and `partition list`. */
export const BYTES_PER_OBJECT = 826;
const HSM_STORAGE = 2_097_152;

/** Firmware shipped with each appliance software line (5.1 → 6.2.1, 5.3 and later → 6.10.2). */
function firmwareOf(softwareVersion: string): string {
  return softwareVersion.startsWith('5.1') ? '6.2.1' : '6.10.2';
}

function field(name: string, value: string | number, width = 36): string {
  return `   ${`${name}:`.padEnd(width)}${value}`;
}

/** The text of `hsm show`, as the appliance prints it. */
export function renderHsmShow(hsm: Hsm, loggedIn: boolean): string {
  const used = hsm.partitions.reduce((sum, p) => sum + p.objectCount * BYTES_PER_OBJECT, 0);
  const partitions =
    hsm.partitions.length === 0
      ? ['   There are no partitions.']
      : hsm.partitions.map((p) => `   Partition: ${p.serial},     Name: ${p.name}`);
  return [
    '',
    '   Appliance Details:',
    '   ==================',
    field('Software Version', hsm.softwareVersion, 33),
    '',
    '   HSM Details:',
    '   ============',
    field('HSM Label', hsm.zeroized || hsm.label === null ? 'no label' : hsm.label),
    field('Serial #', hsm.serial),
    field('Firmware', firmwareOf(hsm.softwareVersion)),
    field('Hardware Model', 'Luna K6'),
    field('Authentication Method', 'Password'),
    field('HSM Admin login status', loggedIn ? 'Logged In' : 'Not Logged In'),
    field('HSM Admin login attempts left', hsm.zeroized ? 'HSM IS ZEROIZED !!!!' : `${hsm.soLoginAttemptsLeft} before HSM zeroization!`),
    field('RPV Initialized', 'No'),
    field('Audit Role Initialized', 'No'),
    field('Remote Login Initialized', 'No'),
    field('Manually Zeroized', 'No'),
    '',
    '   Partitions created on HSM:',
    '   ==========================',
    ...partitions,
    '',
    '   FIPS 140-2 Operation:',
    '   =====================',
    '   The HSM is NOT in FIPS 140-2 approved operation mode.',
    '',
    '   HSM Storage Information:',
    '   ========================',
    `   Maximum HSM Storage Space (Bytes):   ${HSM_STORAGE}`,
    `   Space In Use (Bytes):                ${used}`,
    `   Free Space Left (Bytes):             ${HSM_STORAGE - used}`,
  ].join('\n');
}

const show: LunaCommand = {
  words: ['hsm', 'show'],
  syntax: 'hsm show',
  options: [],
  async run(session) {
    return renderHsmShow(await currentHsm(session), session.soPassword !== null);
  },
};

/** The caution lunash prints before an SO login that may cost one of the last attempts. */
function loginCaution(attemptsLeft: number): string | null {
  if (attemptsLeft === 2) {
    return 'Caution: You have only TWO HSM Admin login attempts left. If you fail two more consecutive login attempts (i.e. with no successful logins in between) the HSM will be ZEROIZED!!!';
  }
  if (attemptsLeft === 1) {
    return 'Caution:  This is your LAST available HSM Admin login attempt. If the wrong HSM Admin password is provided the HSM will be ZEROIZED!!!';
  }
  return null;
}

const login: LunaCommand = {
  words: ['hsm', 'login'],
  syntax: 'hsm login -password <password> [-force]',
  options: [
    { name: 'password', kind: 'value' },
    { name: 'force', kind: 'flag' },
  ],
  async run(session, args) {
    const password = required(this, args, 'password');
    const hsm = await currentHsm(session);
    if (!hsm.zeroized) {
      const caution = loginCaution(hsm.soLoginAttemptsLeft);
      if (caution !== null) session.print(caution);
    }
    session.soPassword = null;
    await session.emulator.hsmLogin(session.hsmArn, password);
    session.soPassword = password;
    return "'hsm login' successful.";
  },
};

const logout: LunaCommand = {
  words: ['hsm', 'logout'],
  syntax: 'hsm logout',
  options: [],
  async run(session) {
    session.soPassword = null;
    return "'hsm logout' successful.";
  },
};

const zeroize: LunaCommand = {
  words: ['hsm', 'zeroize'],
  syntax: 'hsm zeroize [-force]',
  options: [{ name: 'force', kind: 'flag' }],
  async run(session, args) {
    requireForce(args, 'CAUTION: Are you sure you wish to zeroize this HSM?\nAll partitions, clients and key material on it will be destroyed.', 'zeroize the HSM');
    await session.emulator.zeroizeHsm(session.hsmArn);
    session.soPassword = null;
    return "'hsm zeroize' successful.";
  },
};

const init: LunaCommand = {
  words: ['hsm', 'init'],
  syntax: 'hsm init -label <label> -domain <cloning domain> -password <SO password> [-force]',
  options: [
    { name: 'label', kind: 'value' },
    { name: 'domain', kind: 'value' },
    { name: 'password', kind: 'value' },
    { name: 'force', kind: 'flag' },
  ],
  async run(session, args) {
    const label = required(this, args, 'label');
    const cloningDomain = required(this, args, 'domain');
    const soPassword = required(this, args, 'password');
    requireForce(args, 'CAUTION:  Are you sure you wish to initialize this HSM?\nAll partitions and data will be erased.', 'initialize the HSM');
    const hsm = await currentHsm(session);
    if (!hsm.zeroized) {
      // Re-initializing an initialized appliance is a zeroize first: the control plane refuses it too.
      throw new ShellRefusal(`${failedLine('hsm init', 'LUNA_RET_DEVICE_ERROR')}\n\nError: The HSM is already initialized. Zeroize it first ('hsm zeroize -force'); everything on it will be lost.`);
    }
    await session.emulator.initializeHsm({ hsmArn: session.hsmArn, label, cloningDomain, soPassword });
    session.soPassword = null;
    return "'hsm init' successful.";
  },
};

/** The `hsm` command group. */
export const hsmCommands: LunaCommand[] = [show, login, logout, zeroize, init];
