import type { JsonObject } from '../runtime/xml/codec.js';
import { NETWORK_ZONE } from '../generator/ir/network-zone.js';
import { notFoundError, unknownIdListError, zoneRefusedError } from '../generator/ir/errors.js';
import { BRIEF_ENTRIES, outputFields } from '../generator/ir/output-fields.js';
import { answerOf } from './answers.js';
import { SELF_LINKED } from '../generator/ir/observed.js';
import { isLinked, linkedTo, linkFromNetwork } from './network-zone.js';
import { dropFields, editConcurrently, saveMarc } from './marc.js';
import { downloadFile } from './files.js';
import { fillMessage, notFoundOutcome, type Call, type Outcome } from './outcomes.js';
import type { Route } from './routes.js';
import { segmentsOf } from './routes.js';
import { filterRecords, hasFilters, sortRecords, unanswerableQuery } from './search.js';
import { getPath, idFieldOf, type MockStore } from './store.js';

// The mock's records: what a call does to the store (list, read, create, act, replace, delete), by route kind.

/** What the store does for a call. */
export function serve(
  store: MockStore,
  call: Call,
  baseUrl: string,
  isList: (path: string) => boolean,
  zones: { network: MockStore },
): Outcome {
  const { route } = call;
  const path = `/${segmentsOf(call.path).map(decodeURIComponent).join('/')}`;
  const collectionPath = route.segments.at(-1) === null ? path.slice(0, path.lastIndexOf('/')) : path;
  const id = call.params.at(-1) ?? '';
  const status = route.operation.response.status;
  const notFound = () => notFoundOutcome(route, id, call.query);
  // A bib, holding or authority: Alma keeps its MARC's 001 and 005 and derives fields from it on every save (IR).
  const marcKind = route.requestSchema?.marc ? route.requestSchema.xmlRoot : undefined;
  const answer = (record: JsonObject, recordPath: string, entry: boolean) =>
    answerOf(record, {
      store,
      url: `${baseUrl}${recordPath}`,
      path: recordPath,
      query: call.query,
      entry,
      isList,
      selfLinked: route.responseRoot in SELF_LINKED,
    });
  // The `test` operations change nothing and need no body: the gateway has already checked the key's rights.
  if (route.operation.keyTest) return { status: 200, body: { result: 'OK' } };
  switch (route.kind) {
    case 'list': {
      const limit = Number(
        call.query.get('limit') ?? route.operation.queryParams.find((p) => p.wireName === 'limit')?.default ?? 10,
      );
      const offset = Number(call.query.get('offset') ?? 0);
      const recordOf = (entry: { record: JsonObject }) => entry.record;
      const nzIds = route.operation.networkZone === 'find' ? idList(call.query.get(NETWORK_ZONE.find.param)) : [];
      const filters = route.operation.queryParams
        .map((p) => p.wireName)
        .filter((name) => !nzIds.length || name !== NETWORK_ZONE.find.param);
      const orderParam = route.operation.queryParams.find((p) => p.wireName === 'order_by');
      const order =
        call.query.get('order_by') ?? (orderParam?.default !== undefined ? String(orderParam.default) : null);
      const direction = call.query.get('direction');
      const sortedOf = (entries: { path: string; record: JsonObject }[]) =>
        sortRecords(entries, recordOf, order, direction);
      // An unfiltered page of one collection is cut from its sorted order, kept until the collection changes: a
      // page costs the page, not the collection.
      // What Alma cannot answer (a field twice, a field it does not search): no entries, and a count of -1.
      if (unanswerableQuery(call.query.get('q'), route.operation.search))
        return { status, body: { total_record_count: -1 } };
      const unfiltered =
        !nzIds.length && !hasFilters(call.query, filters) && !collectionPath.split('/').includes('ALL');
      const sorted = unfiltered
        ? store.cached(collectionPath, `${order}\u0000${direction}`, () => sortedOf(store.entries(collectionPath)))
        : sortedOf(
            filterRecords(
              nzIds.length
                ? linkedTo(store, nzIds).map((record) => ({ path: collectionPath, record }))
                : store.entries(collectionPath),
              recordOf,
              call.query,
              filters,
            ),
          );
      // An identifier list that names nothing is an error on the lists that document one (`GET /bibs?mms_id=`).
      const unknown = unknownIdListError(route.operation);
      const idsGiven = route.operation.queryParams.some(
        (p) => /_id$/.test(p.wireName) && idList(call.query.get(p.wireName)).length > 0,
      );
      if (unknown && idsGiven && sorted.length === 0) {
        // Alma's message names the parameter and the values (`Input parameters mmsId 1234 is not valid.`).
        const given = route.operation.queryParams.find((p) => /_id$/.test(p.wireName) && call.query.get(p.wireName));
        const named = given ? `${given.name} ${call.query.get(given.wireName)}` : '';
        return {
          status: 400,
          error: { code: unknown.code, message: notFoundError({ errorCodes: [] }).message.replace(/\bX\b/, named) },
        };
      }
      const brief = BRIEF_ENTRIES[route.itemKey];
      const full = brief && call.query.get(brief.full.param)?.split(',').includes(brief.full.value);
      const items = sorted
        .slice(offset, offset + limit)
        .map((e) => answer(e.record, `${e.path}/${String(getPath(e.record, idFieldOf(e.path)))}`, true))
        .map((entry) => (brief && !full ? pick(entry, brief.fields) : entry));
      // Alma leaves an empty list's key out; the count only where the list's schema has one.
      const count =
        !route.responseXml || route.responseXml.props.some((p) => p.key === 'total_record_count')
          ? { total_record_count: sorted.length }
          : {};
      // A fee list's sum and currency (rest_fees.xsd's attributes), where the list's schema has them.
      const has = (key: string) => route.responseXml?.props.some((p) => p.key === key);
      const sums = {
        ...(has('total_sum') ? { total_sum: sorted.reduce((n, e) => n + Number(e.record.balance ?? 0), 0) } : {}),
        ...(has('currency') ? { currency: String(store.document('/almaws/v1/conf/general')?.currency ?? 'USD') } : {}),
      };
      return {
        status,
        body: {
          ...(items.length ? { [route.itemKey]: items } : {}),
          ...count,
          ...sums,
          ...listExtras(store, route, collectionPath, baseUrl),
        },
      };
    }
    case 'get': {
      const record = store.get(collectionPath, id);
      if (!record) return notFound();
      const body = answer(record, path, false);
      // Another writer saves the record right after this read (the `concurrent-edit` fault).
      if (call.fault?.kind === 'concurrent-edit') editConcurrently(record);
      return { status, body };
    }
    case 'singleton':
      return { status, body: store.document(path) ?? {} };
    case 'file':
      return { status, file: downloadFile(call.query.get('download_format')) };
    case 'create': {
      if (route.operation.networkZone === 'link' && call.query.get(NETWORK_ZONE.link.param)) {
        const nzId = call.query.get(NETWORK_ZONE.link.param)!;
        const linked = linkFromNetwork(store, zones.network, nzId);
        if (!linked) return notFoundOutcome(route, nzId, call.query);
        return { status, body: answer(linked, `${collectionPath}/${String(linked.mms_id)}`, false) };
      }
      if (!call.body) return { status: 400, error: { code: route.invalidCode, message: 'A body is required.' } };
      const field = idFieldOf(collectionPath);
      const given = getPath(call.body, field);
      if (
        route.duplicate &&
        given !== undefined &&
        given !== null &&
        given !== '' &&
        store.get(collectionPath, String(given))
      ) {
        return {
          status: 400,
          error: {
            code: route.duplicate.code,
            message: fillMessage(route.duplicate.message, route, String(given), call.query, field),
          },
        };
      }
      const created = store.insert(collectionPath, structuredClone(call.body));
      const newId = String(getPath(created, field));
      if (marcKind) {
        if (call.fault?.kind === 'drop-field') dropFields(created, call.fault.tag ?? '500');
        saveMarc(created, marcKind, newId, true);
      }
      return status === 204 ? { status } : { status, body: answer(created, `${collectionPath}/${newId}`, false) };
    }
    case 'action': {
      const record = route.segments.at(-1) === null ? store.get(collectionPath, id) : call.body;
      if (route.segments.at(-1) === null && !record) return notFound();
      // Unlinking from the Network Zone a bib that is not linked to it: Alma refuses.
      const zoneRefused = zoneRefusedError(route.operation);
      if (record && zoneRefused && call.query.get('op') === 'unlink_from_nz') {
        if (!isLinked(record)) return { status: 400, error: { code: zoneRefused.code, message: zoneRefused.message } };
        delete record[NETWORK_ZONE.linkField];
      }
      return status === 204 ? { status } : { status, body: record ? answer(record, path, false) : {} };
    }
    case 'replace': {
      if (!call.body) return { status: 400, error: { code: route.invalidCode, message: 'A body is required.' } };
      const before = store.get(collectionPath, id);
      const replaced = store.replace(collectionPath, id, structuredClone(call.body));
      if (!replaced) return notFound();
      // What Alma computes is Alma's: its own values of the output fields stay, and a user's full name is derived.
      for (const field of outputFields(route.requestSchema)) {
        if (before && field in before) replaced[field] = before[field];
        else delete replaced[field];
      }
      if (outputFields(route.requestSchema).includes('full_name')) replaced.full_name = fullName(replaced);
      if (marcKind) {
        if (call.fault?.kind === 'drop-field') dropFields(replaced, call.fault.tag ?? '500');
        saveMarc(replaced, marcKind, id, false);
      }
      return { status, body: answer(replaced, path, false) };
    }
    case 'replaceAll':
      store.setDocument(path, call.body ?? {});
      return { status, body: call.body ?? {} };
    case 'delete':
      return store.delete(collectionPath, id) ? { status: status === 200 ? 204 : status } : notFound();
    case 'deleteAll':
      store.clear(path);
      return { status: 204 };
  }
}

/**
 * Fields of a list document beside its entries (`bib_data` of a bib's holdings): the record the list belongs to, as
 * a reference with its link.
 */
function listExtras(store: MockStore, route: Route, collectionPath: string, baseUrl: string): JsonObject {
  if (route.listExtras.length === 0) return {};
  const ownerPath = collectionPath.slice(0, collectionPath.lastIndexOf('/'));
  const owner = store.get(
    ownerPath.slice(0, ownerPath.lastIndexOf('/')),
    ownerPath.slice(ownerPath.lastIndexOf('/') + 1),
  );
  if (!owner) return {};
  const scalars = Object.fromEntries(Object.entries(owner).filter(([, v]) => typeof v !== 'object' || v === null));
  return Object.fromEntries(route.listExtras.map((name) => [name, { ...scalars, link: `${baseUrl}${ownerPath}` }]));
}

/** A comma-separated identifier list (`mms_id=1,2`), trimmed; empty when absent. */
function idList(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Only these fields of a record (a brief list entry). */
function pick(record: JsonObject, fields: readonly string[]): JsonObject {
  return Object.fromEntries(fields.filter((f) => f in record).map((f) => [f, record[f]]));
}

/** A user's full name as Alma derives it: first, middle and last name. */
function fullName(user: JsonObject): string {
  return [user.first_name, user.middle_name, user.last_name].filter((n) => typeof n === 'string' && n).join(' ');
}
