import { AlmaError } from '../errors.js';
import { tagEnd } from '../internal/xml/scan.js';
import { parseXml, type XmlElement } from '../internal/xml/tree.js';
import { XML_ESCAPES } from '../xml/escape.js';
import type { XmlLimits } from '../xml/limits.js';
import { ControlField, DataField, type MarcField, tagMatches } from './fields.js';

/** A MARC record that cannot be read, or a value XML 1.0 cannot carry: what, and where (the field). */
export class MarcError extends AlmaError {
  override readonly name: string = 'MarcError';
}

/**
 * How a record was written, so that a field written anew looks like its neighbours: the element prefix (`marc:`),
 * the whitespace between fields, before each subfield and before a data field's end tag.
 */
interface Layout {
  prefix: string;
  /** Whitespace before a field. */
  fieldGap: string;
  /** Whitespace before a subfield, and before `</datafield>`. */
  subfieldGap: string;
  fieldEnd: string;
}

/** A field as it was read: its exact markup, and the whitespace (or comments) before it. */
interface Source {
  before: string;
  markup: string;
}

const MARC_NAMESPACE = 'http://www.loc.gov/MARC21/slim';
const NEW_RECORD = '<record>';

/**
 * A MARC record as Alma writes it (MARCXML: a bib's or holding's `<record>`, JSON `anies[0]`): the leader, control
 * fields and data fields in order. Lossless: a record read with `fromXml` and not edited is written back by `toXml`
 * as exactly the text it came from, and an edit changes only the edited field's text (its neighbours, the XML
 * declaration, namespaces, whitespace and comments stay as they were). Alma's own fields (`AVA`, `INST`, …) are fields
 * like any other.
 *
 * ```ts
 * const record = MarcRecord.fromXml(bib.anies[0]);
 * record.getFields('650').find((f) => f.subfield('a') === 'Cats')?.setSubfield('a', 'Cats as pets');
 * record.addField(new DataField('590', ' ', ' ', [['a', 'Local note']]));
 * bib.anies[0] = record.toXml();
 * ```
 */
export class MarcRecord {
  private leaderValue: string;
  private leaderChanged = false;
  private list: MarcField[] = [];
  /** The text before the first field (declaration, `<record …>`) and from the last one on (`</record>`). */
  private head: string;
  private tail: string;
  private readonly sources = new WeakMap<MarcField, Source>();
  private leaderSource: Source | undefined;
  /** Where the leader stood among the fields as read (Alma writes it first). */
  private leaderIndex = 0;
  private readonly layout: Layout;

  /** An empty record (a new bib or holding): give it a leader, then fields. */
  constructor(leader = '     nam a22     ua 4500') {
    this.leaderValue = leader;
    this.head = NEW_RECORD;
    this.tail = '</record>';
    this.layout = { prefix: '', fieldGap: '', subfieldGap: '', fieldEnd: '' };
  }

  /**
   * Reads MARCXML as Alma sends it: a `<record>` with or without the MARC namespace, or its `marc:` prefix, with or
   * without an XML declaration. A `<collection>` of one record is read as that record.
   */
  static fromXml(text: string, limits?: XmlLimits): MarcRecord {
    let root: XmlElement;
    try {
      root = parseXml(text, limits);
    } catch (error) {
      throw new MarcError(`the MARC record is not well-formed XML: ${(error as Error).message}`);
    }
    const record = new MarcRecord();
    record.read(text, recordElement(root));
    return record;
  }

  /** The leader (24 characters). */
  get leader(): string {
    return this.leaderValue;
  }

  set leader(value: string) {
    if (value !== this.leaderValue) this.leaderChanged = true;
    this.leaderValue = value;
  }

  /** Every field in order (control fields, then data fields as Alma writes them). */
  get fields(): readonly MarcField[] {
    return this.list;
  }

  /** The fields whose tag matches one of the patterns (`'650'`, `'6XX'`, `'6..'`, a RegExp); all without one. */
  getFields(...patterns: (string | RegExp)[]): MarcField[] {
    if (patterns.length === 0) return [...this.list];
    return this.list.filter((f) => patterns.some((p) => tagMatches(f.tag, p)));
  }

  /** The data fields whose tag matches one of the patterns (all without one). */
  getDataFields(...patterns: (string | RegExp)[]): DataField[] {
    return this.getFields(...patterns).filter((f): f is DataField => f.kind === 'data');
  }

  /** The first field with this tag (or pattern). */
  getField(pattern: string | RegExp): MarcField | undefined {
    return this.list.find((f) => tagMatches(f.tag, pattern));
  }

  /** The value of a control field (`001`), or `undefined`. */
  controlField(tag: string): string | undefined {
    const field = this.list.find((f) => f.tag === tag && f.kind === 'control');
    return field?.kind === 'control' ? field.value : undefined;
  }

  /** Sets a control field's value, adding the field in tag order when the record has none. */
  setControlField(tag: string, value: string): ControlField {
    const field = this.list.find((f): f is ControlField => f.tag === tag && f.kind === 'control');
    if (field) {
      field.value = value;
      return field;
    }
    return this.addField(new ControlField(tag, value));
  }

  /** The first value of `tag $code` (`record.value('245', 'a')`), or `undefined`. */
  value(tag: string, code: string): string | undefined {
    for (const field of this.list) if (field.kind === 'data' && field.tag === tag) return field.subfield(code);
    return undefined;
  }

  /** The data fields matching `pattern` that have a subfield `code` whose value is `match` (or matches it). */
  findFields(pattern: string | RegExp, code: string, match: string | RegExp): DataField[] {
    return this.getDataFields(pattern).filter((f) =>
      f.getSubfields(code).some((v) => (typeof match === 'string' ? v === match : match.test(v))),
    );
  }

  /**
   * Adds a field in tag order: after the last field whose tag sorts at or before its own (numeric tags by number,
   * Alma's own tags such as `AVA` after them), as MARC::Record's `insert_fields_ordered` does.
   */
  addField<F extends MarcField>(field: F): F {
    const key = tagOrder(field.tag);
    let at = this.list.length;
    while (at > 0 && tagOrder(this.list[at - 1]!.tag) > key) at--;
    this.list.splice(at, 0, field);
    return field;
  }

  /** Inserts a field at a position (0 = first), or before or after another field of the record. */
  insertField<F extends MarcField>(field: F, where: number | { before: MarcField } | { after: MarcField }): F {
    const at =
      typeof where === 'number'
        ? where
        : 'before' in where
          ? this.indexOf(where.before)
          : this.indexOf(where.after) + 1;
    this.list.splice(Math.max(0, Math.min(at, this.list.length)), 0, field);
    return field;
  }

  /** Removes fields of the record; returns how many went. */
  removeField(...fields: MarcField[]): number {
    const before = this.list.length;
    this.list = this.list.filter((f) => !fields.includes(f));
    return before - this.list.length;
  }

  /** Removes every field whose tag matches one of the patterns; returns how many went. */
  removeFields(...patterns: (string | RegExp)[]): number {
    return this.removeField(...this.getFields(...patterns));
  }

  /** Puts `replacement` where `field` is. */
  replaceField<F extends MarcField>(field: MarcField, replacement: F): F {
    this.list[this.indexOf(field)] = replacement;
    return replacement;
  }

  /**
   * The record as MARCXML: fields as they were read where unchanged, changed and new fields written as the record
   * writes its fields (element prefix, indentation; indicators first as Alma writes them).
   *
   * @throws {@link MarcError} when a changed value holds a character XML 1.0 cannot carry (a control character),
   *   naming the field: nothing is written.
   */
  toXml(): string {
    const parts: string[] = [this.head];
    const leaderSource = this.leaderChanged ? undefined : this.leaderSource;
    const leaderAt = Math.min(this.leaderIndex, this.list.length);
    for (let i = 0; i <= this.list.length; i++) {
      if (i === leaderAt && (leaderSource || this.leaderValue !== ''))
        parts.push(leaderSource ? leaderSource.before + leaderSource.markup : this.writeLeader());
      const field = this.list[i];
      if (!field) continue;
      const source = field.isChanged ? undefined : this.sources.get(field);
      if (source) parts.push(source.before, source.markup);
      else parts.push(this.layout.fieldGap, this.writeField(field, this.sources.get(field)));
    }
    parts.push(this.tail);
    return parts.join('');
  }

  /** The record as lines of a MARC display (`LDR …`, `245 10 $a Title`). */
  toString(): string {
    return [`LDR ${this.leaderValue}`, ...this.list.map((f) => f.toString())].join('\n');
  }

  private indexOf(field: MarcField): number {
    const index = this.list.indexOf(field);
    if (index === -1) throw new MarcError(`field ${field.tag} is not in this record`);
    return index;
  }

  private read(text: string, record: XmlElement): void {
    const prefix = prefixOf(record.name);
    const children = record.children.filter((c): c is XmlElement => 'name' in c);
    const { start, end } = record.source!;
    const selfClosing = text.slice(start, end).endsWith('/>');
    let cursor = selfClosing ? end : firstTagEnd(text, start);
    this.head = text.slice(0, cursor);
    let leaderSeen = false;
    for (const child of children) {
      const local = child.name.slice(prefix.length);
      const source: Source = {
        before: text.slice(cursor, child.source!.start),
        markup: text.slice(child.source!.start, child.source!.end),
      };
      cursor = child.source!.end;
      if (local === 'leader' && !leaderSeen) {
        leaderSeen = true;
        this.leaderValue = textOf(child);
        this.leaderSource = source;
        this.leaderIndex = this.list.length;
        continue;
      }
      const field = fieldOf(child, local);
      field.markRead();
      this.sources.set(field, source);
      this.list.push(field);
    }
    this.tail = selfClosing ? `</${record.name}>` : text.slice(cursor);
    if (selfClosing) this.head = `${this.head.slice(0, -2).trimEnd()}>`;
    // A record read without a leader (some test fixtures) is written without one, until one is set.
    if (!leaderSeen) this.leaderValue = '';
    Object.assign(this.layout, layoutOf(prefix, children, text, this.head.length));
  }

  private writeLeader(): string {
    const gap = this.leaderSource?.before ?? this.layout.fieldGap;
    return `${gap}<${this.layout.prefix}leader>${escapeText(this.leaderValue, 'the leader')}</${this.layout.prefix}leader>`;
  }

  /** A field written anew, in the style it had (its attribute order) or, new, as Alma writes fields. */
  private writeField(field: MarcField, source: Source | undefined): string {
    const p = this.layout.prefix;
    if (field.kind === 'control') {
      const tag = escapeAttribute(field.tag, `field ${field.tag}`);
      return `<${p}controlfield tag="${tag}">${escapeText(field.value, `field ${field.tag}`)}</${p}controlfield>`;
    }
    const where = `field ${field.tag}`;
    const attributes = attributeOrder(source?.markup).map((name) => {
      const value = name === 'tag' ? field.tag : name === 'ind1' ? field.ind1 : field.ind2;
      return `${name}="${escapeAttribute(value, where)}"`;
    });
    const { subfieldGap, fieldEnd } = this.layout;
    const subfields = field.subfields.map(
      (s) =>
        `${subfieldGap}<${p}subfield code="${escapeAttribute(s.code, `${where} $${s.code}`)}">${escapeText(s.value, `${where} $${s.code}`)}</${p}subfield>`,
    );
    return `<${p}datafield ${attributes.join(' ')}>${subfields.join('')}${field.subfields.length ? fieldEnd : ''}</${p}datafield>`;
  }
}

/** The `<record>` of a document: the root, or the one record of a `<collection>`. */
function recordElement(root: XmlElement): XmlElement {
  const local = root.name.slice(prefixOf(root.name).length);
  if (local === 'record') return root;
  if (local === 'collection') {
    const records = root.children.filter((c): c is XmlElement => 'name' in c);
    if (records.length === 1 && records[0]!.name.endsWith('record')) return records[0]!;
    throw new MarcError(`a <collection> of ${records.length} records: read each <record> with MarcRecord.fromXml`);
  }
  throw new MarcError(`expected a MARC <record>, found <${root.name}>`);
}

function fieldOf(element: XmlElement, local: string): MarcField {
  const attribute = (name: string) => element.attributes.find(([n]) => n === name)?.[1];
  const tag = attribute('tag');
  if (local === 'controlfield') {
    if (tag === undefined) throw new MarcError('a <controlfield> without a tag');
    return new ControlField(tag, textOf(element));
  }
  if (local === 'datafield') {
    if (tag === undefined) throw new MarcError('a <datafield> without a tag');
    const subfields = element.children
      .filter((c): c is XmlElement => 'name' in c)
      .map((s) => ({ code: s.attributes.find(([n]) => n === 'code')?.[1] ?? '', value: textOf(s) }));
    try {
      return new DataField(tag, attribute('ind1') ?? ' ', attribute('ind2') ?? ' ', subfields);
    } catch (error) {
      throw new MarcError((error as Error).message);
    }
  }
  throw new MarcError(`unexpected <${element.name}> in a MARC record (expected leader, controlfield or datafield)`);
}

function textOf(element: XmlElement): string {
  let text = '';
  for (const child of element.children) if ('text' in child) text += child.text;
  return text;
}

function prefixOf(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? '' : name.slice(0, colon + 1);
}

/** Where the start tag at `start` ends (after its `>`), quoted attribute values skipped. */
function firstTagEnd(text: string, start: number): number {
  const end = tagEnd(text, start);
  return end === -1 ? text.length : end + 1;
}

/** The record's own style, read from its first data field with subfields (else none: fields one after another). */
function layoutOf(prefix: string, children: XmlElement[], text: string, headEnd: number): Layout {
  const gaps = children.map((c, i) => text.slice(i === 0 ? headEnd : children[i - 1]!.source!.end, c.source!.start));
  const fieldGap = gaps.length > 1 ? gaps[gaps.length - 1]! : (gaps[0] ?? '');
  const sample = children.find((c) => c.name.endsWith('datafield') && c.children.some((s) => 'name' in s));
  let subfieldGap = '';
  let fieldEnd = '';
  if (sample) {
    const subfields = sample.children.filter((c): c is XmlElement => 'name' in c);
    subfieldGap = text.slice(firstTagEnd(text, sample.source!.start), subfields[0]!.source!.start);
    const last = subfields[subfields.length - 1]!;
    fieldEnd = text.slice(last.source!.end, text.lastIndexOf('<', sample.source!.end - 1));
  }
  return { prefix, fieldGap: /^\s*$/.test(fieldGap) ? fieldGap : '', subfieldGap, fieldEnd };
}

/** The attribute order of a data field as it was written; Alma's (`ind1 ind2 tag`) for a new one. */
function attributeOrder(markup: string | undefined): ('ind1' | 'ind2' | 'tag')[] {
  const alma: ('ind1' | 'ind2' | 'tag')[] = ['ind1', 'ind2', 'tag'];
  if (!markup) return alma;
  const startTag = markup.slice(0, firstTagEnd(markup, 0));
  const order = alma
    .map((name) => ({ name, at: startTag.search(new RegExp(`\\s${name}\\s*=`)) }))
    .filter((a) => a.at !== -1)
    .sort((a, b) => a.at - b.at)
    .map((a) => a.name);
  return order.length === 3 ? order : alma;
}

/** Numeric tags by number; Alma's own (`AVA`, `INST`) after every numeric one, by name. */
function tagOrder(tag: string): number {
  if (/^\d{3}$/.test(tag)) return Number(tag);
  let rank = 1000;
  for (const c of tag.slice(0, 4)) rank = rank * 128 + (c.charCodeAt(0) & 127);
  return rank;
}

/**
 * Refuses a character XML 1.0 cannot carry: a control character other than tab, line feed and carriage return, a
 * surrogate alone, U+FFFE or U+FFFF.
 */
function checkXmlChars(value: string, where: string): void {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800) continue;
    const pairedHigh = c >= 0xd800 && c <= 0xdbff && isLow(value.charCodeAt(i + 1));
    if (pairedHigh) {
      i++;
      continue;
    }
    const allowed = c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0xe000 && c <= 0xfffd);
    if (allowed) continue;
    const code = c.toString(16).toUpperCase().padStart(4, '0');
    throw new MarcError(
      `${where}: U+${code} at position ${i} cannot be written in XML 1.0; remove it from the value (nothing was written)`,
    );
  }
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function escapeText(value: string, where: string): string {
  checkXmlChars(value, where);
  return /[&<>\r]/.test(value) ? value.replace(/[&<>\r]/g, (c) => XML_ESCAPES[c]!) : value;
}

function escapeAttribute(value: string, where: string): string {
  checkXmlChars(value, where);
  return /[&<>"\t\n\r]/.test(value) ? value.replace(/[&<>"\t\n\r]/g, (c) => XML_ESCAPES[c]!) : value;
}

export { MARC_NAMESPACE };
