import { unknownIdListError } from '../ir/errors.js';
import type { ApiModel, Operation } from '../ir/model.js';
import { NETWORK_ZONE } from '../ir/network-zone.js';
import { withRole } from '../ir/roles.js';
import { jsDocs } from './docs.js';
import { byIdsHelperName, descriptorName, marcHelperName, paramsTypeName, updateHelperName } from './naming.js';
import { type FunctionDeclarationStructure, StructureKind } from './ts-morph.js';
import { tsType, type Names } from './types.js';

/**
 * The helpers emitted beside the operations of a module, each a one-line call into the runtime:
 * - `update<Entity>` for every PUT whose role names the GET to read the record with (`ir/roles.ts`): a
 *   read-modify-write that keeps every field (`safeUpdate`);
 * - `runJobAndWait` where the module runs jobs and reads their instances (`runJob`);
 * - `analyticsReportRows` / `analyticsReportPages` where it reads Analytics reports (`analyticsRows`).
 */
export function helperStatements(
  operations: Operation[],
  names: Names,
  model: ApiModel,
): FunctionDeclarationStructure[] {
  const statements = operations.flatMap((put) => {
    const readWith = put.role.kind === 'replace' || put.role.kind === 'replaceAll' ? put.role.readWith : undefined;
    const get = readWith && operations.find((op) => op.operationId === readWith);
    if (!get) return [];
    const read = get.response.type?.kind === 'ref' ? model.schemas[get.response.type.id] : undefined;
    return read?.marc ? [updateHelper(get, put, names), marcHelper(get, put, names)] : [updateHelper(get, put, names)];
  });
  const runJobOp = withRole(operations, 'job-run');
  const instanceOp = withRole(operations, 'job-instance');
  if (runJobOp && instanceOp && runJobOp.response.type && instanceOp.response.type)
    statements.push(runJobHelper(runJobOp, instanceOp, names));
  statements.push(...networkZoneHelpers(operations, names, model));
  const reportOp = withRole(operations, 'analytics-report');
  if (reportOp) statements.push(...analyticsHelpers(reportOp, names));
  for (const op of operations) if (op.idList && op.response.type) statements.push(byIdsHelper(op, names));
  return statements;
}

/** `<list>ByIds` for a list operation whose ids parameter has a documented maximum per call (`byIds`). */
function byIdsHelper(op: Operation, names: Names): FunctionDeclarationStructure {
  const ids = op.idList!;
  const page = tsType(op.response.type!, names);
  const doc = [
    `The records of any number of ids from {@link ${op.exportName}}, which takes at most ${ids.max} in its \`${ids.wireName}\` per call: as many calls as needed, the entries merged in the order the ids were asked (an id Alma does not know is absent).`,
    [
      '@param client - The client to call Alma with.',
      '@param ids - The ids, as many as needed.',
      `@param params - The other parameters of {@link ${paramsTypeName(op)}}.`,
      '@param options - Per-call settings, for every call.',
    ].join('\n'),
  ].join('\n\n');
  return {
    kind: StructureKind.Function,
    name: byIdsHelperName(op),
    isExported: true,
    docs: jsDocs(doc),
    parameters: [
      { name: 'client', type: names.type('AlmaClient') },
      { name: 'ids', type: 'readonly string[]' },
      { name: 'params', type: `Omit<${paramsTypeName(op)}, '${ids.param}'>`, initializer: '{}' },
      { name: 'options', type: names.type('CallOptions'), hasQuestionToken: true },
    ],
    returnType: `Promise<${names.type('ItemOf')}<${page}>[]>`,
    statements: `return ${names.value('byIds')}(${op.exportName}, client, params, ids, { param: ${JSON.stringify(ids.param).replaceAll('"', "'")}, wireName: '${ids.wireName}', max: ${ids.max} }, options);`,
  };
}

function updateHelper(get: Operation, put: Operation, names: Names): FunctionDeclarationStructure {
  const record = tsType(get.response.type!, names);
  const stored = put.response.type ? tsType(put.response.type, names) : 'void';
  const getParams = get.pathParams.length + get.queryParams.length > 0 ? paramsTypeName(get) : names.type('NoParams');
  const doc = [
    `Changes one {@link ${record}} record without losing fields: reads the whole record with {@link ${get.exportName}} (in the format {@link ${put.exportName}} will use), applies \`mutate\` (in place, or by returning a new record) and writes the whole record back with {@link ${put.exportName}}. Alma's PUT replaces the record, so every field, known to the schema or not, goes back as it was read.`,
    [
      '@param client - The client to call Alma with.',
      `@param params - The parameters of both calls: {@link ${getParams}} and {@link ${paramsTypeName(put)}} without \`body\`.`,
      '@param mutate - Changes the record.',
      '@param options - `dryRun: true` returns the changes and writes nothing; `backupDir` saves the record as read first (Node); and the per-call settings.',
      '@returns The changes and, unless a dry run, the record as Alma stored it.',
    ].join('\n'),
  ].join('\n\n');
  // The record is read in the format the PUT will use, so that what XML carries beyond the schema goes back as it came.
  const xmlOnly = put.wireFormat === 'xml';
  const call = xmlOnly ? `{ ...options, format: 'xml' }` : 'options';
  const [client, options, result, update] = [
    names.type('AlmaClient'),
    names.type('SafeUpdateOptions'),
    names.type('SafeUpdateResult'),
    names.value('safeUpdate'),
  ];
  return helperFunction(
    updateHelperName(get),
    doc,
    [
      ['client', client],
      ['params', `${getParams} & Omit<${paramsTypeName(put)}, 'body'>`],
      ['mutate', `(record: ${record}) => void | ${record} | Promise<void | ${record}>`],
      ['options?', options],
    ],
    `Promise<${result}<${stored}>>`,
    `${update}(${get.exportName}, ${put.exportName}, client, params, mutate, ${call})`,
  );
}

function marcHelper(get: Operation, put: Operation, names: Names): FunctionDeclarationStructure {
  const record = tsType(get.response.type!, names);
  const stored = put.response.type ? tsType(put.response.type, names) : 'void';
  const getParams = get.pathParams.length + get.queryParams.length > 0 ? paramsTypeName(get) : names.type('NoParams');
  const doc = [
    `Edits the MARC record of one {@link ${record}} safely: reads the whole record with {@link ${get.exportName}}, applies \`edit\` to its {@link MarcRecord} (in place, or by returning a new one) and writes the whole record back with {@link ${put.exportName}}. An edit that changes nothing sends nothing. Just before the write the record is read again: a change saved meanwhile by another writer is never overwritten (the edit is applied again to the fresh record, or {@link AlmaConflictError} carries both versions). After the write, the record Alma returns is compared with the one sent, field by field: a field the edit set that Alma dropped or altered raises {@link AlmaVerifyError}.`,
    [
      '@param client - The client to call Alma with.',
      `@param params - The parameters of both calls: {@link ${getParams}} and {@link ${paramsTypeName(put)}} without \`body\`.`,
      `@param edit - Changes the MARC record; the whole {@link ${record}} is its second argument.`,
      "@param options - `dryRun: true` prints the field-level diff and writes nothing; `onConflict: 'fail'`, `maxTries`, `checkConflicts: false` (one call less, no lost-update check), `verify: false`, `backupDir`; and the per-call settings.",
      '@returns The field-level changes, whether a write was sent, and the record as Alma stored it.',
    ].join('\n'),
  ].join('\n\n');
  const call = put.wireFormat === 'xml' ? `{ ...options, format: 'xml' }` : 'options';
  const [client, marc, options, result, update] = [
    names.type('AlmaClient'),
    names.type('MarcRecord'),
    names.type('MarcUpdateOptions'),
    names.type('MarcUpdateResult'),
    names.value('updateMarc'),
  ];
  return helperFunction(
    marcHelperName(get),
    doc,
    [
      ['client', client],
      ['params', `${getParams} & Omit<${paramsTypeName(put)}, 'body'>`],
      ['edit', `(marc: ${marc}, record: ${record}) => void | ${marc} | Promise<void | ${marc}>`],
      ['options?', options],
    ],
    `Promise<${result}<${stored}>>`,
    `${update}(${get.exportName}, ${put.exportName}, client, params, edit, ${call})`,
  );
}

/**
 * Where a module finds and links Network Zone records (`ir/network-zone.ts`): the IZ copy of an NZ record, linking one
 * into the IZ, and whether a bib is linked.
 */
function networkZoneHelpers(operations: Operation[], names: Names, model: ApiModel): FunctionDeclarationStructure[] {
  const helpers: FunctionDeclarationStructure[] = [];
  const find = operations.find((op) => op.networkZone === 'find');
  const link = operations.find((op) => op.networkZone === 'link');
  if (!find && !link) return helpers;
  const client = names.type('AlmaClient');
  const options = names.type('CallOptions');
  const findParam = find?.queryParams.find((p) => p.wireName === NETWORK_ZONE.find.param);
  if (find && findParam && find.role.kind === 'list') {
    const list = model.schemas[find.response.type?.kind === 'ref' ? find.response.type.id : '']!;
    const item =
      list.type.kind === 'object'
        ? list.type.properties.find((p) => p.name === (find.role as { item: string }).item)
        : undefined;
    const record = item?.type.kind === 'array' ? tsType(item.type.items, names) : names.type('AlmaDocument');
    const none = [
      unknownIdListError(find)?.code,
      ...find.errorCodes.filter((c) => c.kind === 'not-found').map((c) => c.code),
    ].filter(Boolean);
    helpers.push(
      helperFunction(
        'findNetworkZoneCopy',
        `The institution's copy of a Network Zone record (${'`'}GET ${find.path}?${NETWORK_ZONE.find.param}=${'`'} with {@link ${find.exportName}}), or ${'`'}undefined${'`'} when the institution has none (which Alma answers with an error).\n\n@param client - The client of the member institution.\n@param nzMmsId - The Network Zone record's MMS id.\n@param options - Per-call settings.`,
        [
          ['client', client],
          ['nzMmsId', 'string'],
          ['options?', options],
        ],
        `Promise<${record} | undefined>`,
        `${names.value('findOne')}(${find.exportName}, client, { ${findParam.name}: nzMmsId }, ${JSON.stringify(none).replace(/"/g, "'")}, options) as Promise<${record} | undefined>`,
      ),
    );
  }
  const linkParam = link?.queryParams.find((p) => p.wireName === NETWORK_ZONE.link.param);
  if (link && linkParam && link.response.type) {
    const record = tsType(link.response.type, names);
    helpers.push(
      helperFunction(
        'linkFromNetworkZone',
        `Links a Network Zone record into the institution (${'`'}POST ${link.path}?${NETWORK_ZONE.link.param}=${'`'} with {@link ${link.exportName}}): the institution's new bib, linked to it.\n\n@param client - The client of the member institution.\n@param nzMmsId - The Network Zone record's MMS id.\n@param options - Per-call settings.`,
        [
          ['client', client],
          ['nzMmsId', 'string'],
          ['options?', options],
        ],
        `Promise<${record}>`,
        `${link.exportName}(client, { ${linkParam.name}: nzMmsId, body: {} }, options)`,
      ),
      helperFunction(
        'isLinkedToNetworkZone',
        `Whether a bib of the institution is linked to a Network Zone record (its ${'`'}${NETWORK_ZONE.linkField}${'`'} is of type ${'`'}NZ${'`'}).`,
        [['bib', `{ ${NETWORK_ZONE.linkField}?: { type?: string | null } | null }`]],
        'boolean',
        `bib.${NETWORK_ZONE.linkField}?.type === 'NZ'`,
      ),
    );
  }
  return helpers;
}

function runJobHelper(run: Operation, instance: Operation, names: Names): FunctionDeclarationStructure {
  const instanceType = tsType(instance.response.type!, names);
  const doc = [
    `Runs a job and waits for it to end: {@link ${run.exportName}} with \`op=run\`, then {@link ${instance.exportName}} every \`pollMs\` (default 5 s) until the instance's status is final, or, with \`events\` (a running webhook listener), until its JOB_END event comes, with no polling call. The start waits for a place within Alma's limits on API-started jobs (3 running, the same job 5 times an hour) instead of failing with 402222/402223.`,
    [
      '@param client - The client to call Alma with.',
      `@param params - {@link ${paramsTypeName(run)}} without \`op\`: the job id and the job's parameters.`,
      "@param options - `pollMs`, `timeoutMs` (in all; default 30 minutes), `onProgress`, `signal`, `callTimeoutMs`; `limits` (this process's by default, `jobLimits({ store })` across processes, `false` off), `busyRetryMs`; `events` and `fallbackPollMs`.",
      '@returns The job and instance ids, the final status and the instance as last read.',
      '@throws {@link AlmaJobError} when the job ends with a status that is not a success (`COMPLETED_FAILED`, `FAILED`, `ABORTED`…) or does not end within `timeoutMs`.',
    ].join('\n'),
  ].join('\n\n');
  const [client, options, jobRun, runJob] = [
    names.type('AlmaClient'),
    names.type('RunJobOptions'),
    names.type('JobRun'),
    names.value('runJob'),
  ];
  return helperFunction(
    'runJobAndWait',
    doc,
    [
      ['client', client],
      ['params', `Omit<${paramsTypeName(run)}, 'op'>`],
      ['options?', options],
    ],
    `Promise<${jobRun}<${instanceType}>>`,
    `${runJob}({ run: ${run.exportName}, readInstance: ${instance.exportName}, instance: ${descriptorName(instance)} }, client, params, options)`,
  );
}

function analyticsHelpers(report: Operation, names: Names): FunctionDeclarationStructure[] {
  const [client, options] = [names.type('AlmaClient'), names.type('AnalyticsOptions')];
  const [row, page] = [names.type('AnalyticsRow'), names.type('AnalyticsPage')];
  const [rows, pages] = [names.value('analyticsRows'), names.value('analyticsPages')];
  const params = `Omit<${paramsTypeName(report)}, 'limit' | 'token' | 'colNames'>`;
  const tags = [
    '@param client - The client to call Alma with.',
    '@param params - The report `path` and an optional `filter`.',
    '@param options - `pageSize` (25–1000, default 1000), `stillLoadingRetries`, `stillLoadingDelayMs`, and the per-call settings.',
  ].join('\n');
  const how = `with {@link ${report.exportName}}: the first call asks for the column headings, the next ones follow the resumption token; a page that is still loading is asked again; ends on \`IsFinished\` or code 420033.`;
  const parameters: [string, string][] = [
    ['client', client],
    ['params', params],
    ['options?', options],
  ];
  return [
    helperFunction(
      'analyticsReportRows',
      `Every row of an Analytics report, keyed by column heading, fetched as consumed ${how}\n\n${tags}`,
      parameters,
      `AsyncGenerator<${row}, void, undefined>`,
      `${rows}(${report.exportName}, client, params, options)`,
    ),
    helperFunction(
      'analyticsReportPages',
      `The pages of an Analytics report (headings and rows), fetched as consumed ${how}\n\n${tags}`,
      parameters,
      `AsyncGenerator<${page}, void, undefined>`,
      `${pages}(${report.exportName}, client, params, options)`,
    ),
  ];
}

/** An exported function whose body returns one call into the runtime; `name?` marks an optional parameter. */
function helperFunction(
  name: string,
  doc: string,
  parameters: [name: string, type: string][],
  returnType: string,
  returned: string,
): FunctionDeclarationStructure {
  return {
    kind: StructureKind.Function,
    name,
    isExported: true,
    docs: jsDocs(doc),
    parameters: parameters.map(([param, type]) => ({
      name: param.replace(/\?$/, ''),
      type,
      ...(param.endsWith('?') ? { hasQuestionToken: true } : {}),
    })),
    returnType,
    statements: `return ${returned};`,
  };
}
