import type { FleetStatus } from '../status/types.js';

/**
 * `hsmctl status --json`: the status model as one document (`formatVersion` first). The model
 * never holds a secret, so nothing is filtered.
 */
export function renderStatusJson(status: FleetStatus): string {
  return `${JSON.stringify(status, null, 2)}\n`;
}
