import path from 'node:path';
import { CODE_VALUE_TYPE } from './code-value.js';
import type { ApiModel, IrType, Property } from './model.js';

/**
 * What real Alma records show beyond the schemas, each with the record that shows it (`../shared/alma-payloads`).
 * The schemas are Alma's contract as written; these are the places where Alma's answers are known to differ, so
 * that the generated types accept what Alma sends. A fact is applied to the named schema the path leads to (so
 * `UserNote` changes wherever it is used); one whose path no longer leads anywhere is reported, not applied.
 */
export interface Observation {
  /** The XML root element of the documents the path starts at (`user`), whichever source typed them. */
  root: string;
  /** Property names from that root, through references and lists: `user_note.popup_note`. */
  path: string;
  /**
   * `optional`: the record may lack it; `type`: what Alma sends there; `addAfter`: elements the schema copy lacks
   * (Alma added them since), placed after `path` in XML order, typed `type`.
   */
  change: { optional: true } | { type: IrType } | { addAfter: string[]; type: IrType };
  /** Said in the field's documentation. */
  note: string;
  /** The record that shows it. */
  evidence: string;
}

/** A date-time as the schema says, or the milliseconds since 1970 that older records carry. */
const DATE_TIME_OR_EPOCH_MILLIS: IrType = {
  kind: 'union',
  types: [
    { kind: 'string', format: 'date-time' },
    { kind: 'integer', format: 'int64' },
  ],
};

/** A count Alma writes as a number or as a string (the text of an element whose XSD base is numeric). */
const COUNT: IrType = { kind: 'union', types: [{ kind: 'string', pattern: '-?[0-9]+' }, { kind: 'integer' }] };

export const OBSERVATIONS: readonly Observation[] = [
  ...['number_of_locations', 'number_of_circ_desks'].map(
    (count): Observation => ({
      root: 'library',
      path: `${count}.value`,
      change: { type: COUNT },
      note: 'A count: Alma writes it as a number ({ "value": 6, "link": … }) or a string.',
      evidence: 'issue #27 class 1: libraries whose counts arrive as JSON numbers (rest_library.xsd: xs:int base)',
    }),
  ),
  {
    root: 'user_resource_sharing_request',
    path: 'shipping_cost.sum',
    change: { optional: true },
    note: 'Alma leaves the sum out of an amount that has only its currency.',
    evidence: 'issue #27 class 3: a resource-sharing request whose shipping_cost is { "currency": { … } } alone',
  },
  {
    root: 'item',
    path: 'holding_data.temp_call_number',
    change: { addAfter: ['permanent_call_number_type'], type: CODE_VALUE_TYPE },
    note: 'Newer than the published XSD; Alma sends it (the call number type of the permanent location).',
    evidence: "issue #27 class 4: an item's holding_data.permanent_call_number_type in real responses",
  },
  {
    root: 'user',
    path: 'user_note.popup_note',
    change: { optional: true },
    note: 'Alma leaves it out of notes that have no pop-up setting.',
    evidence: 'tulibraries+alma_rb/single_user.json: a user_note without popup_note',
  },
  {
    root: 'user_request',
    path: 'request_status',
    change: { type: { kind: 'string' } },
    note: 'The XSD lists display labels ("In Process"); Alma sends codes such as IN_PROCESS, NOT_STARTED, ON_HOLD_SHELF.',
    evidence: 'tulibraries+alma_rb/request_success.json: "request_status": "IN_PROCESS"',
  },
  {
    root: 'user_request',
    path: 'description',
    change: { addAfter: ['volume', 'issue', 'part'], type: { kind: 'string' } },
    note: 'Not in the published XSD; Alma sends it.',
    evidence: 'tulibraries+alma_rb/request_success.json (2024)',
  },
  {
    root: 'user_request',
    path: 'request_id',
    change: { addAfter: ['additional_id'], type: { kind: 'string' } },
    note: 'Not in the published XSD; Alma sends it.',
    evidence: 'tulibraries+alma_rb/request_success.json (2024)',
  },
  {
    root: 'user_request',
    path: 'mms_id',
    change: { addAfter: ['holding_id'], type: { kind: 'string' } },
    note: 'Not in the published XSD; Alma sends it.',
    evidence: 'tulibraries+alma_rb/request_success.json (2024)',
  },
  {
    root: 'user_request',
    path: 'pickup_location_library',
    change: {
      addAfter: [
        'managed_by_library',
        'managed_by_circulation_desk',
        'managed_by_library_code',
        'managed_by_circulation_desk_code',
      ],
      type: { kind: 'string' },
    },
    note: 'Not in the published XSD; Alma sends it.',
    evidence: 'tulibraries+alma_rb/request_success.json (2024)',
  },
  {
    root: 'user_request',
    path: 'material_type',
    change: { addAfter: ['date_of_publication'], type: { kind: 'string' } },
    note: 'Not in the published XSD; Alma sends it.',
    evidence: 'tulibraries+alma_rb/request_success.json (2024)',
  },
  {
    root: 'item_loan',
    path: 'loan_status',
    change: { type: { kind: 'string' } },
    note: 'The XSD lists display labels ("Active"); Alma sends codes such as ACTIVE.',
    evidence: 'mlibrary+alma_rest_client/jbister_loans0.json: "loan_status": "ACTIVE"',
  },
  {
    root: 'item_loan',
    path: 'return_circ_desk',
    change: { optional: true },
    note: 'Alma leaves it out of a loan that has not been returned.',
    evidence: 'mlibrary+alma_rest_client/jbister_loans0.json: an active loan without return_circ_desk',
  },
  {
    root: 'fee',
    path: 'creation_time',
    change: { type: DATE_TIME_OR_EPOCH_MILLIS },
    note: 'Older records carry milliseconds since 1970 instead of a date-time.',
    evidence: 'tulibraries+alma_rb/fines.json: "creation_time": 1413879432450',
  },
  {
    root: 'fee',
    path: 'transaction.transaction_time',
    change: { type: DATE_TIME_OR_EPOCH_MILLIS },
    note: 'Older records carry milliseconds since 1970 instead of a date-time.',
    evidence: 'tulibraries+alma_rb/fines.json: "transaction_time": 1413811614144',
  },
];

/**
 * What an operation answers where its own description contradicts its declared response (the specs give every
 * operation `200` with `{ type: object }` when Ex Libris published no schema). `file`: the bytes of a file;
 * `none`: HTTP 204, no body.
 */
export interface AnswerFact {
  /** The spec's operationId. */
  operationId: string;
  answer: 'file' | 'none';
  /** Said in the function's documentation. */
  note: string;
  /** Where it is stated. */
  evidence: string;
}

export const ANSWER_FACTS: readonly AnswerFact[] = [
  {
    operationId: 'get/almaws/v1/conf/jobs/{job_id}/instances/{instance_id}/download',
    answer: 'file',
    note: 'Answers with the file itself (MARC XML or binary MARC, by `download_format`), returned as its bytes.',
    evidence:
      "conf.json, the operation's description: 'download a file … the file content can be XML/binary MARC records'",
  },
  {
    operationId: 'post/almaws/v1/users/{user_id}',
    answer: 'none',
    note: 'Answers HTTP 204 with no content when authentication or refresh succeeds.',
    evidence:
      "users.json, the operation's description: 'Successful authentication or refresh will result with an HTTP 204 (success - no content) response.'",
  },
];

/** Applies the observations to the model's schemas and the answer facts to its operations (in place: the model is fresh from `buildModel`). */
export function applyObservations(
  model: ApiModel,
  observations: readonly Observation[] = OBSERVATIONS,
  answers: readonly AnswerFact[] = ANSWER_FACTS,
): void {
  applyAnswerFacts(model, answers);
  const changed = new Set<Property>();
  for (const observation of observations) {
    // Documents the configured areas do not use are not there to change.
    const roots = Object.values(model.schemas).filter((s) => s.xmlRoot === observation.root && s.source !== 'untyped');
    for (const root of roots) {
      const found = findProperty(model, root.type, observation.path);
      const property = found?.property;
      if (!found || !property) {
        const where = path.basename(root.file);
        model.diagnostics.push({
          kind: 'observed',
          file: root.file,
          location: observation.path,
          message: `${where} has no ${observation.path}: the fact from real records (${observation.evidence}) is not applied`,
        });
        continue;
      }
      if (changed.has(property)) continue;
      changed.add(property);
      const change = observation.change;
      if ('addAfter' in change) {
        const added = change.addAfter
          .filter((name) => !found.siblings.some((p) => p.name === name))
          .map(
            (name): Property => ({
              name,
              required: false,
              description: observation.note,
              type: change.type,
              xml: { kind: 'element', name },
            }),
          );
        found.siblings.splice(found.siblings.indexOf(property) + 1, 0, ...added);
        continue;
      }
      if ('optional' in change) property.required = false;
      else property.type = change.type;
      property.description = [property.description, observation.note].filter(Boolean).join(' ');
    }
  }
}

function applyAnswerFacts(model: ApiModel, facts: readonly AnswerFact[]): void {
  const operations = new Map(model.areas.flatMap((a) => a.operations).map((op) => [op.operationId, op]));
  for (const fact of facts) {
    const op = operations.get(fact.operationId);
    // An area that is not configured has none of its operations here.
    if (!op) continue;
    if (op.response.type?.kind !== 'document') {
      model.diagnostics.push({
        kind: 'observed',
        file: model.areas.find((a) => a.name === op.area)?.specFile ?? op.area,
        location: fact.operationId,
        message: `${op.exportName} now declares its answer: the known fact (${fact.evidence}) is not applied`,
      });
      continue;
    }
    op.response =
      fact.answer === 'file'
        ? { ...op.response, type: { kind: 'file' } }
        : { ...op.response, status: 204, mediaTypes: [], type: undefined };
    op.description = [op.description, fact.note].filter(Boolean).join('\n\n');
  }
}

/** The property at the path, and the property list that holds it. */
function findProperty(
  model: ApiModel,
  from: IrType,
  propertyPath: string,
): { property: Property | undefined; siblings: Property[] } | undefined {
  let type: IrType | undefined = from;
  let found: { property: Property | undefined; siblings: Property[] } | undefined;
  for (const name of propertyPath.split('.')) {
    while (type?.kind === 'ref' || type?.kind === 'array')
      type = type.kind === 'ref' ? model.schemas[type.id]?.type : type.items;
    if (type?.kind !== 'object') return undefined;
    found = { property: type.properties.find((p) => p.name === name), siblings: type.properties };
    type = found.property?.type;
  }
  return found;
}

/**
 * The records whose single GET carries a `link` to itself (a list entry always does; a single user's is `null`), with
 * the record that shows it.
 */
export const SELF_LINKED: Readonly<Record<string, string>> = {
  item: 'BIBSYSDEV item.xml (<item link="…/items/234075400000541">) and tulibraries item_from_barcode.json',
  library: 'tulibraries library.json ("link": "…/conf/libraries/main")',
  location: 'tulibraries location.json ("link": "…/libraries/MAIN/locations/offsite")',
};
