/** Tags hsmctl puts on what it creates: ownership and the resource's name in configuration. */

/** Present (value `hsmctl`) on every resource hsmctl created and therefore manages. */
export const MANAGED_BY_TAG = 'hsmctl:managed-by';
/** The value of `MANAGED_BY_TAG`. */
export const MANAGED_BY_VALUE = 'hsmctl';
/** The resource's name in configuration (HSM name, HAPG label, client name). */
export const NAME_TAG = 'hsmctl:name';

/** Tags for a resource hsmctl creates under configuration name `name`. */
export function managedTags(name: string): Record<string, string> {
  return { [MANAGED_BY_TAG]: MANAGED_BY_VALUE, [NAME_TAG]: name };
}

/** Whether a resource carries hsmctl's ownership tag. */
export function isManaged(tags: Record<string, string>): boolean {
  return tags[MANAGED_BY_TAG] === MANAGED_BY_VALUE;
}
