// The fields of a MARC record, named as cataloguers name them (pymarc, MARC::Record, File_MARC): a control field has a
// tag and a value; a data field has a tag, two indicators and ordered, repeatable subfields.

/** A subfield: its code (`a`) and value. Replace it through its field's methods, so that the change is written. */
export interface Subfield {
  readonly code: string;
  readonly value: string;
}

/** What every field has: a tag (`245`, or one of Alma's own, such as `AVA` or `INST`). */
abstract class BaseField {
  /** Set when the field changed since it was read: it is then written anew, the others as they came. */
  protected changed = true;

  constructor(protected tagValue: string) {}

  get tag(): string {
    return this.tagValue;
  }

  set tag(tag: string) {
    if (tag !== this.tagValue) this.touch();
    this.tagValue = tag;
  }

  /** Whether the field changed since it was read (a new field has). */
  get isChanged(): boolean {
    return this.changed;
  }

  /** @internal The field was read from text and is as it came. */
  markRead(): void {
    this.changed = false;
  }

  protected touch(): void {
    this.changed = true;
  }

  /** The field as a line of a MARC display: `245 10 $a Title /$c Author.`, blank indicators as `_`. */
  abstract toString(): string;
}

/** A control field (`001`–`009`): a tag and a value, no indicators or subfields. */
export class ControlField extends BaseField {
  readonly kind = 'control' as const;

  constructor(
    tag: string,
    private data: string,
  ) {
    super(tag);
  }

  get value(): string {
    return this.data;
  }

  set value(value: string) {
    if (value !== this.data) this.touch();
    this.data = value;
  }

  toString(): string {
    return `${this.tag} ${this.data}`;
  }
}

/** A data field: a tag, two indicators (a blank is a space, as Alma writes it) and ordered, repeatable subfields. */
export class DataField extends BaseField {
  readonly kind = 'data' as const;
  private list: Subfield[];
  private indicators: [string, string];

  constructor(
    tag: string,
    ind1 = ' ',
    ind2 = ' ',
    subfields: readonly (Subfield | [code: string, value: string])[] = [],
  ) {
    super(tag);
    this.indicators = [indicator(ind1, tag), indicator(ind2, tag)];
    this.list = subfields.map((s) =>
      Array.isArray(s) ? { code: s[0], value: s[1] } : { code: s.code, value: s.value },
    );
  }

  get ind1(): string {
    return this.indicators[0];
  }

  set ind1(value: string) {
    this.setIndicator(0, value);
  }

  get ind2(): string {
    return this.indicators[1];
  }

  set ind2(value: string) {
    this.setIndicator(1, value);
  }

  /** Every subfield in order, repeated codes included. */
  get subfields(): readonly Subfield[] {
    return this.list;
  }

  /** The value of the first subfield with this code (`field.subfield('a')`), or `undefined`. */
  subfield(code: string): string | undefined {
    return this.list.find((s) => s.code === code)?.value;
  }

  /** The values of the subfields with these codes, in field order (all of them without codes). */
  getSubfields(...codes: string[]): string[] {
    return this.list.filter((s) => codes.length === 0 || codes.includes(s.code)).map((s) => s.value);
  }

  /**
   * Sets the value of the subfield with this code: its `occurrence`-th one (default the first); adds it at the end
   * when the field has none.
   */
  setSubfield(code: string, value: string, occurrence = 0): this {
    const index = this.indexOf(code, occurrence);
    if (index === -1) return this.addSubfield(code, value);
    if (this.list[index]!.value !== value) {
      this.list = this.list.map((s, i) => (i === index ? { code, value } : s));
      this.touch();
    }
    return this;
  }

  /** Adds a subfield, at the end or at `position` (0 = first); other subfields keep their order. */
  addSubfield(code: string, value: string, position = this.list.length): this {
    const list = [...this.list];
    list.splice(position, 0, { code, value });
    this.list = list;
    this.touch();
    return this;
  }

  /** Removes every subfield with one of these codes (or only its `occurrence`-th one); returns how many went. */
  removeSubfields(code: string, occurrence?: number): number {
    const before = this.list.length;
    if (occurrence === undefined) this.list = this.list.filter((s) => s.code !== code);
    else {
      const index = this.indexOf(code, occurrence);
      if (index !== -1) this.list = this.list.filter((_, i) => i !== index);
    }
    if (this.list.length !== before) this.touch();
    return before - this.list.length;
  }

  /** Replaces every subfield at once. */
  setSubfields(subfields: readonly (Subfield | [code: string, value: string])[]): this {
    this.list = subfields.map((s) =>
      Array.isArray(s) ? { code: s[0], value: s[1] } : { code: s.code, value: s.value },
    );
    this.touch();
    return this;
  }

  toString(): string {
    const ind = `${this.ind1}${this.ind2}`.replace(/ /g, '_');
    return `${this.tag} ${ind} ${this.list.map((s) => `$${s.code} ${s.value}`).join(' ')}`.trimEnd();
  }

  private indexOf(code: string, occurrence: number): number {
    let seen = -1;
    return this.list.findIndex((s) => s.code === code && ++seen === occurrence);
  }

  private setIndicator(which: 0 | 1, value: string): void {
    const checked = indicator(value, this.tag);
    if (checked !== this.indicators[which]) this.touch();
    this.indicators[which] = checked;
  }
}

export type MarcField = ControlField | DataField;

/** A field's tag is one of `pattern`: `650`, `6XX` / `6..` (any digit or character there), or a `RegExp`. */
export function tagMatches(tag: string, pattern: string | RegExp): boolean {
  if (typeof pattern !== 'string') return pattern.test(tag);
  if (pattern.length !== tag.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p !== 'X' && p !== 'x' && p !== '.' && p !== tag[i]) return false;
  }
  return true;
}

/**
 * An indicator is one character; Alma writes a blank one as a space (`_` and `#`, as displays show it, are read so).
 */
function indicator(value: string, tag: string): string {
  const normal = value === '' || value === '_' || value === '#' ? ' ' : value;
  if ([...normal].length !== 1)
    throw new RangeError(`field ${tag}: an indicator is one character, got ${JSON.stringify(value)}`);
  return normal;
}
