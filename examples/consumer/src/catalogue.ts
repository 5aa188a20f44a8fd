// Catalogue work on top of the generated client: add a local note to a bib, and move a subject heading, with the
// verified MARC save (no lost update, checked after the write), plus a dry run that shows what would change.
import { type AlmaClient, DataField, type MarcUpdateResult, updateBibMarc } from 'alma-client';

/** Adds a local 590 note to a bib, unless it has that note already (then nothing is sent). */
export function addLocalNote(alma: AlmaClient, mmsId: string, note: string): Promise<MarcUpdateResult<unknown>> {
  return updateBibMarc(alma, { mmsId }, (marc) => {
    if (marc.findFields('590', 'a', note).length === 0) marc.addField(new DataField('590', ' ', ' ', [['a', note]]));
  });
}

/**
 * Replaces a 650 heading ($a `from`) with `to`, keeping its other subfields and its place among the 650s. With
 * `dryRun`, prints the change (`- 650 _0 $a …` / `+ 650 _0 $a …`) and sends nothing.
 */
export function moveHeading(
  alma: AlmaClient,
  mmsId: string,
  from: string,
  to: string,
  options: { dryRun?: boolean; print?: (diff: string) => void } = {},
): Promise<MarcUpdateResult<unknown>> {
  return updateBibMarc(
    alma,
    { mmsId },
    (marc) => {
      for (const heading of marc.findFields('650', 'a', from)) heading.setSubfield('a', to);
    },
    options,
  );
}
