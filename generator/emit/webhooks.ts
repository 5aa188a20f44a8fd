import { WEBHOOK_ENVELOPE, WEBHOOK_ROOT } from '../ir/webhooks.js';
import { hasXmlType } from '../ir/xml.js';
import type { ApiModel } from '../ir/model.js';
import { xmlConstName } from './naming.js';

/**
 * `src/webhooks.ts` (the package's `./webhooks` entry): the events Alma sends, as a union discriminated by `type`
 * whose payloads are the generated record types (`ir/webhooks.ts`), the XML mapping of `<notification>`, and
 * `createWebhookHandler`, the runtime's listener over them. Absent when the model has no webhook facts.
 */
export function webhooksModule(model: ApiModel, placement: Map<string, string>, header: string): string | undefined {
  if (!model.webhooks?.length) return undefined;
  const typeImports = new Map<string, Set<string>>();
  const xmlImports = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, module: string, name: string) =>
    map.set(module, (map.get(module) ?? new Set()).add(name));
  const variants: string[] = [];
  const props: string[] = [];
  const actions: string[] = [];
  for (const hook of model.webhooks) {
    const schema = hook.schemaId ? model.schemas[hook.schemaId] : undefined;
    const module = schema ? (placement.get(schema.id) ?? 'shared') : undefined;
    if (schema && module) add(typeImports, module, schema.tsName);
    const record = schema?.tsName ?? 'AlmaDocument';
    const payload = hook.wraps ? `WebhookUser<${record}>` : record;
    variants.push(`  | WebhookOf<'${hook.action}', '${hook.element}', ${payload}>`);
    actions.push(`  ${hook.action}: '${hook.element}',`);
    const xml = schema && module && hasXmlType(schema) ? xmlConstName(schema) : undefined;
    if (xml && module) add(xmlImports, module, xml);
    if (hook.wraps)
      props.push(
        `    { key: '${hook.element}', type: { props: [{ key: '${hook.wraps}'${xml ? `, type: ${xml}` : ''} }, { key: 'cause' }, { key: 'method' }] } },`,
      );
    else if (xml) props.push(`    { key: '${hook.element}', type: ${xml} },`);
  }
  const envelope = WEBHOOK_ENVELOPE.map((p) => `    { key: '${p.key}'${p.codeValue ? ', type: CodeValueXml' : ''} },`);
  const imports = [
    ...[...typeImports]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([m, names]) => `import type { ${[...names].sort().join(', ')} } from './${m}.js';`),
    ...[...xmlImports]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([m, names]) => `import { ${[...names].sort().join(', ')} } from './xml/${m}.js';`),
  ];
  return `${header}import { type AlmaDocument, CodeValueXml, type XmlType } from './runtime/index.js';
import {
  type UnknownWebhook,
  type WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookOf,
  type WebhookUser,
  webhookHandler,
} from './runtime/webhooks/index.js';
import { xmlToJson } from './runtime/xml/index.js';
${imports.join('\n')}

export {
  memoryWebhookIds,
  redisWebhookIds,
  runWebhookWorker,
  signWebhook,
  verifyWebhook,
  type WebhookEnvelope,
  type WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookIds,
  type WebhookQueueOptions,
} from './runtime/webhooks/index.js';

/**
 * A webhook Alma sends, by its \`type\` (the action, upper case): its payload typed as the record the action carries.
 * An action this package does not know arrives as \`type: 'unknown'\` with its body, never dropped.
 */
export type WebhookEvent =
${variants.join('\n')}
  | UnknownWebhook;

/** Each known action, and the element of its payload. */
export const WEBHOOK_ACTIONS = {
${actions.join('\n')}
} as const;

/** How the XML body of a webhook (\`<${WEBHOOK_ROOT}>\`) is written: its envelope and each action's payload. */
export const WebhookXml: XmlType = {
  root: '${WEBHOOK_ROOT}',
  props: [
${envelope.join('\n')}
${props.join('\n')}
  ],
};

/**
 * A listener for Alma's webhooks: answers the challenge, checks each event's signature over its raw body, its size
 * and its institution, acknowledges it at once and runs \`onEvent\` after (with retries), once per webhook id.
 *
 * \`\`\`ts
 * const listener = createWebhookHandler({ secret, institution: '01XYZ_INST', onEvent: async (event) => { … } });
 * http.createServer(listener.node).listen(8080);   // or: export default { fetch: listener.fetch }
 * \`\`\`
 */
export function createWebhookHandler(options: WebhookHandlerOptions<WebhookEvent>): WebhookHandler<WebhookEvent> {
  return webhookHandler<WebhookEvent>(options, { xml: WebhookXml, actions: WEBHOOK_ACTIONS, xmlToJson });
}
`;
}
