import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_FILE, TXN_FILE, parseFile } from './format.js';
import { fsyncDir, isCode, readTextIfExists } from './fsx.js';
import { readLog } from './log.js';
import { applyToFiles, makeDurable, mergeTransactions, parseTransaction, type Touched, type Transaction } from './transaction.js';

/**
 * Finishes what a process left behind: the transactions of its log (committed, their documents
 * maybe not all written or not durable) and, from earlier versions, a committed `txn.json`. They
 * are applied again (idempotent), merged first so that each document is written once; the files
 * are fsynced, then the log goes. Call under the store lock, before reading: afterwards the
 * documents alone are the world. Returns whether there was anything to finish.
 */
export async function rollForward(dir: string): Promise<boolean> {
  const legacy = readLegacy(dir);
  const logged = readLog(dir);
  if (legacy === undefined && logged === undefined) return false;
  const touched: Touched = { files: new Set(), dirs: new Set() };
  applyToFiles(dir, mergeTransactions([...(legacy ?? []), ...(logged ?? [])]), touched);
  await makeDurable(dir, touched);
  for (const file of [TXN_FILE, LOG_FILE]) {
    try {
      unlinkSync(join(dir, file));
    } catch (err) {
      if (!isCode(err, 'ENOENT')) throw err;
    }
  }
  await fsyncDir(dir);
  return true;
}

/** The transaction of a `txn.json` left by an earlier version, if any. */
function readLegacy(dir: string): Transaction[] | undefined {
  const file = join(dir, TXN_FILE);
  const text = readTextIfExists(file);
  return text === undefined ? undefined : [parseTransaction(parseFile(text, file), file)];
}
