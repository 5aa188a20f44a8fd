/**
 * The codec against fast-xml-parser alone, on large records: a 1,000-user list, a bib with a 500-field MARC record,
 * and users lists of 1, 10 and 30 MB made of many small distinct users (one line, as Alma sends them: cost grows
 * with the number of elements, so the big cases are made of small records). Decode: our `xmlToJson` (parse,
 * well-formedness check, schema-driven mapping) ÷ a raw `XMLParser.parse` with the same order-preserving settings.
 * Encode: our `jsonToXml` ÷ a raw `XMLBuilder.build` of the parser's own tree. Each figure is the median of
 * repeated runs after warm-up runs (more runs for the small cases, whose times vary most with GC), ours and the
 * parser's interleaved run by run so that a busy machine slows both. Target: every ratio ≤ 2 at every size. Memory:
 * the peak of one decode in a fresh process (`peakMemory`), ≤ 4 × the document.
 *
 *   npm run bench:xml
 */
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { loadCodecTypes } from '../generator/convert/codec-types.js';
import { loadConfig } from '../generator/config.js';
import { jsonToXml, xmlToJson } from '../runtime/xml/codec.js';
import { bibXml, USER_XML } from '../test/fixtures/records.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const types = loadCodecTypes(loadConfig(path.join(repo, 'alma-codegen.yaml')));

// The child process of `peakMemory`: one decode of a document read from a file.
if (process.argv[2] === '--memory') {
  const xml = readFileSync(process.argv[3]!, 'utf8');
  const type = types.byName(process.argv[4]!)!.xml;
  const before = process.memoryUsage().rss;
  xmlToJson(xml, type);
  console.log(process.resourceUsage().maxRSS * 1024 - before);
  process.exit(0);
}

const rawOptions = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
} as const;
const rawParser = new XMLParser(rawOptions);
const rawBuilder = new XMLBuilder({ ...rawOptions, suppressEmptyNode: true });

/** Medians of `ours` and `theirs`, run alternately after warm-up. */
function medians(ours: () => unknown, theirs: () => unknown, runs: number): [number, number] {
  const warm = Math.min(3, runs);
  for (let i = 0; i < warm; i++) {
    ours();
    theirs();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    ours();
    a.push(performance.now() - started);
    started = performance.now();
    theirs();
    b.push(performance.now() - started);
  }
  const mid = (v: number[]) => v.sort((x, y) => x - y)[Math.floor(v.length / 2)]!;
  return [mid(a), mid(b)];
}

/** A users list of about `mb` MB: many small, distinct users on one line. */
function usersList(mb: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let n = 0; size < mb * 1024 * 1024; n++) {
    const user = `<user><record_type desc="Public">PUBLIC</record_type><primary_id>user${n}</primary_id><first_name>F${n}</first_name><last_name>L${n % 97}</last_name><user_group desc="Staff">${n % 5}</user_group><status desc="Active">ACTIVE</status><contact_info><emails><email preferred="true"><email_address>u${n}@x.org</email_address></email></emails></contact_info></user>`;
    parts.push(user);
    size += user.length;
  }
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><users total_record_count="${parts.length}">${parts.join('')}</users>`;
}

const userBody = USER_XML.replace(/<\?xml[^>]*\?>\s*/, '');
const cases = [
  {
    name: '1,000-user list',
    xml: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><users total_record_count="1000">${userBody.repeat(1000)}</users>`,
    typeName: 'rest_users',
    runs: 15,
  },
  { name: 'bib, 500-field MARC', xml: bibXml(500), typeName: 'rest_bib', runs: 41 },
  { name: 'users list, 1 MB', xml: usersList(1), typeName: 'rest_users', runs: 9 },
  { name: 'users list, 10 MB', xml: usersList(10), typeName: 'rest_users', runs: 3 },
  { name: 'users list, 30 MB', xml: usersList(30), typeName: 'rest_users', runs: 3 },
].map((c) => ({ ...c, type: types.byName(c.typeName)!.xml }));

/**
 * The memory a decode needs at its peak, ÷ the document's size: in a fresh process that has read the document from a
 * file, how far the resident set's high-water mark rises above the resident set just before the decode (V8's heap
 * and everything else). A fresh process each time, so that no earlier case's peak hides this one's.
 */
function peakMemory(xml: string, typeName: string): number {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'alma-xml-')), 'doc.xml');
  writeFileSync(file, xml);
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--memory', file, typeName],
    { encoding: 'utf8' },
  );
  rmSync(path.dirname(file), { recursive: true, force: true });
  return Number(out.trim()) / Buffer.byteLength(xml);
}

console.log(
  'case                    size      decode ours / raw = ratio (ours MB/s)      encode ours / raw = ratio (ours MB/s)   peak memory of a decode',
);
const memory: number[] = [];
for (const { name, xml, type, typeName, runs } of cases) {
  const heap = peakMemory(xml, typeName);
  // Below a few MB the peak is V8's young generation (some 20 MB whatever the document), not the document's share.
  if (xml.length >= 8 * 1024 * 1024) memory.push(heap);
  const json = xmlToJson(xml, type);
  const tree = rawParser.parse(xml) as unknown[];
  const [decodeOurs, decodeRaw] = medians(
    () => xmlToJson(xml, type),
    () => rawParser.parse(xml),
    runs,
  );
  const [encodeOurs, encodeRaw] = medians(
    () => jsonToXml(json, type),
    () => rawBuilder.build(tree),
    runs,
  );
  const mb = xml.length / 1024 / 1024;
  console.log(
    `${name.padEnd(22)} ${(xml.length / 1024).toFixed(0).padStart(6)} KiB  ${decodeOurs.toFixed(1).padStart(7)} / ${decodeRaw.toFixed(1).padStart(6)} ms = ${(decodeOurs / decodeRaw).toFixed(2)} (${(mb / (decodeOurs / 1000)).toFixed(1)})   ${encodeOurs.toFixed(1).padStart(7)} / ${encodeRaw.toFixed(1).padStart(6)} ms = ${(encodeOurs / encodeRaw).toFixed(2)} (${(mb / (encodeOurs / 1000)).toFixed(1)})   ${heap.toFixed(1)} × the document`,
  );
}
console.log(
  `target: every ratio ≤ 2, at every size; the peak memory of a decode ≤ 4 × the document from 10 MB up (largest here: ${Math.max(...memory).toFixed(1)} ×; smaller documents stay within V8's young generation, about 20 MB)`,
);
