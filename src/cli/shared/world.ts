import { resolve } from 'node:path';
import { openEmulator } from '../../emulator/index.js';
import type { FleetDriver } from '../../fleet/driver.js';
import { stateDirOf, type CliIo } from '../io.js';

/**
 * The one place the reconciler's commands pick their driver: the emulated world in the state
 * directory (`--state DIR`, `HSMCTL_STATE`, `./state`). A driver for real devices would be chosen
 * here too.
 */
export interface World {
  /** Absolute state directory (also where the apply lock and journal live). */
  stateDir: string;
  driver: FleetDriver;
}

export function openWorld(stateFlag: string | undefined, io: CliIo): World {
  const stateDir = resolve(io.cwd, stateDirOf(stateFlag, io));
  return { stateDir, driver: driverAt(stateDir) };
}

/** The driver of the world in `stateDir` (tests may inject the emulated world's wall clock). */
export function driverAt(stateDir: string, now?: () => number): FleetDriver {
  return openEmulator(stateDir, now === undefined ? {} : { now });
}

/** Just the absolute state directory, for commands that do not read the world. */
export function openWorldDir(stateFlag: string | undefined, io: CliIo): string {
  return resolve(io.cwd, stateDirOf(stateFlag, io));
}
