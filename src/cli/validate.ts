import type { CliIo } from './io.js';
export async function run(_args: string[], io: CliIo): Promise<number> { io.stdout.write('todo\n'); return 0; }
