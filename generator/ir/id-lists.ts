import type { ApiModel } from './model.js';

/**
 * List operations that take a comma-separated list of ids with a documented maximum ("A list of Bib Record IDs (for
 * example: 99939650000541,99939680000541) from 1 to the limit of 100"): a helper takes any number of ids and makes
 * as many calls as the maximum requires (`Operation.idList`).
 */
export function markIdLists(model: ApiModel): void {
  for (const op of model.areas.flatMap((a) => a.operations)) {
    if (op.method !== 'GET' || op.role.kind !== 'list') continue;
    for (const p of op.queryParams) {
      const max = /\bA list of [^.]*?\bIDs?\b[^.]*?\bto the limit of (\d+)/i.exec(
        p.description.replace(/\s+/g, ' '),
      )?.[1];
      if (max) op.idList = { param: p.name, wireName: p.wireName, max: Number(max) };
    }
  }
}
