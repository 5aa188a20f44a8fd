// The same package from CommonJS: `require` resolves to its CommonJS build.
const assert = require('node:assert/strict');
const path = require('node:path');
const { after, before, test } = require('node:test');
const { createClient, getUser, listLibraries } = require('alma-client');
const { listLibraries: fromSubpath } = require('alma-client/conf');

let mock;
before(async () => {
  const { startMockServer } = await import('alma-codegen/mock');
  mock = await startMockServer({
    config: process.env.ALMA_CODEGEN_CONFIG ?? path.resolve('../../alma-codegen.yaml'),
    keys: [{ key: 'test-key' }],
  });
});
after(() => mock.close());

test('require() gives the CommonJS build, with the same functions by area', async () => {
  assert.equal(fromSubpath, listLibraries);
  for (const format of ['json', 'xml']) {
    const alma = createClient({ apiKey: 'test-key', baseUrl: mock.url, format });
    const user = await getUser(alma, { userId: 'user1' });
    assert.equal(user.primary_id, 'user1');
  }
});
