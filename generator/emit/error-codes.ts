import type { ApiModel } from '../ir/model.js';
import { tsString } from './literals.js';

/** The `errorCodes` registry module: code → message → the operations whose spec lists it. */
export function errorCodesModule(model: ApiModel, header: string): string {
  const registry = new Map<string, Map<string, string[]>>();
  for (const op of model.areas.flatMap((a) => a.operations)) {
    for (const { code, message } of op.errorCodes) {
      const messages = registry.get(code) ?? new Map<string, string[]>();
      messages.set(message, [...(messages.get(message) ?? []), op.exportName]);
      registry.set(code, messages);
    }
  }
  const byKey = <T>(entries: [string, T][]) => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = byKey([...registry.entries()]).map(([code, messages]) => {
    const inner = byKey([...messages.entries()]).map(
      ([message, ops]) => `    ${tsString(message)}: [${ops.map(tsString).join(', ')}],`,
    );
    return `  ${tsString(code)}: {\n${inner.join('\n')}\n  },`;
  });
  return `${header}
/**
 * Every error code the specs list (in each operation's HTTP 400 description): code → message → the operations that
 * list it. Alma's gateway codes (\`UNAUTHORIZED\`, \`PER_SECOND_THRESHOLD\`, …) are not here: see \`GatewayErrorCode\`.
 */
export const errorCodes = {
${lines.join('\n')}
} as const;
`;
}
