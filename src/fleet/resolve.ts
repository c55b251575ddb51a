import type { ClientInstance, Hapg, Hsm, ObservedFleet } from './types.js';
import { NAME_TAG } from './tags.js';

/**
 * How a person names a resource on the command line: an HSM by ARN, short id (`hsm-1a2b3c4d`),
 * serial, configuration name (`hsmctl:name` tag) or device label; a HAPG by ARN, short id or
 * label; a client by name or ARN. Returns undefined when nothing matches.
 */

/** The short id at the end of an ARN (`hsm-1a2b3c4d`). */
export function shortId(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

export function findHsm(fleet: ObservedFleet, ref: string): Hsm | undefined {
  return (
    fleet.hsms.find((h) => h.arn === ref || shortId(h.arn) === ref || h.serial === ref) ??
    fleet.hsms.find((h) => h.tags[NAME_TAG] === ref) ??
    fleet.hsms.find((h) => h.label === ref)
  );
}

export function findHapg(fleet: ObservedFleet, ref: string): Hapg | undefined {
  return fleet.hapgs.find((g) => g.arn === ref || shortId(g.arn) === ref) ?? fleet.hapgs.find((g) => g.label === ref);
}

export function findClient(fleet: ObservedFleet, ref: string): ClientInstance | undefined {
  return fleet.clients.find((c) => c.name === ref || c.arn === ref || (c.arn !== null && shortId(c.arn) === ref));
}
