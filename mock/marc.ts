import { DataField } from '../runtime/marc/fields.js';
import { MarcRecord } from '../runtime/marc/record.js';
import type { JsonObject } from '../runtime/xml/codec.js';

/**
 * What Alma does to a bib's, holding's or authority's MARC record on every save (create or PUT), as the mock imitates
 * it: `001` is the record's id, `005` the time of the save (Alma's `yyyymmddhhmmss.f`), and the fields Alma derives
 * from the MARC (a bib's `title`, `author`, `isbn`, `issn`, publisher, place and date of publication, edition,
 * `network_number`s; `record_format`) are computed again from it, with `created_*` on create and `last_modified_*`
 * on every save. The leader stays first. A record without MARC is left alone.
 */
export function saveMarc(record: JsonObject, kind: string, id: string, created: boolean, now = new Date()): void {
  const marc = marcOfStored(record);
  const stamp = now.toISOString().slice(0, 10);
  if (created) {
    record.created_by ??= 'API';
    record.created_date ??= `${stamp}Z`;
  }
  record.last_modified_by = 'API';
  record.last_modified_date = `${stamp}Z`;
  if (!marc) return;
  marc.setControlField('001', id);
  marc.setControlField('005', marcTimestamp(now));
  record.anies = [marc.toXml(), ...(record.anies as unknown[]).slice(1)];
  if (kind === 'bib') deriveBib(record, marc);
}

/** The MARC record a stored bib or holding carries (`anies[0]`), if it has one that reads. */
export function marcOfStored(record: JsonObject): MarcRecord | undefined {
  const text = Array.isArray(record.anies) ? record.anies[0] : undefined;
  if (typeof text !== 'string') return undefined;
  try {
    return MarcRecord.fromXml(text);
  } catch {
    return undefined;
  }
}

/** A bib's fields Alma takes from its MARC (the names of rest_bib.xsd's output parameters). */
function deriveBib(bib: JsonObject, marc: MarcRecord): void {
  const joined = (tag: string, codes: string) => {
    const field = marc.getDataFields(tag)[0];
    const values = field?.subfields.filter((s) => codes.includes(s.code)).map((s) => s.value);
    return values?.length ? values.join(' ') : undefined;
  };
  const first = (...pairs: [string, string][]) => pairs.map(([t, c]) => marc.value(t, c)).find((v) => v !== undefined);
  const derived: Record<string, unknown> = {
    record_format: bib.record_format ?? 'marc21',
    title: joined('245', 'abnp'),
    author: first(['100', 'a'], ['110', 'a'], ['111', 'a']),
    isbn: marc.value('020', 'a'),
    issn: marc.value('022', 'a'),
    edition: marc.value('250', 'a'),
    place_of_publication: first(['264', 'a'], ['260', 'a']),
    date_of_publication: first(['264', 'c'], ['260', 'c']),
    publisher_const: first(['264', 'b'], ['260', 'b']),
  };
  for (const [key, value] of Object.entries(derived)) {
    if (value === undefined) delete bib[key];
    else bib[key] = value;
  }
  const numbers = marc.getDataFields('035').flatMap((f) => f.getSubfields('a'));
  if (numbers.length) bib.network_number = numbers;
  else delete bib.network_number;
}

/** `yyyymmddhhmmss.f`, as Alma writes 005. */
function marcTimestamp(now: Date): string {
  return `${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}.0`;
}

/** Another cataloguer's save between a read and a write (the `concurrent-edit` fault): a note added, 005 moved. */
export function editConcurrently(record: JsonObject, now = new Date()): void {
  const marc = marcOfStored(record);
  if (!marc) return;
  marc.addField(new DataField('500', ' ', ' ', [['a', `Edited by another cataloguer at ${now.toISOString()}.`]]));
  marc.setControlField('005', marcTimestamp(new Date(now.getTime() + 1000)));
  record.anies = [marc.toXml(), ...(record.anies as unknown[]).slice(1)];
}

/** Alma's silent loss of a field on save (the `drop-field` fault): every field with this tag goes. */
export function dropFields(record: JsonObject, tag: string): void {
  const marc = marcOfStored(record);
  if (!marc || marc.removeFields(tag) === 0) return;
  record.anies = [marc.toXml(), ...(record.anies as unknown[]).slice(1)];
}

function descOf(value: unknown): unknown {
  return value && typeof value === 'object' && 'desc' in value ? (value as { desc: unknown }).desc : null;
}

/** A holding in a list (rest_holdings.xsd) is brief: its library, location and call number from its 852. */
export function briefHolding(
  entry: JsonObject,
  nameOf: (library: string, location?: string) => string | undefined = () => undefined,
): void {
  const field = marcOfStored(entry)?.getDataFields('852')[0];
  if (!field) return;
  delete entry.anies;
  // With the library's and location's names, as Alma writes them (from the configuration, else the record's own).
  const [library, location] = [field.subfield('b') ?? '', field.subfield('c') ?? ''];
  entry.library = { value: library, desc: nameOf(library) ?? descOf(entry.library) };
  entry.location = { value: location, desc: nameOf(library, location) ?? descOf(entry.location) };
  const callNumber = field.subfield('h');
  if (callNumber !== undefined) entry.call_number = callNumber;
}
