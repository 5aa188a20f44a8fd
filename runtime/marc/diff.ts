import type { MarcRecord } from './record.js';

/** One line of a field-level diff: a field (or the leader) removed or added, as a MARC display writes it. */
export interface MarcChange {
  kind: 'removed' | 'added';
  /** `650 _0 $a Cats`, `LDR 00783cam a2200241 a 4500`. */
  field: string;
}

/**
 * What changed from `before` to `after`, field by field, in record order: unchanged fields are not listed; a changed
 * field is its old line removed and its new line added. Repeated fields are matched in order (a longest common
 * subsequence of the fields' lines), so moving one heading shows as that heading alone.
 */
export function diffRecords(before: MarcRecord, after: MarcRecord): MarcChange[] {
  const a = before.toString().split('\n');
  const b = after.toString().split('\n');
  // Common lines from the end: lengths[i][j] is the longest common subsequence of a[i..] and b[j..].
  const lengths: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  const changes: MarcChange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lengths[i + 1]![j]! >= lengths[i]![j + 1]!)) {
      // On a tie the old line first: a replaced field reads as its old line, then its new one.
      changes.push({ kind: 'removed', field: a[i++]! });
    } else {
      changes.push({ kind: 'added', field: b[j++]! });
    }
  }
  return changes;
}

/** The diff as text: `- 650 _0 $a Old` and `+ 650 _0 $a New` lines. */
export function formatMarcDiff(changes: readonly MarcChange[]): string {
  return changes.map((c) => `${c.kind === 'removed' ? '-' : '+'} ${c.field}`).join('\n');
}
