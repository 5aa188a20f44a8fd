import type { ApiModel } from './model.js';

/**
 * Each area's `test` operations (`GET` and `POST …/test`, "Test API" in every spec): Alma offers them to check what a
 * key may do, and they change nothing. The emitter lists them for `probeAccess`; the CLI's `probe` calls them.
 */
export function markKeyTests(model: ApiModel): void {
  for (const op of model.areas.flatMap((a) => a.operations)) {
    if (!/\/test\/?$/.test(op.path)) continue;
    if (op.method === 'GET') op.keyTest = 'read';
    if (op.method === 'POST') op.keyTest = 'write';
  }
}
