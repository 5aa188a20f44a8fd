import { NETWORK_ZONE } from '../generator/ir/network-zone.js';
import type { JsonObject } from '../runtime/xml/codec.js';
import { marcOfStored, saveMarc } from './marc.js';
import { marcRecord } from './seed.js';
import type { MockStore } from './store.js';

// A Network Zone beside the member institution: its own bibs (keys with `zone: network` see them), the first two of
// the institution's bibs linked to NZ records, and one NZ record the institution has no copy of.

const BIBS = '/almaws/v1/bibs';
const NZ_TITLES = ['War and peace /', 'Anna Karenina /', 'The brothers Karamazov /'];

/** Seeds the NZ store and links institution bibs to it. Network MMS ids end in 0000 (Alma's NZ ids end in …1 by zone). */
export function seedNetworkZone(network: MockStore, institution: MockStore, seed: number): void {
  const own = institution.all(BIBS);
  for (const [i, title] of NZ_TITLES.entries()) {
    const mmsId = `99${String(seed * 1000 + i + 1).padStart(12, '0')}0000`;
    const bib = network.insert(BIBS, {
      mms_id: mmsId,
      record_format: 'marc21',
      anies: [marcRecord(mmsId, title, 'Tolstoy, Leo,')],
    });
    saveMarc(bib, 'bib', mmsId, true);
    const member = own[i];
    // The last NZ record has no IZ copy: finding one answers with Alma's error.
    if (member && i < NZ_TITLES.length - 1) member[NETWORK_ZONE.linkField] = { value: mmsId, type: 'NZ' };
  }
}

/** The IZ bibs linked to these NZ records (`nz_mms_id=`), in the order asked. */
export function linkedTo(institution: MockStore, nzIds: string[]): JsonObject[] {
  const bibs = institution.all(BIBS);
  return nzIds.flatMap((id) =>
    bibs.filter((b) => (b[NETWORK_ZONE.linkField] as { value?: string } | undefined)?.value === id),
  );
}

/** A new IZ bib linked to an NZ record (`from_nz_mms_id=`): the NZ record's MARC, and the link. */
export function linkFromNetwork(institution: MockStore, network: MockStore, nzId: string): JsonObject | undefined {
  const source = network.get(BIBS, nzId);
  const marc = source && marcOfStored(source);
  if (!source || !marc) return undefined;
  const created = institution.insert(BIBS, {
    record_format: source.record_format ?? 'marc21',
    [NETWORK_ZONE.linkField]: { value: nzId, type: 'NZ' },
    anies: [marc.toXml()],
  });
  saveMarc(created, 'bib', String(created.mms_id), true);
  return created;
}

/** Whether an IZ bib is linked to an NZ record. */
export function isLinked(bib: JsonObject): boolean {
  return (bib[NETWORK_ZONE.linkField] as { type?: string } | undefined)?.type === 'NZ';
}
