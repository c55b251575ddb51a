import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/emulator/store/index.js';
import { useCompiledStore } from './fixtures/compile.js';
import { tempDir, waitForLine } from './helpers.js';

const counterChild = fileURLToPath(new URL('./fixtures/counter-child.mjs', import.meta.url));
const storeUrl = useCompiledStore();

describe('two processes sharing one state directory', () => {
  it('loses no increment when both mutate at the same time', async () => {
    const { state } = tempDir();
    const n = 60;
    const children = [0, 1].map(() =>
      spawn(process.execPath, [counterChild, storeUrl(), state, String(n)], { stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    await Promise.all(children.map((c) => waitForLine(c, 'ready')));
    const done = children.map((c) => waitForLine(c, 'done'));
    for (const c of children) c.stdin.write('go\n');
    await Promise.all(done);
    await Promise.all(children.map((c) => (c.exitCode === null ? once(c, 'exit') : undefined)));
    expect(children.map((c) => c.exitCode)).toEqual([0, 0]);
    expect((await openStore(state).read()).meta.counter).toBe(2 * n);
  });
});
