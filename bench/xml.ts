/**
 * The codec against fast-xml-parser alone, on large records: a 1,000-user list and a bib with a 500-field MARC
 * record. Decode: our `xmlToJson` (parse, well-formedness check, schema-driven mapping) ÷ a raw
 * `XMLParser.parse` with the same order-preserving settings. Encode: our `jsonToXml` ÷ a raw `XMLBuilder.build`
 * of the parser's own tree. Median of repeated runs after warm-up. Target: both ≤ 2.
 *
 *   npm run bench:xml
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { loadCodecTypes } from '../generator/codec-types.js';
import { loadConfig } from '../generator/config.js';
import { jsonToXml, xmlToJson } from '../runtime/codec.js';
import { bibXml, USER_XML } from '../test/fixtures/records.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const types = loadCodecTypes(loadConfig(path.join(repo, 'alma-codegen.yaml')));

const rawOptions = { preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: false, cdataPropName: '#cdata' } as const;
const rawParser = new XMLParser(rawOptions);
const rawBuilder = new XMLBuilder({ ...rawOptions, suppressEmptyNode: true });

function median(fn: () => unknown, runs: number): number {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const userBody = USER_XML.replace(/<\?xml[^>]*\?>\s*/, '');
const cases = [
  { name: '1,000-user list', xml: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><users total_record_count="1000">${userBody.repeat(1000)}</users>`, type: types.byName('rest_users')!.xml, runs: 15 },
  { name: 'bib, 500-field MARC', xml: bibXml(500), type: types.byName('rest_bib')!.xml, runs: 41 },
];

console.log('case                    size      decode ours / raw = ratio      encode ours / raw = ratio');
for (const { name, xml, type, runs } of cases) {
  const json = xmlToJson(xml, type);
  const tree = rawParser.parse(xml) as unknown[];
  const decodeOurs = median(() => xmlToJson(xml, type), runs);
  const decodeRaw = median(() => rawParser.parse(xml), runs);
  const encodeOurs = median(() => jsonToXml(json, type), runs);
  const encodeRaw = median(() => rawBuilder.build(tree), runs);
  console.log(
    `${name.padEnd(22)} ${(xml.length / 1024).toFixed(0).padStart(6)} KiB  ${decodeOurs.toFixed(1).padStart(7)} / ${decodeRaw.toFixed(1).padStart(6)} ms = ${(decodeOurs / decodeRaw).toFixed(2)}   ${encodeOurs.toFixed(1).padStart(7)} / ${encodeRaw.toFixed(1).padStart(6)} ms = ${(encodeOurs / encodeRaw).toFixed(2)}`,
  );
}
console.log('target: every ratio ≤ 2');
