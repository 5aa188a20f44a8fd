import { GeneratorError, joinPointer } from '../errors.js';
import type { ApiModel, Diagnostic, HttpMethod, Operation, Parameter } from './model.js';
import { camelCase } from './naming.js';

/**
 * Operations Alma serves that the published specs omit (`specs/supplementary.yaml`), added to their area as
 * operations like any other, marked `supplementary` with their source. Each gives the answer of an operation the
 * spec has (`result`): its type, formats and error codes. An entry whose method and path the spec now defines is
 * dropped, with a note.
 */
export function addSupplementary(model: ApiModel, doc: unknown, file: string): Diagnostic[] {
  if (doc === undefined) return [];
  const notes: Diagnostic[] = [];
  const entries = (doc as { operations?: unknown }).operations;
  if (!Array.isArray(entries))
    throw new GeneratorError(
      file,
      '/operations',
      'no list of operations',
      'write `operations:` with a list of entries',
    );
  entries.forEach((raw, index) => {
    const at = `/operations/${index}`;
    const entry = checkEntry(raw, file, at);
    const area = model.areas.find((a) => a.name === entry.area);
    if (!area) return; // An area this configuration leaves out.
    const all = model.areas.flatMap((a) => a.operations);
    if (all.some((op) => op.method === entry.method && op.path === entry.path)) {
      notes.push({
        kind: 'supplementary',
        file,
        location: at,
        message: `${entry.method} ${entry.path} is now defined by the ${entry.area} spec: the supplementary entry was dropped; delete it from ${file}`,
      });
      return;
    }
    const [resultMethod, resultPath] = entry.result.split(' ') as [HttpMethod, string];
    const result = all.find((op) => op.method === resultMethod && op.path === resultPath);
    if (!result)
      throw new GeneratorError(
        file,
        joinPointer(at, 'result'),
        `the result operation ${entry.result} is not in the specs`,
        'name an operation of the specs as `METHOD /path`, whose answer this one gives',
      );
    const queryParams = entry.parameters.map((p, i): Parameter => {
      if ('like' in p) {
        const like = result.queryParams.find((q) => q.wireName === p.like);
        if (!like)
          throw new GeneratorError(
            file,
            joinPointer(at, 'parameters', String(i), 'like'),
            `${entry.result} has no query parameter ${p.like}`,
            `name one of its parameters: ${result.queryParams.map((q) => q.wireName).join(', ')}`,
          );
        return structuredClone(like);
      }
      return {
        wireName: p.name,
        name: camelCase(p.name),
        in: 'query',
        required: p.required ?? false,
        type: 'string',
        description: p.description ?? '',
      };
    });
    const op: Operation = {
      area: entry.area,
      operationId: `${entry.method.toLowerCase()}${entry.path}`,
      method: entry.method,
      path: entry.path,
      exportName: '',
      summary: entry.summary,
      description: entry.description,
      docsUrl: result.docsUrl,
      pathParams: [],
      queryParams,
      headerParams: [],
      response: structuredClone(result.response),
      errorCodes: structuredClone(result.errorCodes),
      role: { kind: 'singleton' },
      supplementary: {
        source: entry.source,
        result: result.operationId,
        ...(entry.redirect ? { redirect: entry.redirect } : {}),
      },
    };
    area.operations.push(op);
  });
  return notes;
}

interface Entry {
  area: string;
  method: HttpMethod;
  path: string;
  summary: string;
  description: string;
  source: string;
  parameters: ({ name: string; required?: boolean; description?: string } | { like: string })[];
  result: string;
  redirect?: { param: string; findBy: string };
}

function checkEntry(raw: unknown, file: string, at: string): Entry {
  const entry = (raw ?? {}) as Record<string, unknown>;
  const need = (key: string, hint: string) => {
    if (typeof entry[key] !== 'string' || entry[key] === '')
      throw new GeneratorError(file, joinPointer(at, key), `the entry has no ${key}`, hint);
  };
  need('area', 'name the API area (bibs, users, …)');
  need('path', 'give the path as Alma serves it, e.g. /almaws/v1/items');
  need('summary', 'say in a line what it does');
  need('source', 'say where Ex Libris documents it: an operation not documented anywhere does not belong here');
  need('result', 'name the spec operation whose answer it gives, as `METHOD /path`');
  const method = String(entry.method ?? '').toUpperCase();
  if (!['GET', 'POST', 'PUT', 'DELETE'].includes(method))
    throw new GeneratorError(
      file,
      joinPointer(at, 'method'),
      `method ${JSON.stringify(entry.method)}`,
      'use GET, POST, PUT or DELETE',
    );
  const parameters = Array.isArray(entry.parameters) ? entry.parameters : [];
  return {
    ...(entry as unknown as Entry),
    method: method as HttpMethod,
    description: typeof entry.description === 'string' ? entry.description.trim() : '',
    parameters: parameters as Entry['parameters'],
  };
}
