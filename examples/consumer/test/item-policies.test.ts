import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'alma-client';
import { startMockServer, type MockServer } from 'alma-codegen/mock';
import { setItemPolicies } from '../src/item-policies.js';

const config = process.env.ALMA_CODEGEN_CONFIG ?? path.resolve('../../alma-codegen.yaml');

describe('item policies from a CSV, as a bulk run', () => {
  let mock: MockServer;
  let dir: string;
  let csv: string;
  const rows: string[][] = [];
  before(async () => {
    mock = await startMockServer({ config, size: 8, keys: [{ key: 'test-key' }] });
    for (const bib of mock.store.all('/almaws/v1/bibs')) {
      const [holding] = mock.store.all(`/almaws/v1/bibs/${bib.mms_id}/holdings`);
      const [item] = mock.store.all(`/almaws/v1/bibs/${bib.mms_id}/holdings/${holding!.holding_id}/items`);
      rows.push([
        String(bib.mms_id),
        String(holding!.holding_id),
        String((item!.item_data as { pid: string }).pid),
        'REF',
      ]);
    }
    // One row names an item Alma does not have: it fails, with Alma's error, into the failures CSV.
    rows.push([rows[0]![0]!, rows[0]![1]!, '23000000000000', 'REF']);
    dir = mkdtempSync(path.join(tmpdir(), 'item-policies-'));
    csv = path.join(dir, 'items.csv');
    writeFileSync(csv, `mms_id,holding_id,item_pid,policy\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  });
  after(() => mock.close());
  const alma = () => createClient({ apiKey: 'test-key', baseUrl: mock.url });

  test('a dry run writes nothing; the run sets every policy; a second run skips them all', async () => {
    const dry = await setItemPolicies(alma(), csv, { journalDir: dir, dryRun: true });
    assert.equal(dry.counts.wouldWrite, 8);
    assert.equal(mock.log.entries.filter((e) => e.method === 'PUT').length, 0);

    const report = await setItemPolicies(alma(), csv, { journalDir: dir });
    assert.equal(report.status, 'completed');
    assert.equal(report.counts.done, 8);
    assert.equal(report.counts.failed, 1);
    assert.equal(report.exitCode, 1);
    for (const [mmsId, holdingId, pid] of rows.slice(0, 8)) {
      assert.equal(mock.writes.get(`/almaws/v1/bibs/${mmsId}/holdings/${holdingId}/items/${pid}`), 1);
    }
    const failures = readFileSync(report.failures!, 'utf8');
    assert.match(failures, /^mms_id,holding_id,item_pid,policy,alma_error_code,alma_error_message\r\n/);
    assert.match(failures, /23000000000000/);

    const again = await setItemPolicies(alma(), csv, { journalDir: dir });
    assert.equal(again.counts.skipped, 8);
    assert.equal(again.counts.done, 0);
  });
});
