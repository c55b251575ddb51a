/** Tags hsmctl puts on what it creates: ownership, the resource's name in configuration, protection. */

/** Present (value `hsmctl`) on every resource hsmctl created and therefore manages. */
export const MANAGED_BY_TAG = 'hsmctl:managed-by';
/** The value of `MANAGED_BY_TAG`. */
export const MANAGED_BY_VALUE = 'hsmctl';
/** The resource's name in configuration (HSM name, HAPG label, client name). */
export const NAME_TAG = 'hsmctl:name';
/**
 * Present (value `true`) on an HSM declared `protect: true`. The device keeps it, so hsmctl still
 * refuses to destroy the HSM once its block has left the configuration.
 */
export const PROTECT_TAG = 'hsmctl:protect';
/** The value of `PROTECT_TAG`. */
export const PROTECT_VALUE = 'true';

/** Tags for a resource hsmctl creates under configuration name `name`. */
export function managedTags(name: string): Record<string, string> {
  return { [MANAGED_BY_TAG]: MANAGED_BY_VALUE, [NAME_TAG]: name };
}

/** Whether a resource carries hsmctl's ownership tag. */
export function isManaged(tags: Record<string, string>): boolean {
  return tags[MANAGED_BY_TAG] === MANAGED_BY_VALUE;
}

/** Whether an HSM carries hsmctl's protection tag. */
export function isProtected(tags: Record<string, string>): boolean {
  return tags[PROTECT_TAG] === PROTECT_VALUE;
}
