import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { createClient, runJobAndWait, updateBibHoldingItem } from 'alma-client';
import { startMockServer } from 'alma-codegen/mock';
import { startListener } from '../src/listener.js';

const config = process.env.ALMA_CODEGEN_CONFIG ?? path.resolve('../../alma-codegen.yaml');

test('the webhook listener hears a job end and an item change from the mock, signed', async () => {
  const secret = 'example-secret';
  // The mock's institution: the listener takes its events and would refuse another's.
  const probe = await startMockServer({ config, size: 2 });
  const general = probe.store.document('/almaws/v1/conf/general') as { institution: { value: string } };
  const institution = general.institution.value;
  await probe.close();
  const listener = await startListener({ port: 0, secret, institution });
  const url = `http://127.0.0.1:${(listener.server.address() as AddressInfo).port}/alma`;
  const mock = await startMockServer({ config, size: 3, webhooks: { url, secret }, jobs: { durationMs: 100 } });
  try {
    const alma = createClient({ apiKey: 'mock-key', baseUrl: mock.url });
    const jobId = String(mock.store.all('/almaws/v1/conf/jobs')[0]!.id);
    // The wait ends on the JOB_END event: the instance is never polled.
    const run = await runJobAndWait(alma, { jobId, body: {} }, { events: listener.handler });
    assert.equal(run.status, 'COMPLETED_SUCCESS');
    assert.equal(mock.log.entries.filter((e) => /\/instances\//.test(e.path)).length, 0);

    const item = mock.store.all('/almaws/v1/bibs/ALL/holdings/ALL/items')[0]!;
    await updateBibHoldingItem(
      alma,
      {
        mmsId: String((item.bib_data as { mms_id: string }).mms_id),
        holdingId: String((item.holding_data as { holding_id: string }).holding_id),
        itemPid: String((item.item_data as { pid: string }).pid),
      },
      (record) => {
        record.item_data.public_note = 'Seen by the listener';
      },
    );
    await mock.webhooks?.settle();
    await listener.handler.drain();
    assert.match(listener.heard.join('\n'), /^job .* ended: COMPLETED_SUCCESS$/m);
    assert.match(listener.heard.join('\n'), /^item \d+: ITEM_UPDATED$/m);
  } finally {
    await mock.close();
    listener.server.close();
  }
});
