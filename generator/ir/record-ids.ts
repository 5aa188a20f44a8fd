/**
 * Which field of a record is the identifier its collection's paths take (`/users/{user_id}` is a user's
 * `primary_id`), with what shows it. The specs do not say it: the path parameter's description names the field, or
 * a real record's `link` ends with it. The mock stores and finds records by it; a collection not listed here keys
 * its records by `id`.
 */
export interface RecordIdentity {
  /** The collection's path segment (`users`, `po-lines`). */
  collection: string;
  /** The field, dotted where it is nested (`item_data.pid`). */
  field: string;
  evidence: string;
}

export const RECORD_IDS: readonly RecordIdentity[] = [
  {
    collection: 'users',
    field: 'primary_id',
    evidence:
      'users.json: user_id "A unique identifier for the user"; a list entry\'s link ends with its primary_id (tulibraries+alma_rb/users.json)',
  },
  { collection: 'bibs', field: 'mms_id', evidence: 'bibs.json: mms_id "The Bib Record ID"' },
  { collection: 'holdings', field: 'holding_id', evidence: 'bibs.json: holding_id "The Holding Record ID"' },
  {
    collection: 'items',
    field: 'item_data.pid',
    evidence:
      'bibs.json: item_pid "The Item ID"; an item\'s link ends with item_data.pid (mlibrary+alma_rest_client/item.json)',
  },
  { collection: 'loans', field: 'loan_id', evidence: 'users.json: loan_id "The loan ID"' },
  { collection: 'requests', field: 'request_id', evidence: 'users.json: request_id "The request ID"' },
  {
    collection: 'resource-sharing-requests',
    field: 'request_id',
    evidence: 'users.json: request_id of resource-sharing requests',
  },
  { collection: 'purchase-requests', field: 'request_id', evidence: 'acq.json: purchase_request_id is the request_id' },
  { collection: 'deposits', field: 'deposit_id', evidence: 'users.json: deposit_id "The deposit ID"' },
  { collection: 'vendors', field: 'code', evidence: 'acq.json: vendorCode "The Vendor code"' },
  { collection: 'po-lines', field: 'number', evidence: 'acq.json: po_line_id "The PO-Line number"' },
  { collection: 'libraries', field: 'code', evidence: 'conf.json: libraryCode "The library code"' },
  { collection: 'locations', field: 'code', evidence: 'conf.json: locationCode "The location code"' },
  { collection: 'circ-desks', field: 'code', evidence: 'conf.json: circ_desk_code "The circulation desk code"' },
  { collection: 'code-tables', field: 'name', evidence: 'conf.json: codeTableName "Code table name"' },
  { collection: 'mapping-tables', field: 'name', evidence: 'conf.json: mappingTableName "Mapping table name"' },
  { collection: 'letters', field: 'code', evidence: 'conf.json: letterCode "The letter code"' },
  { collection: 'license-terms', field: 'code', evidence: 'conf.json: license_term_code "The license term code"' },
  { collection: 'licenses', field: 'code', evidence: 'acq.json: license_code "The license code"' },
  { collection: 'amendments', field: 'code', evidence: 'acq.json: amendment_code "The amendment code"' },
  {
    collection: 'owners',
    field: 'primary_id',
    evidence: "courses.json / partners.json: owner_id is the owner's primary id",
  },
  { collection: 'files', field: 'pid', evidence: 'bibs.json: file_id "The representation file ID"' },
  { collection: 'partners', field: 'partner_details.code', evidence: 'partners.json: partner_code "The partner code"' },
];

const BY_COLLECTION = new Map(RECORD_IDS.map((r) => [r.collection, r.field]));

/** The identifying field of a collection's records, by the collection path's last segment. */
export function recordIdField(collectionPath: string): string {
  return BY_COLLECTION.get(collectionPath.split('/').pop() ?? '') ?? 'id';
}
