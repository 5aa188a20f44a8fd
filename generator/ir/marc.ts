import type { ApiModel } from './model.js';

/**
 * The records that embed a MARC record (MARCXML in `anies[0]`, `<record>` in XML), by their document element, with
 * what shows it. Their GET + PUT pairs get a verified MARC save beside the record's own update helper.
 */
export const MARC_RECORDS: readonly { root: string; evidence: string }[] = [
  { root: 'bib', evidence: 'rest_bib.xsd: the record element is xs:any; BIBSYSDEV+ALMA-API-Example-usage/bib.xml' },
  {
    root: 'holding',
    evidence: 'rest_holding.xsd: the record element is xs:any; BIBSYSDEV+ALMA-API-Example-usage/holding.xml',
  },
  {
    root: 'authority',
    evidence: 'bibs.json: "Authority" operations create and update MARC 21 authority records ("anies" of the record)',
  },
];

/** Marks the schemas whose documents embed a MARC record (`NamedSchema.marc`). */
export function markMarcRecords(model: ApiModel): void {
  const roots = new Set(MARC_RECORDS.map((r) => r.root));
  for (const schema of Object.values(model.schemas))
    if (schema.xmlRoot && roots.has(schema.xmlRoot)) schema.marc = true;
}
