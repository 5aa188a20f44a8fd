#!/usr/bin/env node
// The CLI runs from the compiled sources (`npm run build`, done by `npm ci` through `prepare`).
// `generate` starts the openapi-typescript thread first (see `startOpenapiThreadEarly`).
if (process.argv.includes('generate')) (await import('../dist/generator/emit/openapi-thread.js')).startOpenapiThreadEarly();
await import('../dist/generator/cli.js');
