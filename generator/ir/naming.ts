import path from 'node:path';
import type { HttpMethod } from './model.js';

/**
 * Export names are a pure function of method and path, so adding an operation never renames another.
 *
 * 1. Take the path after `/almaws/v1/`, without a trailing slash.
 * 2. Drop the area segment when a fixed segment follows it (`/acq/funds` → `funds`), keep it when a parameter
 *    follows (`/users/{user_id}` → `users/{user_id}`). `operation` segments are dropped (`/users/operation/test`).
 * 3. Nouns: every fixed segment in camel case; a segment followed by a parameter is singular
 *    (`users/{user_id}/loans` → `User` + `Loans`).
 * 4. Verb: GET on a parameter → `get`; GET on a fixed segment → `list` when the noun is plural, else `get`;
 *    POST on a fixed segment → `create` + singular; POST on a parameter → `actOn` (Alma's `op=` actions);
 *    PUT → `replace` (Alma's PUT replaces the whole record; `update<Entity>` is the generated read-modify-write
 *    helper beside it); DELETE → `delete`.
 * 5. Test endpoints (`…/test`) are `<method><Area>Test`, e.g. `getAcqTest`.
 * 6. A few operations read better named as Alma names them (`NAMED_BY_ALMA`); a configuration's overrides still win.
 */
export function exportNameFor(area: string, method: HttpMethod, path: string): string {
  const named = NAMED_BY_ALMA[`${method} ${path}`];
  if (named) return named.name;
  const segments = path
    .replace(/^\/almaws\/v1\//, '')
    .replace(/\/+$/, '')
    .split('/')
    .filter(Boolean);
  const isParam = (s: string | undefined) => s !== undefined && /^\{.+\}$/.test(s);
  if (segments.at(-1) === 'test') return `${method.toLowerCase()}${pascal(area)}Test`;

  const kept = segments.filter((s, i) => {
    if (s === 'operation') return false;
    return !(i === 0 && segments.length > 1 && !isParam(segments[1]));
  });
  const endsWithParam = isParam(kept.at(-1));
  const nouns: string[] = [];
  kept.forEach((segment, i) => {
    if (isParam(segment)) return;
    const followedByParam = isParam(kept[i + 1]);
    const isLast = !kept.slice(i + 1).some((s) => !isParam(s));
    const singularise = followedByParam || (isLast && method === 'POST' && !endsWithParam);
    nouns.push(pascal(singularise ? singular(segment) : segment));
  });
  const noun = nouns.join('');
  const last = kept.at(-1) ?? '';
  switch (method) {
    case 'GET':
      return endsWithParam || !isPlural(last) ? `get${noun}` : `list${noun}`;
    case 'POST':
      return endsWithParam ? `actOn${noun}` : `create${noun}`;
    case 'PUT':
      return `replace${noun}`;
    case 'DELETE':
      return `delete${noun}`;
  }
}

/**
 * Operations whose rule name misleads, named as Alma's documentation names them (every configuration gets these):
 * the rule drops a fixed area segment (`/analytics/reports` → `listReports`), which hides what they are.
 */
export const NAMED_BY_ALMA: Readonly<Record<string, { name: string; why: string }>> = {
  'GET /almaws/v1/items': {
    name: 'getItemByBarcode',
    why: 'Alma\'s "retrieve item information by barcode" (supplementary): getItems would promise a list',
  },
  'GET /almaws/v1/analytics/reports': {
    name: 'getAnalyticsReport',
    why: '"Retrieve Analytics report": one report\'s rows, not a list of reports (listReports misleads)',
  },
  'GET /almaws/v1/analytics/paths': {
    name: 'listAnalyticsPaths',
    why: '"Retrieve Analytics paths" (listPaths hides the area)',
  },
  'GET /almaws/v1/analytics/paths/{path}': {
    name: 'getAnalyticsPath',
    why: '"Retrieve Analytics path" (getPath hides the area)',
  },
  'POST /almaws/v1/users/{user_id}/fees/all': {
    name: 'payAllUserFees',
    why: '"Pay all fees": an op=pay action on every fee, not a creation (createUserFeesAll misleads)',
  },
};

/**
 * What an operation's path is about, for naming a body that does not name itself: the last fixed segment, singular
 * when a parameter follows it (`/task-lists/printouts/{printout_id}` → `Printout`, `/task-lists/printouts` → `Printouts`).
 */
export function entityOf(path: string): string {
  const segments = path
    .replace(/\/+$/, '')
    .split('/')
    .filter((s) => s && s !== 'operation');
  let last = segments.length - 1;
  while (last > 0 && /^\{.+\}$/.test(segments[last]!)) last--;
  const segment = segments[last] ?? 'body';
  return pascal(last < segments.length - 1 ? singular(segment) : segment);
}

/** `user_id` → `userId`; `mmsId` stays; `set1` stays. */
export function camelCase(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const [first = '', ...rest] = parts;
  const camel = first.charAt(0).toLowerCase() + first.slice(1) + rest.map(capitalise).join('');
  return /^[0-9]/.test(camel) ? `_${camel}` : camel;
}

/** `po-lines` → `PoLines`; `rest_user-post` → `RestUserPost`; `ME` → `Me`. */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => (part === part.toUpperCase() ? capitalise(part.toLowerCase()) : capitalise(part)))
    .join('');
}

/**
 * The name of a type nested in another: its own name where it already says its parent's (`Event` + `EventKey` →
 * `EventKey`; `UserGroups` + `UserGroup` → `UserGroup`: no `UserGroupsUserGroup`), unless a schema file's root type
 * has that name (`Holdings` + `Holding` stays `HoldingsHolding`: `Holding` is rest_holding's), or it is the parent's
 * own name (an XSD's type named as its file); else the parent's name before its own (`Fee` + `Transaction` →
 * `FeeTransaction`).
 */
export function nestedTypeName(parent: string, own: string, isRootName: (name: string) => boolean): string {
  if (own === parent) return own;
  return own.startsWith(parent.replace(/s$/, '')) && !isRootName(own) ? own : `${parent}${own}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function isPlural(segment: string): boolean {
  return /[^s]s$/.test(segment) || /ies$/.test(segment);
}

/** Singular of an English plural as used in Alma paths (`libraries`, `matches`, `po-lines`, `fees`). */
export function singular(word: string): string {
  if (/ies$/.test(word)) return word.replace(/ies$/, 'y');
  if (/(ch|sh|x|ss)es$/.test(word)) return word.replace(/es$/, '');
  if (/[^s]s$/.test(word)) return word.replace(/s$/, '');
  return word;
}

/** TypeScript reserved words and strict-mode names that cannot be an exported function's name. */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with as implements interface ' +
    'let package private protected public static yield any boolean number string symbol type from of await async constructor ' +
    'arguments eval undefined never unknown object'
  ).split(' '),
);

export function isValidIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !RESERVED.has(name);
}

/** The TypeScript name of a JSON schema file's root type: `rest_location-post.json` → `LocationPost`. */
export function rootTypeName(file: string): string {
  return pascal(
    path
      .basename(file)
      .replace(/\.(json|ya?ml|xsd)$/, '')
      .replace(/^rest_/, ''),
  );
}

/** Every name the generated package's runtime exports. */
export const RUNTIME_EXPORTS = [
  'AlmaAbortError',
  'AlmaApiError',
  'AlmaAuthError',
  'AlmaConflictError',
  'AlmaConfigError',
  'AlmaEnvironmentError',
  'AlmaTarget',
  'ApiKey',
  'ApiKeys',
  'ClientSettings',
  'KeyEntry',
  'AlmaVerifyError',
  'MarcError',
  'MarcRecord',
  'ControlField',
  'DataField',
  'MarcField',
  'Subfield',
  'MarcChange',
  'Availability',
  'PhysicalAvailability',
  'ElectronicAvailability',
  'DigitalAvailability',
  'WithMarc',
  'MarcUpdateOptions',
  'MarcUpdateResult',
  'availabilityOf',
  'diffRecords',
  'formatMarcDiff',
  'marcOf',
  'withMarc',
  'tagMatches',
  'updateMarc',
  'findOne',
  'AccessReport',
  'AreaAccess',
  'AreaTests',
  'formatAccessReport',
  'probeAccess',
  'AlmaClient',
  'AlmaDailyLimitError',
  'AlmaDecodeError',
  'AlmaDocument',
  'AlmaError',
  'AlmaErrorDetail',
  'AlmaNetworkError',
  'AlmaNotFoundError',
  'AlmaOutcomeUnknownError',
  'AlmaRateLimitError',
  'AlmaReadOnlyError',
  'AlmaServerError',
  'AlmaTimeoutError',
  'Budget',
  'RedisLike',
  'RetryOptions',
  'SlotRule',
  'SlotStore',
  'redisSlotStore',
  'CallOptions',
  'CodeValue',
  'CodeValueXml',
  'ClientOptions',
  'ErrorCodeOf',
  'FieldChange',
  'GatewayErrorCode',
  'HttpMethod',
  'ItemOf',
  'PaginateOptions',
  'JsonValue',
  'NoParams',
  'OperationSpec',
  'REGIONS',
  'Region',
  'JsonObject',
  'RequestEvent',
  'ResponseEvent',
  'ResponseMeta',
  'SafeUpdateOptions',
  'SafeUpdateResult',
  'WireFormat',
  'WithResponse',
  'XmlProp',
  'XmlType',
  'AlmaJobError',
  'AnalyticsOptions',
  'AnalyticsPage',
  'AnalyticsRow',
  'JobInstanceLike',
  'JobRun',
  'JobRunAnswer',
  'RunJobOptions',
  'analyticsPages',
  'analyticsRows',
  'runJob',
  'createClient',
  'errorCodes',
  'isAlmaError',
  'paginate',
  'paginatePages',
  'safeUpdate',
  'withResponse',
  'AlmaQueryError',
  'ClientChanges',
  'KnownValueList',
  'KnownValues',
  'Search',
  'SearchAll',
  'SearchSpec',
  'SearchTerm',
  'renderSearch',
  'byIds',
  'ByIdsOptions',
  'jobLimits',
  'JobLimitOptions',
  'JobLimits',
] as const;

/** A name the generated package's runtime exports. */
export type RuntimeExport = (typeof RUNTIME_EXPORTS)[number];

/**
 * The TypeScript names taken so far. Names the runtime exports are taken from the start: a schema never takes one.
 */
export class TsNames {
  private readonly taken = new Map<string, string>(RUNTIME_EXPORTS.map((name): [string, string] => [name, 'runtime']));

  /** The first free name of `names` for `id`; when all are taken (rare, between sources), the first with a numeric suffix. */
  claim(names: readonly string[], id: string): string {
    const free = names.find((n) => !this.taken.has(n) || this.taken.get(n) === id);
    if (free !== undefined) {
      this.taken.set(free, id);
      return free;
    }
    const wanted = names[0]!;
    let name = wanted;
    for (let n = 2; this.taken.has(name) && this.taken.get(name) !== id; n++) name = `${wanted}${n}`;
    this.taken.set(name, id);
    return name;
  }
}
