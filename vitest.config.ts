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
];
const ALONE = {
  'e2e-install': 'test/install.test.ts',
  'e2e-example': 'test/example.test.ts',
  'e2e-timing': 'test/runtime/governance.test.ts',
};

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
          exclude: [...E2E, ...Object.values(ALONE)],
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'e2e', include: E2E, sequence: { groupOrder: 1 } } },
      ...Object.entries(ALONE).map(([name, file], i) => ({
        extends: true as const,
        test: { name, include: [file], sequence: { groupOrder: 2 + i } },
      })),
    ],
  },
});
