import type { Action, ActionKind } from '../plan/types.js';
import { clientAddServer } from './client-add-server.js';
import { clientCreate } from './client-create.js';
import { clientDelete } from './client-delete.js';
import { clientDeleteServer } from './client-delete-server.js';
import { clientSetAutoRecovery } from './client-set-auto-recovery.js';
import { clientWriteConfig } from './client-write-config.js';
import { hapgAddMember } from './hapg-add-member.js';
import { hapgCreate } from './hapg-create.js';
import { hapgDelete } from './hapg-delete.js';
import { hapgDeregisterClient } from './hapg-deregister-client.js';
import { hapgRecoverMember } from './hapg-recover-member.js';
import { hapgRegisterClient } from './hapg-register-client.js';
import { hapgRemoveMember } from './hapg-remove-member.js';
import { hsmCreate } from './hsm-create.js';
import { hsmDelete } from './hsm-delete.js';
import { hsmDeregisterClient } from './hsm-deregister-client.js';
import { hsmInitialize } from './hsm-initialize.js';
import { hsmRegisterClient } from './hsm-register-client.js';
import { hsmSetProtection } from './hsm-set-protection.js';
import { hsmZeroize } from './hsm-zeroize.js';
import { partitionAssign } from './partition-assign.js';
import { partitionRevoke } from './partition-revoke.js';
import type { ActionContext, ActionHandler, ActionWords, ResultWord } from './types.js';

export type { ActionContext, ActionHandler, ActionWords, ResultWord } from './types.js';
export { ALREADY_THERE } from './types.js';
export { MIN_ATTEMPTS_LEFT, SoGuard } from './so-guard.js';
export { clientTokenOf } from './hsm-create.js';
export { DEFAULT_WAIT, waitUntilProvisioned, type WaitOptions } from './wait.js';

/** One handler per action kind; a kind without one fails type-checking. */
export const HANDLERS = {
  'hsm.create': hsmCreate,
  'hsm.initialize': hsmInitialize,
  'hsm.setProtection': hsmSetProtection,
  'hsm.zeroize': hsmZeroize,
  'hsm.delete': hsmDelete,
  'client.create': clientCreate,
  'client.delete': clientDelete,
  'client.addServer': clientAddServer,
  'client.deleteServer': clientDeleteServer,
  'hsm.registerClient': hsmRegisterClient,
  'hsm.deregisterClient': hsmDeregisterClient,
  'partition.assign': partitionAssign,
  'partition.revoke': partitionRevoke,
  'hapg.create': hapgCreate,
  'hapg.delete': hapgDelete,
  'hapg.addMember': hapgAddMember,
  'hapg.removeMember': hapgRemoveMember,
  'hapg.registerClient': hapgRegisterClient,
  'hapg.deregisterClient': hapgDeregisterClient,
  'client.writeConfig': clientWriteConfig,
  'client.setAutoRecovery': clientSetAutoRecovery,
  'hapg.recoverMember': hapgRecoverMember,
} satisfies { [K in ActionKind]: ActionHandler<K> };

/** The handler of an action's kind, typed for that action. */
function handlerOf(action: Action): ActionHandler<ActionKind> {
  return HANDLERS[action.kind] as unknown as ActionHandler<ActionKind>;
}

/** The progress words of an action. */
export function wordsOf(action: Action): ActionWords {
  return handlerOf(action).describe(action as never);
}

/** Carries out one action with its kind's handler. */
export function runAction(action: Action, ctx: ActionContext): Promise<ResultWord> {
  return handlerOf(action).apply(action as never, ctx);
}
