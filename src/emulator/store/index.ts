/** The emulator's persistence: the Store contract, the file store and the in-memory store. */
export type { Json, Snapshot, Store } from './types.js';
export { memoryStore } from './memory.js';
export { openStore } from './store.js';
export type { StoreOptions } from './store.js';
export { checkpointStores } from './sessions.js';
