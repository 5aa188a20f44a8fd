import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRule } from './settings.js';
import { jsonToXml } from '../runtime/xml/codec.js';
import type { Refusal } from './gateway.js';
import type { Outcome } from './outcomes.js';
import type { Route } from './routes.js';

// Writing the answer of a call as Alma's API sends it: errors as a `web_service_result`, records in the requested
// format, files, and the faults that befall the answer itself. Every function returns the status it sent, for the
// log (0: the connection was dropped).

export type Format = 'json' | 'xml';

const WSR_NS = 'http://com/exlibris/urm/general/xmlbeans';

/** What an answer is written with besides the outcome. */
export interface Reply {
  res: ServerResponse;
  req: IncomingMessage;
  format: Format;
  /** The institution's daily calls left, for `X-Exl-Api-Remaining`. */
  remaining: number;
  fault: FaultRule | undefined;
}

/** A `web_service_result` in the requested format. */
export function replyError(
  res: ServerResponse,
  status: number,
  format: Format,
  error: { code: string; message: string },
  remaining: number | undefined,
): number {
  const trackingId = `E01-MOCK-${Date.now().toString(36).toUpperCase()}`;
  const headers: Record<string, string> = remaining === undefined ? {} : { 'X-Exl-Api-Remaining': String(remaining) };
  const errorList = { error: [{ errorCode: error.code, errorMessage: error.message, trackingId }] };
  res.writeHead(status, { ...headers, 'Content-Type': `application/${format};charset=UTF-8` });
  res.end(
    format === 'json'
      ? JSON.stringify({ errorsExist: true, errorList, result: null })
      : jsonToXml({ errorsExist: true, errorList }, { root: 'web_service_result', namespace: WSR_NS, props: [] }),
  );
  return status;
}

/** A refusal of the gateway or of the request's checks, as Alma sends it. */
export function replyRefusal(res: ServerResponse, refusal: Refusal, format: Format): number {
  return replyError(res, refusal.status, refusal.format ?? format, refusal, refusal.remaining);
}

/** A fault that befalls a call before it is served (a dropped connection, a 500, the gateway's HTML 503), if any. */
export function replyFaultBefore({ req, res, format, remaining, fault }: Reply): number | undefined {
  switch (fault?.kind) {
    case 'reset-before':
      req.socket.destroy();
      return 0;
    case 'error-500':
      return replyError(
        res,
        500,
        format,
        {
          code: 'INTERNAL_SERVER_ERROR',
          message: 'The web server encountered an unexpected condition that prevented it from fulfilling the request.',
        },
        remaining,
      );
    case 'gateway-503':
      res.writeHead(503, { 'Content-Type': 'text/html' });
      res.end(
        '<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head>' +
          '<body><h1>Service Temporarily Unavailable</h1></body></html>',
      );
      return 503;
    default:
      return undefined;
  }
}

/** A served call's outcome, after the faults that befall it once served (dropped, slow, truncated, XML as JSON). */
export async function replyOutcome(reply: Reply, outcome: Outcome, route: Route): Promise<number> {
  const { req, res, format, remaining, fault } = reply;
  if (fault?.kind === 'reset-after') {
    req.socket.destroy();
    return 0;
  }
  if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
  const headers = { 'X-Exl-Api-Remaining': String(remaining) };
  if ('error' in outcome) return replyError(res, outcome.status, format, outcome.error, remaining);
  if ('location' in outcome) {
    res.writeHead(outcome.status, { ...headers, Location: outcome.location, 'Content-Length': 0 });
    res.end();
    return outcome.status;
  }
  if ('file' in outcome) {
    const { contentType, bytes } = outcome.file;
    res.writeHead(outcome.status, { ...headers, 'Content-Type': contentType, 'Content-Length': bytes.length });
    res.end(bytes);
    return outcome.status;
  }
  if (outcome.status === 204 || !outcome.body) {
    const status = outcome.status === 204 ? 204 : 200;
    res.writeHead(status, headers);
    res.end();
    return status;
  }
  const text =
    format === 'xml' || fault?.kind === 'xml-as-json'
      ? jsonToXml(outcome.body, route.responseXml, { rootName: route.responseRoot })
      : JSON.stringify(outcome.body);
  const contentType = format === 'json' ? 'application/json' : 'application/xml';
  if (fault?.kind === 'truncated') {
    res.writeHead(outcome.status, {
      ...headers,
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(text),
    });
    res.write(text.slice(0, Math.floor(text.length / 2)), () => res.destroy());
    return outcome.status;
  }
  res.writeHead(outcome.status, { ...headers, 'Content-Type': `${contentType};charset=UTF-8` });
  res.end(text);
  return outcome.status;
}
