#!/usr/bin/env node
// Entry point: the compiled CLI (built into dist/ by `npm install` / `npm run build`).
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2)));
