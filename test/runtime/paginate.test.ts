import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { startMockServer, type MockServer } from '../../mock/index.js';
import { createClient, type AlmaClient } from '../../runtime/client.js';
import type { CallOptions, OperationSpec } from '../../runtime/operation.js';
import { paginate, paginatePages } from '../../runtime/helpers/paginate.js';
import { startServer } from '../helpers/server.js';
import { REPO } from '../helpers/specs.js';

type Users = { user?: { primary_id: string }[]; total_record_count?: number };
const listUsersOp: OperationSpec = {
  name: 'listUsers',
  method: 'GET',
  path: '/almaws/v1/users',
  queryParams: { limit: 'limit', offset: 'offset', orderBy: 'order_by' },
  status: 200,
};
// In the order of their ids (Alma's default is by last name).
const listUsers = (client: AlmaClient, params: { limit?: number; offset?: number }, options?: CallOptions) =>
  client.request<Users>(listUsersOp, { orderBy: 'primary_id', ...params }, options);

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({
    config: loadConfig(path.join(REPO, 'alma-codegen.yaml')),
    keys: [{ key: 'k' }],
    size: 23,
    perSecondLimit: 10_000,
  });
});
afterAll(() => mock.close());

describe('paging against the mock', () => {
  test('every item once, in order, in pages of pageSize, stopping at total_record_count', async () => {
    const alma = createClient({ apiKey: 'k', baseUrl: mock.url, rateLimit: false });
    mock.log.clear();
    const ids: string[] = [];
    for await (const user of paginate(listUsers, alma, {}, { pageSize: 5 })) ids.push(user.primary_id);
    expect(ids).toEqual(Array.from({ length: 23 }, (_, i) => `user${i + 1}`));
    expect(mock.log.entries).toHaveLength(5);
  });

  test('pages start at the given offset', async () => {
    const alma = createClient({ apiKey: 'k', baseUrl: mock.url, rateLimit: false });
    const sizes: number[] = [];
    for await (const page of paginatePages(listUsers, alma, { offset: 20 }, { pageSize: 10 }))
      sizes.push(page.user?.length ?? 0);
    expect(sizes).toEqual([3]);
  });
});

describe('paging robustness', () => {
  const fake = (pages: Users[]) => {
    const calls: { limit?: number; offset?: number }[] = [];
    const fn = async (_: AlmaClient, params: { limit?: number; offset?: number }) => {
      calls.push(params);
      return pages[calls.length - 1] ?? { total_record_count: -1 };
    };
    return { fn, calls };
  };
  const alma = createClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9' });
  const users = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ primary_id: `u${from + i}` }));
  const collect = async (fn: Parameters<typeof paginate>[0]) => {
    const ids: string[] = [];
    for await (const u of paginate(fn as typeof listUsers, alma, {}, { pageSize: 2 }))
      ids.push((u as { primary_id: string }).primary_id);
    return ids;
  };

  test('a count of −1: the pages decide, a short page ends it', async () => {
    const { fn, calls } = fake([
      { user: users(0, 2), total_record_count: -1 },
      { user: users(2, 2), total_record_count: -1 },
      { user: users(4, 1), total_record_count: -1 },
    ]);
    expect(await collect(fn)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
    expect(calls.map((c) => c.offset)).toEqual([0, 2, 4]);
  });

  test('a count that grows while paging is followed to an empty page', async () => {
    const { fn, calls } = fake([
      { user: users(0, 2), total_record_count: 2 + 2 },
      { user: users(2, 2), total_record_count: 6 },
      { user: users(4, 2), total_record_count: 7 },
      { user: users(6, 1), total_record_count: 7 },
    ]);
    expect(await collect(fn)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
    expect(calls).toHaveLength(4);
  });

  test('a cap on limit below the page size does not end paging early', async () => {
    const { fn } = fake([
      { user: users(0, 1), total_record_count: 3 },
      { user: users(1, 1), total_record_count: 3 },
      { user: users(2, 1), total_record_count: 3 },
    ]);
    expect(await collect(fn)).toEqual(['u0', 'u1', 'u2']);
  });

  test('an empty first page yields nothing', async () => {
    const { fn, calls } = fake([{ total_record_count: 0 }]);
    expect(await collect(fn)).toEqual([]);
    expect(calls).toHaveLength(1);
  });
});

describe('which property holds the items', () => {
  // A page whose first array is not its items: facets before the users, as a search answer can have.
  const page = { total_record_count: 2, facet: [{ name: 'group' }], user: [{ primary_id: 'a' }, { primary_id: 'b' }] };
  const spec = (listItems?: string): OperationSpec => ({
    name: 'listUsers',
    method: 'GET',
    path: '/almaws/v1/users',
    queryParams: { limit: 'limit', offset: 'offset' },
    status: 200,
    ...(listItems ? { listItems } : {}),
  });

  test.each([
    {
      given: 'the descriptor names them (listItems: user)',
      listItems: 'user',
      want: [{ primary_id: 'a' }, { primary_id: 'b' }],
    },
    // Without the descriptor's word, the first array is taken, page after page: the facets, misread as items.
    {
      given: 'no descriptor names them: the first array',
      listItems: undefined,
      want: [{ name: 'group' }, { name: 'group' }],
    },
  ])('$given', async ({ listItems, want }) => {
    const server = await startServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(page));
    });
    try {
      const alma = createClient({ apiKey: 'k', baseUrl: server.url, rateLimit: false });
      const list = (client: AlmaClient, params: { limit?: number; offset?: number }, options?: CallOptions) =>
        client.request<typeof page>(spec(listItems), params, options);
      const items: unknown[] = [];
      for await (const item of paginate(list, alma, {}, { pageSize: 10 })) items.push(item);
      expect(items).toEqual(want);
    } finally {
      await server.close();
    }
  });

  test('generated list descriptors name their items', async () => {
    const { generateInMemory } = await import('../../generator/pipeline/generate.js');
    const files = (await generateInMemory(loadConfig(path.join(REPO, 'alma-codegen.yaml')))).emitted.files;
    const users = files.get('src/users.ts')!;
    const descriptor = users.slice(users.indexOf('export const listUsersOperation'));
    expect(descriptor.slice(0, descriptor.indexOf('} as const'))).toContain("listItems: 'user',");
    const all = [...files.values()].join('\n');
    expect(all.match(/listItems: /g)?.length).toBeGreaterThan(30);
  });
});
