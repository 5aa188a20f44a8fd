import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { generate } from '../generator/api.js';
import { UsageError } from '../generator/errors.js';
import { networkProblem } from '../generator/specs/sync.js';
import { repoTempDir } from './helpers/specs.js';

/** A clone with no specs beside it (no ../shared) and no network: generation says where it looked and what to run. */
describe('a fresh clone without specs', () => {
  test('generate tries sync, and says in one message where it looked and the command that gets the specs', async () => {
    const dir = repoTempDir('out-');
    const file = path.join(dir, 'alma-codegen.yaml');
    // A port nothing listens on any more: the download fails at once, as it does with no network.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    writeFileSync(
      file,
      `output:\n  dir: output\n  packageName: alma-client\nareas:\n  users:\n    url: http://127.0.0.1:${port}/users.json\n`,
    );
    const error = await generate({ config: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^no Alma specs found: looked in .*shared\/alma-openapi \(absent\) and .*specs\/cache \(empty\)/,
    );
    expect(message).toMatch(
      /could not fetch http:\/\/127\.0\.0\.1:\d+\/users\.json: connection refused \(ECONNREFUSED\)/,
    );
    // One line for what happened, one for what to do.
    expect(message.split('\n')).toHaveLength(2);
    expect((error as UsageError).fix).toMatch(/alma-codegen sync/);
  });

  test.each([
    [{ name: 'TimeoutError', message: 'x' }, /^timed out after 30000 ms$/],
    [
      {
        name: 'TypeError',
        message: 'fetch failed',
        cause: { code: 'ENOTFOUND', hostname: 'developers.exlibrisgroup.com' },
      },
      /^DNS lookup of developers\.exlibrisgroup\.com failed \(ENOTFOUND\)/,
    ],
    [{ name: 'TypeError', message: 'fetch failed', cause: { code: 'ECONNREFUSED' } }, /^connection refused/],
    [
      {
        name: 'TypeError',
        message: 'fetch failed',
        cause: { code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' },
      },
      /^TLS failed \(CERT_HAS_EXPIRED\)/,
    ],
  ])('a failed download says why in words: %j', (error, want) => {
    expect(networkProblem(Object.assign(new Error(error.message), error), 30_000)).toMatch(want);
  });
});
