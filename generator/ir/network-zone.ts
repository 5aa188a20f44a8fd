import type { ApiModel } from './model.js';

/**
 * The operations a Network Zone member uses between its institution zone (IZ) and the network zone (NZ), found by
 * the parameters bibs.json documents for them: the IZ copy of an NZ record (`GET /bibs?nz_mms_id=`, which Alma answers
 * with an error when there is none) and linking an NZ record into the IZ (`POST /bibs?from_nz_mms_id=`). A bib linked
 * to the NZ says so in `linked_record_id` (type `NZ`). The emitter writes helpers for them; the mock serves them.
 */
export const NETWORK_ZONE = {
  find: { param: 'nz_mms_id', evidence: 'bibs.json GET /almaws/v1/bibs: "nz_mms_id: Network Zone MMS id"' },
  link: {
    param: 'from_nz_mms_id',
    evidence: 'bibs.json POST /almaws/v1/bibs: "from_nz_mms_id: The MMS_ID of the Network-Zone record"',
  },
  /** Where an IZ bib names its NZ record: `linked_record_id: { value, type: 'NZ' }` (rest_bib.xsd). */
  linkField: 'linked_record_id',
} as const;

/** Marks the operations that find and link NZ records (`Operation.networkZone`). */
export function markNetworkZone(model: ApiModel): void {
  for (const op of model.areas.flatMap((a) => a.operations)) {
    const has = (name: string) => op.queryParams.some((p) => p.wireName === name);
    if (op.role.kind === 'list' && has(NETWORK_ZONE.find.param)) op.networkZone = 'find';
    if (op.role.kind === 'create' && has(NETWORK_ZONE.link.param)) op.networkZone = 'link';
  }
}
