import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { listConfigFiles } from '../config/files.js';

/**
 * A fingerprint of the configuration a pass reads: the text of every configuration file. Work
 * prepared ahead of a pass is used only if the fingerprint taken before it is the one at the pass:
 * the watcher merges or drops events of quick saves (two saves a few milliseconds apart can make
 * one event), so an event is a reason to look, never proof of no change. Texts are compared, not
 * time stamps, which can stay equal across quick saves. (A change to the world is a write of its
 * documents by another process, which the state watcher reports as a trigger.)
 */
export async function inputsFingerprint(configAbs: string): Promise<string> {
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
  return hash.digest('hex');
}
