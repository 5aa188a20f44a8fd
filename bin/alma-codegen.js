#!/usr/bin/env node
// The CLI runs from the compiled sources (`npm run build`, done by `npm ci` through `prepare`).
await import('../dist/generator/cli.js');
