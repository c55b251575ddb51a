import { createEmulator } from './emulator.js';
import type { WorldEmulator } from './emulator.js';
import { openStore } from './store/index.js';

/**
 * The emulated world of HSMs, HAPGs and client instances: a `FleetDriver` plus the controls of
 * `hsmctl emu`. See README.md beside this file.
 */

export { createEmulator } from './emulator.js';
export type { EmulatorOptions, EmulatorSettings, WorldEmulator } from './emulator.js';
export { renderCaFile, renderClientConfiguration } from './client/chrystoki.js';
export { DEFAULT_HA_SETTINGS, checkHaSettings } from './client/vtl.js';
export { SO_LOGIN_ATTEMPTS } from './appliance/login.js';
export { MAX_MEMBERS } from './control-plane/hapg.js';
export { SOFTWARE_VERSION, VENDOR } from './control-plane/hsm.js';
export { LUNA_CODES, lunaText } from './errors.js';
export type { LunaCode } from './errors.js';
export type { FaultMode } from './faults.js';
export { FORMAT_VERSION } from './world/types.js';
export type * from './world/types.js';

/** The emulated world kept in the state directory `stateDir`. */
export function openEmulator(stateDir: string, options: { now?: () => number } = {}): WorldEmulator {
  return createEmulator(openStore(stateDir), options);
}
