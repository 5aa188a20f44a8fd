/**
 * MARC records: our `MarcRecord` beside the libraries a user would reach for, in the same run, on Alma's own records.
 *
 * 1. Fidelity, on every MARC record in ../shared/alma-payloads: how many each library reads, how many come back as
 *    the exact text read (parse + serialise, no edit), and how many keep every field's tag, indicators and subfields.
 * 2. Speed, on 10,000 bib records of realistic size (the real records, each made unique by its 001, in turn):
 *    parse + serialise, and parse + one edit (a 245 $a) + serialise. Ratios are our time over each library's; the
 *    goal is at most 1 against the fastest of them.
 *
 *   npm run bench:marc [-- --records 10000 --runs 3]
 */
import { createRequire } from 'node:module';
import { MarcRecord } from '../runtime/marc/record.js';
import { marcPayloads } from '../test/helpers/marc.js';

const require = createRequire(import.meta.url);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const COUNT = arg('records', 10_000);
const RUNS = arg('runs', 3);

interface Library {
  name: string;
  /** Parse, optionally edit the first 245 $a, and serialise. */
  roundTrip(text: string, edit: boolean): Promise<string> | string;
  /** The fields as `tag ind1ind2 $a value…` lines, to compare what a library read with ours. */
  fields(text: string): Promise<string[]> | string[];
}

const ours: Library = {
  name: 'MarcRecord (ours)',
  roundTrip(text, edit) {
    const record = MarcRecord.fromXml(text);
    if (edit) record.getDataFields('245')[0]?.setSubfield('a', 'Edited title /');
    return record.toXml();
  },
  fields: (text) => MarcRecord.fromXml(text).fields.map((f) => f.toString()),
};

type NatlibRecord = {
  leader: string;
  fields: {
    tag: string;
    value?: string;
    ind1?: string;
    ind2?: string;
    subfields?: { code: string; value: string }[];
  }[];
  get(tag: RegExp): NatlibRecord['fields'];
};
const natlib = require('@natlibfi/marc-record-serializers').MARCXML as {
  from(text: string, validation?: object): Promise<NatlibRecord>;
  to(record: NatlibRecord, options?: object): string;
};
// Validation off, as far as the library allows: Alma's own tags (INST, AVA) are not MARC 21.
const NATLIB_LOOSE = { fields: false, subfields: false, subfieldValues: false, controlFieldValues: false };
const natlibfi: Library = {
  name: '@natlibfi/marc-record 9 + serializers 10',
  async roundTrip(text, edit) {
    const record = await natlib.from(text, NATLIB_LOOSE);
    if (edit) {
      const title = record.get(/^245$/)[0]?.subfields?.find((s) => s.code === 'a');
      if (title) title.value = 'Edited title /';
    }
    return natlib.to(record, { omitDeclaration: true });
  },
  async fields(text) {
    const record = await natlib.from(text, NATLIB_LOOSE);
    return record.fields.map((f) => lineOf(f.tag, f.value, f.ind1, f.ind2, f.subfields));
  },
};

type MarcjsRecord = { leader: string; fields: string[][] };
const { Marc } = require('marcjs') as {
  Marc: {
    parse(text: string, type: 'marcxml'): MarcjsRecord;
    format(record: MarcjsRecord, type: 'marcxml'): string;
  };
};
const marcjs: Library = {
  name: 'marcjs 3',
  roundTrip(text, edit) {
    const record = Marc.parse(text, 'marcxml');
    if (edit) {
      const title = record.fields.find((f) => f[0] === '245');
      const at = title?.indexOf('a', 2) ?? -1;
      if (title && at > 1) title[at + 1] = 'Edited title /';
    }
    return Marc.format(record, 'marcxml');
  },
  fields(text) {
    // A control field is [tag, value]; a data field [tag, indicators, code, value, …].
    return Marc.parse(text, 'marcxml').fields.map((f) => {
      if (f.length === 2) return lineOf(f[0]!, f[1]);
      const subfields: { code: string; value: string }[] = [];
      for (let i = 2; i < f.length; i += 2) subfields.push({ code: f[i]!, value: f[i + 1]! });
      return lineOf(f[0]!, undefined, f[1]![0], f[1]![1], subfields);
    });
  },
};

function lineOf(
  tag: string,
  value?: string,
  ind1 = ' ',
  ind2 = ' ',
  subfields?: { code: string; value: string }[],
): string {
  if (value !== undefined && !subfields) return `${tag} ${value}`;
  const ind = `${ind1}${ind2}`.replace(/ /g, '_');
  return `${tag} ${ind} ${(subfields ?? []).map((s) => `$${s.code} ${s.value}`).join(' ')}`.trimEnd();
}

const LIBRARIES = [ours, natlibfi, marcjs];

/** Per library: how many of the real records it reads with every field as ours reads them. */
const faithful = new Map<Library, number>();

async function fidelity(records: { source: string; text: string }[]): Promise<void> {
  console.log(
    `fidelity on the ${records.length} MARC records of ../shared/alma-payloads (JSON anies and XML <record>)`,
  );
  console.log('library'.padEnd(44), 'read'.padStart(6), 'same text'.padStart(10), 'same fields'.padStart(12));
  for (const library of LIBRARIES) {
    let read = 0;
    let sameText = 0;
    let sameFields = 0;
    for (const { text } of records) {
      try {
        const written = await library.roundTrip(text, false);
        read++;
        if (written === text) sameText++;
        if (JSON.stringify(await library.fields(text)) === JSON.stringify(await ours.fields(text))) sameFields++;
      } catch {
        // refused: counted as not read
      }
    }
    faithful.set(library, sameFields);
    console.log(
      library.name.padEnd(44),
      String(read).padStart(6),
      String(sameText).padStart(10),
      String(sameFields).padStart(12),
    );
  }
}

/** Unique bib records of realistic size: the real ones in turn (`base`, its index), each with its own 001. */
function workload(bibs: string[], count: number): { base: number; text: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const record = MarcRecord.fromXml(bibs[i % bibs.length]!);
    record.setControlField('001', `99${String(i).padStart(12, '0')}3811`);
    return { base: i % bibs.length, text: record.toXml() };
  });
}

async function time(library: Library, texts: string[], edit: boolean): Promise<number | undefined> {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    try {
      for (const text of texts) await library.roundTrip(text, edit);
    } catch {
      return undefined;
    }
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

async function speed(texts: string[], readable: (library: Library) => string[]): Promise<void> {
  const bytes = (list: string[]) => list.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
  console.log(`\nspeed on ${texts.length} bib records (${bytes(texts).toFixed(1)} MB), best of ${RUNS} runs`);
  for (const library of LIBRARIES) {
    const count = readable(library).length;
    if (count < texts.length) console.log(`  ${library.name} refuses some of them: timed on the ${count} it reads`);
  }
  for (const [label, edit] of [
    ['parse + serialise', false],
    ['parse + one edit + serialise', true],
  ] as const) {
    console.log(`\n${label}`);
    // Time per megabyte, so that a library timed on fewer records compares fairly.
    const perMb = new Map<Library, number | undefined>();
    for (const library of LIBRARIES) {
      const ms = await time(library, readable(library), edit);
      perMb.set(library, ms === undefined ? undefined : ms / bytes(readable(library)));
    }
    const ourMs = perMb.get(ours)!;
    for (const library of LIBRARIES) {
      const ms = perMb.get(library);
      const rate = ms === undefined ? 'refused' : `${(1000 / ms).toFixed(1)} MB/s`;
      const ratio = library === ours || ms === undefined ? '' : `ratio ${(ourMs / ms).toFixed(2)}`;
      console.log(`  ${library.name.padEnd(44)} ${rate.padStart(11)}  ${ratio}`);
    }
    // A library that reads no record right (marcjs: every tag empty) skips the work: its speed says nothing.
    const peers = LIBRARIES.filter((l) => l !== ours && perMb.get(l) !== undefined && (faithful.get(l) ?? 0) > 0);
    const fastest = Math.min(...peers.map((l) => perMb.get(l)!));
    console.log(
      `  ours against the fastest library that reads the records right: ratio ${(ourMs / fastest).toFixed(2)} (goal ≤ 1)`,
    );
  }
}

const payloads = marcPayloads();
if (payloads.length === 0) {
  console.log('bench:marc needs ../shared/alma-payloads (the real Alma records): not found, nothing measured');
  process.exit(0);
}
await fidelity(payloads);
const bibs = payloads.map((p) => p.text).filter((t) => /tag="245"/.test(t));
const texts = workload(bibs, COUNT);
// A library that refuses some of the records is timed on those it reads, and the line says how many.
const readableBy = new Map<Library, string[]>();
for (const library of LIBRARIES) {
  const reads: boolean[] = [];
  for (const text of bibs)
    reads.push(
      await Promise.resolve(library.roundTrip(text, false)).then(
        () => true,
        () => false,
      ),
    );
  readableBy.set(
    library,
    texts.filter((t) => reads[t.base]).map((t) => t.text),
  );
}
await speed(
  texts.map((t) => t.text),
  (library) => readableBy.get(library)!,
);
