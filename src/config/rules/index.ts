import { autoRecoveryNeedsTwo } from './auto-recovery-needs-two.js';
import { clientHapgsExist } from './client-hapgs-exist.js';
import { hapgMembersExist } from './hapg-members-exist.js';
import { oneCloningDomain } from './one-cloning-domain.js';
import { singleAutoRecovery } from './single-auto-recovery.js';
import type { Rule } from './types.js';
import { uniqueClientHapgs } from './unique-client-hapgs.js';
import { uniqueClientNames } from './unique-client-names.js';
import { uniqueHapgLabels } from './unique-hapg-labels.js';
import { uniqueHsmLabels } from './unique-hsm-labels.js';
import { uniqueHsmNames } from './unique-hsm-names.js';
import { uniqueMembers } from './unique-members.js';
import { zoneSpread } from './zone-spread.js';

export type { Rule, RuleContext } from './types.js';

/**
 * The semantic rules of SPEC §2 that the schema cannot express, run after every file parsed and
 * every secret resolved. Shapes and ranges (member counts, retry, interval) are the schema's.
 */
export const rules: readonly Rule[] = [
  uniqueHsmNames,
  uniqueHsmLabels,
  uniqueHapgLabels,
  uniqueClientNames,
  hapgMembersExist,
  uniqueMembers,
  clientHapgsExist,
  uniqueClientHapgs,
  oneCloningDomain,
  singleAutoRecovery,
  autoRecoveryNeedsTwo,
  zoneSpread,
];
