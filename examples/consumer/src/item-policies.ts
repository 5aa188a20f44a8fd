// Sets the item policy of many physical items from a spreadsheet, as a bulk run that loses nothing: a journal beside
// the CSV, resumable after a crash or at Alma's daily limit, each item written once, and the failures as a CSV that
// can be the next run's input. The CSV has the columns mms_id, holding_id, item_pid and policy (an ItemPolicy code).
import { type AlmaClient, getBibHoldingItem, type GetBibHoldingItemParams, replaceBibHoldingItem } from 'alma-client';
import { type BulkReport, csvRows, runBulk } from 'alma-client/bulk';

export interface PolicyRow {
  mms_id: string;
  holding_id: string;
  item_pid: string;
  policy: string;
}

const idsOf = (row: PolicyRow): GetBibHoldingItemParams => ({
  mmsId: row.mms_id,
  holdingId: row.holding_id,
  itemPid: row.item_pid,
});

export function setItemPolicies(
  alma: AlmaClient,
  csvFile: string,
  options: { journalDir?: string; dryRun?: boolean; retryFailed?: boolean } = {},
): Promise<BulkReport> {
  return runBulk<PolicyRow, { barcode: string }>({
    name: 'item-policies',
    client: alma,
    items: csvRows(csvFile) as AsyncIterable<PolicyRow>,
    key: (row) => row.item_pid,
    // Read the whole item, change one field, write it back: Alma's PUT replaces the record.
    action: async (row, { client }) => {
      const item = await getBibHoldingItem(client, idsOf(row));
      item.item_data.policy = { value: row.policy };
      const saved = await replaceBibHoldingItem(client, { ...idsOf(row), body: item });
      return { barcode: String(saved.item_data.barcode) };
    },
    keep: (result) => result,
    // After a crash or a lost answer: the write was made if the item has the policy already.
    reconcile: async (row, { client }) => {
      const item = await getBibHoldingItem(client, idsOf(row));
      return { done: item.item_data.policy?.value === row.policy };
    },
    journal: { dir: options.journalDir ?? '.' },
    dryRun: options.dryRun ?? false,
    retryFailed: options.retryFailed ?? false,
  });
}
