// A webhook listener for Alma: jobs that end and items that change, checked (signature, institution, duplicates)
// before anything runs. Run it with `ALMA_WEBHOOK_SECRET=… ALMA_INSTITUTION=01XYZ_INST node dist/src/listener.js`, and
// point an Alma webhook integration profile at http://<host>:8080/alma.
import { createServer, type Server } from 'node:http';
import { createWebhookHandler, type WebhookEvent, type WebhookHandler } from 'alma-client/webhooks';

export interface Listener {
  server: Server;
  handler: WebhookHandler<WebhookEvent>;
  /** What the listener heard, one line per event (a real one would write to a queue, a database, a chat). */
  heard: string[];
}

export async function startListener(options: { port: number; secret: string; institution: string }): Promise<Listener> {
  const heard: string[] = [];
  const handler = createWebhookHandler({
    secret: options.secret,
    institution: options.institution,
    onEvent: (event) => {
      switch (event.type) {
        case 'JOB_END':
          heard.push(`job ${event.job_instance.name ?? ''} ended: ${event.job_instance.status?.value ?? '?'}`);
          break;
        case 'ITEM':
          heard.push(`item ${event.item.item_data.barcode ?? ''}: ${event.event?.value ?? 'changed'}`);
          break;
        case 'unknown':
          heard.push(`an action this client does not know: ${event.action}`);
          break;
        default:
          heard.push(`${event.type} ${event.event?.value ?? ''}`.trim());
      }
    },
  });
  const server = createServer(handler.node);
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  return { server, handler, heard };
}

const run = process.argv[1]?.endsWith('listener.js') && process.env.ALMA_WEBHOOK_SECRET;
if (run) {
  const listener = await startListener({
    port: Number(process.env.PORT ?? 8080),
    secret: process.env.ALMA_WEBHOOK_SECRET!,
    institution: process.env.ALMA_INSTITUTION ?? '',
  });
  console.log(`listening on http://127.0.0.1:${(listener.server.address() as { port: number }).port}/alma`);
}
