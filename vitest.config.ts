import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: real processes, packages installed and built, generations of the real specs, real servers. They
 * run after the unit tests, two files at a time. Then, each alone: the two that build and pack this repository
 * (which replaces `dist/`, which the CLI tests run), and the pacing tests (which measure the limiter to the
 * millisecond, across processes, and must not share the two cores).
 */
const E2E = [
  'test/cli.test.ts',
  'test/cli-failures.test.ts',
  'test/pipeline/**/*.test.ts',
  'test/emit/openapi.test.ts',
  'test/convert/**/*.test.ts',
  'test/mock/client-e2e.test.ts',
  'test/mock/mock.test.ts',
  'test/mock/marc-e2e.test.ts',
  'test/mock/environment-e2e.test.ts',
  'test/specs/sync.test.ts',
  'test/runtime/transport.test.ts',
  'test/runtime/errors.test.ts',
  'test/runtime/hard-faults.test.ts',
  'test/bulk/*-e2e.test.ts',
  'test/webhooks/*-e2e.test.ts',
];
const ALONE = {
  'e2e-install': 'test/install.test.ts',
  'e2e-example': 'test/example.test.ts',
  'e2e-timing': 'test/runtime/governance.test.ts',
};

/**
 * The test files that read Ex Libris' real specs or the real payloads (`../shared`, which this repository never
 * copies). On a clone without them they are skipped with one line that says how to get them; under CI their absence
 * fails the run, as a missing redis-server does.
 */
const NEED_SHARED = [
  'test/install.test.ts',
  'test/example.test.ts',
  'test/cli.test.ts',
  'test/cli-failures.test.ts',
  'test/convert/**/*.test.ts',
  'test/emit/openapi.test.ts',
  'test/emit/golden.test.ts',
  'test/mock/**/*.test.ts',
  'test/bulk/*-e2e.test.ts',
  'test/webhooks/*-e2e.test.ts',
  'test/pipeline/**/*.test.ts',
  'test/specs/**/*.test.ts',
  'test/payload-types.test.ts',
  'test/ir/agreement.test.ts',
  'test/ir/lists.test.ts',
  'test/ir/naming.test.ts',
  'test/ir/roles.test.ts',
  'test/ir/xsd.test.ts',
  'test/runtime/generated.test.ts',
  'test/runtime/governance.test.ts',
  'test/runtime/paginate.test.ts',
  'test/runtime/query-result.test.ts',
  'test/runtime/marc/tree-shake.test.ts',
  'test/runtime/xml/property.test.ts',
  'test/runtime/xml/records.test.ts',
  'test/runtime/xml/xsd-validation.test.ts',
];
const shared = path.resolve(import.meta.dirname, '..', 'shared');
const hasShared =
  existsSync(path.join(shared, 'alma-openapi')) ||
  Boolean(process.env.ALMA_SPECS_DIR && existsSync(process.env.ALMA_SPECS_DIR));
if (!hasShared) {
  if (process.env.CI)
    throw new Error(`CI needs the real specs and payloads beside the repository (${shared}): not found`);
  // Said once: vitest evaluates this file again for each project.
  const said = globalThis as { almaCodegenSharedNotice?: true };
  if (!said.almaCodegenSharedNotice)
    process.stderr.write(
      `${NEED_SHARED.length} test files (and their patterns) need the real specs and payloads in ../shared: skipped; ` +
        'get the specs with `alma-codegen sync` and run `ALMA_SPECS_DIR=specs/cache npm test`, or clone beside ../shared\n',
    );
  said.almaCodegenSharedNotice = true;
}
const SKIPPED = hasShared ? [] : NEED_SHARED;

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two files at a time on the two cores; groups run one after the other (`sequence.groupOrder`).
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...E2E, ...Object.values(ALONE), ...SKIPPED],
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'e2e', include: E2E, exclude: SKIPPED, sequence: { groupOrder: 1 } } },
      ...Object.entries(ALONE).map(([name, file], i) => ({
        extends: true as const,
        test: { name, include: [file], exclude: SKIPPED, sequence: { groupOrder: 2 + i } },
      })),
    ],
  },
});
