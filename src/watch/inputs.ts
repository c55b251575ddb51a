import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { listConfigFiles } from '../config/files.js';
import { stateSignature } from './state-files.js';

/**
 * A fingerprint of what a pass reads: the text of every configuration file and the signature of
 * the world's documents. Work prepared ahead of a pass is used only if the fingerprint taken before
 * it is the one at the pass: file events can be merged or dropped by the watcher (two saves within
 * a few milliseconds make one event), so an event is a reason to look, never proof of no change.
 * File texts are compared, not time stamps, which can stay equal across quick saves.
 */
export async function inputsFingerprint(configAbs: string, stateDir: string): Promise<string> {
  const hash = createHash('sha1');
  const listing = await listConfigFiles(configAbs);
  hash.update(`${listing.kind}\n`);
  for (const file of listing.kind === 'files' ? listing.files : []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      text = `\0unreadable ${(err as NodeJS.ErrnoException).code ?? ''}`;
    }
    hash.update(`${file}\0${text.length}\0`).update(text);
  }
  hash.update(`\0${stateSignature(stateDir)}`);
  return hash.digest('hex');
}
