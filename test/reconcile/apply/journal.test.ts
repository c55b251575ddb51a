import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, journalPath, readLastRun } from '../../../src/reconcile/apply/journal.js';

describe('apply journal', () => {
  it('reports a finished run with nothing interrupted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmctl-journal-'));
    const j = Journal.start(dir, 'r1', 2);
    j.intent('a');
    j.done('a', 'created');
    j.intent('b');
    await j.failed('b', 'refused');
    await j.end('failed');
    expect(readLastRun(dir)).toEqual({ run: 'r1', finished: true, interrupted: [] });
  });

  it('reports the actions a killed run had started, ignoring a torn last line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmctl-journal-'));
    const j = Journal.start(dir, 'r2', 3);
    j.intent('a');
    j.done('a', 'created');
    j.intent('b');
    appendFileSync(journalPath(dir), '{"type":"action.do');
    expect(readLastRun(dir)).toEqual({ run: 'r2', finished: false, interrupted: ['b'] });
  });

  it('has each record in the file as soon as it is made, in the order made, and all of them once the run ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmctl-journal-'));
    const j = Journal.start(dir, 'r3', 60);
    const ids = Array.from({ length: 60 }, (_, i) => `action-${i}`);
    const inFileAtOnce = ids.map((id) => {
      j.intent(id);
      return readFileSync(journalPath(dir), 'utf8').includes(`"action":"${id}"`);
    });
    expect(inFileAtOnce.every(Boolean)).toBe(true);
    for (const id of ids.slice(0, 30)) j.done(id, 'created');
    expect(readLastRun(dir)).toEqual({ run: 'r3', finished: false, interrupted: ids.slice(30) });
    await j.end('complete');
    const lines = readFileSync(journalPath(dir), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; action?: string });
    expect(lines.filter((l) => l.type === 'action.intent').map((l) => l.action)).toEqual(ids);
    expect(lines.at(-1)?.type).toBe('run.end');
  });

  it('goes on recording after a failure: a run that ends leaves no action open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmctl-journal-'));
    const j = Journal.start(dir, 'r4', 3);
    j.intent('a');
    await j.failed('a', 'refused');
    j.intent('b');
    j.done('b', 'created');
    await j.end('failed');
    expect(readLastRun(dir)).toEqual({ run: 'r4', finished: true, interrupted: [] });
  });

  it('has nothing to say without a journal', () => {
    expect(readLastRun(mkdtempSync(join(tmpdir(), 'hsmctl-journal-')))).toBeUndefined();
  });
});
