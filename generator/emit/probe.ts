import type { ApiModel } from '../ir/model.js';
import { descriptorName } from './naming.js';

/**
 * `src/probe.ts`: every area's `test` operations (`ir/key-tests.ts`) and `probeAccessOfKey(client)`, which reports what
 * the client's key may do in each (the runtime's `probeAccess`). Absent when the specs have no test operations.
 */
export function probeModule(model: ApiModel, header: string): string | undefined {
  const areas = model.areas
    .map((area) => ({
      area: area.name,
      read: area.operations.find((op) => op.keyTest === 'read'),
      write: area.operations.find((op) => op.keyTest === 'write'),
    }))
    .filter((a) => a.read || a.write);
  if (areas.length === 0) return undefined;
  const imports = areas.map(({ area, read, write }) => {
    const names = [read, write].flatMap((op) => (op ? [descriptorName(op)] : []));
    return `import { ${names.join(', ')} } from './${area}.js';`;
  });
  const entries = areas.map(({ area, read, write }) => {
    const fields = [
      `area: '${area}'`,
      read ? `read: ${descriptorName(read)}` : '',
      write ? `write: ${descriptorName(write)}` : '',
    ];
    return `  { ${fields.filter(Boolean).join(', ')} },`;
  });
  return `${header}import { type AccessReport, type AlmaClient, type AreaTests, probeAccess } from './runtime/index.js';
${imports.join('\n')}

/** Each area's \`test\` operations (a GET and a POST that change nothing), for checking what a key may do. */
export const KEY_TESTS: readonly AreaTests[] = [
${entries.join('\n')}
];

/**
 * What the client's key may do in each area (read-write, read-only, none), with at most two calls an area, plus the
 * environment and institution it reaches (\`alma-codegen probe\` prints the same report).
 */
export function probeAccessOfKey(client: AlmaClient): Promise<AccessReport> {
  return probeAccess(client, KEY_TESTS);
}
`;
}
