import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, journalPath, readLastRun } from '../../../src/reconcile/apply/journal.js';

describe('apply journal', () => {
  it('reports a finished run with nothing interrupted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmctl-journal-'));
    const j = Journal.start(dir, 'r1', 2);
    j.intent('a');
    j.done('a', 'created');
    j.intent('b');
    j.failed('b', 'refused');
    j.end('failed');
    expect(readLastRun(dir)).toEqual({ run: 'r1', finished: true, interrupted: [] });
  });

  it('reports the actions a killed run had started, ignoring a torn last line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmctl-journal-'));
    const j = Journal.start(dir, 'r2', 3);
    j.intent('a');
    j.done('a', 'created');
    j.intent('b');
    appendFileSync(journalPath(dir), '{"type":"action.do');
    expect(readLastRun(dir)).toEqual({ run: 'r2', finished: false, interrupted: ['b'] });
  });

  it('has nothing to say without a journal', () => {
    expect(readLastRun(mkdtempSync(join(tmpdir(), 'hsmctl-journal-')))).toBeUndefined();
  });
});
