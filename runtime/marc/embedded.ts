import { MarcError, MarcRecord } from './record.js';

/** A bib, holding or authority as the client reads it (JSON or XML): its MARC is the text in `anies[0]`. */
export interface WithMarc {
  anies?: unknown;
}

/**
 * The MARC record of a bib, holding or authority, read in either format (`anies[0]`).
 *
 * @throws {@link MarcError} when the record carries none (read with `view=brief`, or not a MARC record).
 */
export function marcOf(record: WithMarc): MarcRecord {
  const anies = record.anies;
  const text = Array.isArray(anies) ? anies[0] : undefined;
  if (typeof text !== 'string')
    throw new MarcError(
      'the record carries no MARC (no anies[0]): read it with view=full (the default), not view=brief',
    );
  return MarcRecord.fromXml(text);
}

/**
 * Puts a MARC record into a bib, holding or authority (for a PUT, or a POST that creates one: `withMarc({}, record)`),
 * and returns it. Other `anies` entries stay.
 */
export function withMarc<T extends WithMarc>(record: T, marc: MarcRecord): T {
  const anies = Array.isArray(record.anies) ? [...record.anies] : [];
  anies[0] = marc.toXml();
  (record as WithMarc).anies = anies;
  return record;
}
