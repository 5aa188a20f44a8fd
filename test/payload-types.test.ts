import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../generator/config.js';
import { generateInMemory } from '../generator/pipeline/generate.js';
import type { ApiModel, IrType } from '../generator/ir/model.js';
import { writeDirectoryAtomically } from '../generator/pipeline/write.js';
import { REPO, repoTempDir, SHARED_PAYLOADS, writeStrictTsconfig } from './helpers/specs.js';

/**
 * The generated types accept what Alma really sends: every JSON record in ../shared/alma-payloads, assigned as it is
 * (an object literal: excess properties are errors; no casts) to the return type of the operation that returns it,
 * and checked by the TypeScript compiler under strict. Error bodies are the runtime's business, not a type's.
 */
const RECORDS: [file: string, operation: string][] = [
  ['mlibrary+alma_rest_client/circ_history.json', 'getAnalyticsReport'],
  ['mlibrary+alma_rest_client/circ_history_empty.json', 'getAnalyticsReport'],
  ['mlibrary+alma_rest_client/jbister_loans0.json', 'listUserLoans'],
  ['tulibraries+alma_rb/bib_items-pg1.json', 'listBibHoldingItems'],
  ['tulibraries+alma_rb/bib_items.json', 'listBibHoldingItems'],
  ['tulibraries+alma_rb/courses.json', 'listCourses'],
  ['tulibraries+alma_rb/fines.json', 'listUserFees'],
  // GET /items?item_barcode= redirects to the item's own URL.
  ['tulibraries+alma_rb/item_from_barcode.json', 'getBibHoldingItem'],
  ['tulibraries+alma_rb/libraries.json', 'listLibraries'],
  ['tulibraries+alma_rb/library.json', 'getLibrary'],
  ['tulibraries+alma_rb/location.json', 'getLibraryLocation'],
  ['tulibraries+alma_rb/locations.json', 'listLibraryLocations'],
  ['tulibraries+alma_rb/multiple_bibs.json', 'listBibs'],
  ['tulibraries+alma_rb/payment_success.json', 'payAllUserFees'],
  ['tulibraries+alma_rb/request_options.json', 'listBibRequestOptions'],
  ['tulibraries+alma_rb/request_options_no_hold.json', 'listBibRequestOptions'],
  ['tulibraries+alma_rb/request_success.json', 'createUserRequest'],
  // POST …/items/{item_pid}?op=scan answers with the item.
  ['tulibraries+alma_rb/scan.json', 'actOnBibHoldingItem'],
  ['tulibraries+alma_rb/single_holding.json', 'getBibHolding'],
  ['tulibraries+alma_rb/single_user.json', 'getUser'],
];

/**
 * Files that are not records as Alma sends them, with the reason; each must fail on exactly that, so that a real
 * type error in them cannot hide behind the reason.
 */
const NOT_FROM_ALMA: [file: string, operation: string, reason: string, errors: RegExp][] = [
  [
    'BIBSYSDEV+ALMA-API-Example-usage/representation.json',
    'getBibRepresentation',
    'Ex Libris\' documentation sample: placeholder strings for a boolean and a number ("is_remote": "false", "total_record_count": "string")',
    /Type 'string' is not assignable to type '(boolean|number)'/,
  ],
  [
    'BIBSYSDEV+ALMA-API-Example-usage/userrequests.json',
    'listUserRequests',
    'Ex Libris\' documentation sample: placeholder strings for booleans and numbers ("total_record_count": "", "partial_digitization": "")',
    /Type 'string' is not assignable to type '(boolean|number)( \| null \| undefined)?'/,
  ],
  [
    'tulibraries+alma_rb/loans-pg1.json',
    'listUserLoans',
    'a hand-written test fixture: loans cut down to loan_id and user_id (" 4228337030013811", with a leading space)',
    /is missing the following properties from type 'ItemLoan': circ_desk, library$/,
  ],
  [
    'tulibraries+alma_rb/renewal_success.json',
    'actOnUserLoan',
    'a hand-written test fixture: camelCase keys Alma never sends ("userId", "itemBarcode", "loanStatus")',
    /'"userId"' does not exist in type 'ItemLoan'/,
  ],
  [
    'tulibraries+alma_rb/requests.json',
    'listUserRequests',
    'a hand-written test fixture: fee records (id, balance, creation_time) under "user_request"',
    /'"id"' does not exist in type 'UserRequest'/,
  ],
];

const EXCLUDED_ERROR_BODIES = ['tulibraries+alma_rb/error.json', 'tulibraries+alma_rb/scan_missing_params.json'];

/**
 * Fixtures written from the XSDs for each class of real record the types once refused (issue #27): each must
 * type-check as the answer of its operation.
 */
const CLASSES: [name: string, operation: string, record: unknown][] = [
  [
    'numeric simple content: a count with a link, as a number',
    'getLibrary',
    {
      id: '1',
      code: 'MAIN',
      name: 'Main',
      number_of_locations: { value: 6, link: 'https://x/almaws/v1/conf/libraries/MAIN/locations' },
    },
  ],
  [
    'numeric simple content: the same count as a string',
    'getLibrary',
    {
      id: '1',
      code: 'MAIN',
      name: 'Main',
      number_of_locations: { value: '6', link: 'https://x/almaws/v1/conf/libraries/MAIN/locations' },
    },
  ],
  [
    'a code-table value with a link',
    'getLibraryLocation',
    {
      code: 'STACKS',
      name: 'Stacks',
      type: { value: 'OPEN', desc: 'Open', link: 'https://x/almaws/v1/conf/code-tables/LocationTypes' },
    },
  ],
  [
    'an amount with only its currency',
    'getUserResourceSharingRequest',
    { request_id: '1', shipping_cost: { currency: { value: 'USD', desc: 'US Dollar' } } },
  ],
  [
    // Decided from the XSD and the one representation here (Ex Libris' sample): rest_representation.xsd requires
    // library, usage_type and is_remote, and the sample has them; no record here shows one absent, so they stay
    // required (a POST without them is refused by Alma), and everything else may be missing.
    'a representation with only what rest_representation.xsd requires',
    'getBibRepresentation',
    {
      is_remote: false,
      library: { value: 'LAW', desc: 'Law Library' },
      usage_type: { value: 'PRESERVATION_MASTER', desc: 'Preservation Master' },
    },
  ],
  [
    'a field newer than the XSD: the permanent call number type of an item',
    'getBibHoldingItem',
    {
      bib_data: { mms_id: '99' },
      holding_data: {
        holding_id: '22',
        permanent_call_number_type: { value: '0', desc: 'Library of Congress classification' },
      },
      item_data: { pid: '23', barcode: '39074' },
    },
  ],
];

interface Checked {
  files: Map<string, string>;
  errors: Map<string, string[]>;
}

let checked: Checked;
let model: ApiModel;

beforeAll(async () => {
  const generated = await generateInMemory(loadConfig(path.join(REPO, 'alma-codegen.yaml')));
  model = generated.model;
  const root = repoTempDir('payload-types-');
  await writeDirectoryAtomically(path.join(root, 'alma-client'), generated.emitted.files);
  const records = path.join(root, 'records');
  mkdirSync(records);
  const files = new Map<string, string>();
  const write = (name: string, source: string, text: string) => {
    writeFileSync(path.join(records, name), text);
    files.set(source, name);
  };
  [...RECORDS, ...NOT_FROM_ALMA].forEach(([file, operation], i) => {
    const json = readFileSync(path.join(SHARED_PAYLOADS, file), 'utf8').replace(/^\uFEFF/, '');
    write(
      `payload${i}.ts`,
      file,
      `// ${file}\nimport type { ${operation} } from '../alma-client/src/index.js';\n\nexport const record: Awaited<ReturnType<typeof ${operation}>> = ${json.trim()};\n`,
    );
  });
  CLASSES.forEach(([name, operation, record], i) => {
    write(
      `class${i}.ts`,
      `class:${name}`,
      `import type { ${operation} } from '../alma-client/src/index.js';\n\nexport const record: Awaited<ReturnType<typeof ${operation}>> = ${JSON.stringify(record, null, 2)};\n`,
    );
  });
  for (const [name, record] of nullRecords(model)) {
    write(
      `nulls-${name}.ts`,
      `nulls:${name}`,
      `import type { ${name} } from '../alma-client/src/index.js';\n\nexport const record: ${name} = ${JSON.stringify(record, null, 2)};\n`,
    );
  }
  writeStrictTsconfig(records);
  const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
  const output = await promisify(execFile)(process.execPath, [tsc, '-p', '.'], {
    cwd: records,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    () => '',
    (error: { stdout: string }) => error.stdout,
  );
  const errors = new Map<string, string[]>();
  for (const line of output.split('\n')) {
    const match = /^([\w.-]+\.ts)\(\d+,\d+\): error (.*)$/.exec(line);
    if (match) errors.set(match[1]!, [...(errors.get(match[1]!) ?? []), match[2]!]);
    // Anything else the compiler reports (a broken package, a bad tsconfig) fails every test below.
    else if (/error TS/.test(line)) errors.set('*', [...(errors.get('*') ?? []), line]);
  }
  checked = { files, errors };
}, 180_000);

/**
 * For every object schema typed from a JSON schema file or an XSD, a record with every optional property `null`
 * (Alma's JSON for a record with nothing in them) and every required one filled.
 */
function nullRecords(model: ApiModel): [string, unknown][] {
  const fill = (type: IrType, depth: number): unknown => {
    switch (type.kind) {
      case 'string':
        return type.enum?.[0] ?? 'x';
      case 'integer':
      case 'number':
        return 1;
      case 'boolean':
        return true;
      case 'union':
        return fill(type.types[0]!, depth);
      case 'array':
        return [];
      case 'document':
      case 'unknown':
        return {};
      case 'ref': {
        const schema = model.schemas[type.id];
        return schema && depth < 6 ? fill(schema.type, depth + 1) : {};
      }
      case 'object':
        return Object.fromEntries(type.properties.map((p) => [p.name, p.required ? fill(p.type, depth + 1) : null]));
    }
  };
  return Object.values(model.schemas)
    .filter((s) => s.source !== 'untyped' && s.type.kind === 'object' && s.type.properties.length > 0)
    .map((s) => [s.tsName, fill(s.type, 0)]);
}

describe('real Alma records type-check against the generated types', () => {
  test('the tables cover every JSON payload but the error bodies', async () => {
    const { readdirSync } = await import('node:fs');
    const all = readdirSync(SHARED_PAYLOADS, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) =>
        readdirSync(path.join(SHARED_PAYLOADS, d.name))
          .filter((f) => f.endsWith('.json'))
          .map((f) => `${d.name}/${f}`),
      )
      .sort();
    const listed = [...RECORDS.map(([f]) => f), ...NOT_FROM_ALMA.map(([f]) => f), ...EXCLUDED_ERROR_BODIES].sort();
    expect(listed).toEqual(all);
  });

  test('the compiler reports nothing outside the records', () => expect(checked.errors.get('*') ?? []).toEqual([]));

  test.each(RECORDS)('%s as the answer of %s', (file) => {
    expect(checked.errors.get(checked.files.get(file)!) ?? []).toEqual([]);
  });

  test.each(CLASSES)('%s type-checks as the answer of %s', (name) => {
    expect(checked.errors.get(checked.files.get(`class:${name}`)!) ?? []).toEqual([]);
  });

  test.each(NOT_FROM_ALMA)(
    '%s is not a record Alma sends: %s fails on it only for the reason given',
    (file, _operation, _reason, pattern) => {
      const errors = checked.errors.get(checked.files.get(file)!) ?? [];
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) expect(error).toMatch(pattern);
    },
  );

  test('a record of every typed schema with every optional property null type-checks', () => {
    const names = [...checked.files.keys()].filter((k) => k.startsWith('nulls:'));
    expect(names.length).toBeGreaterThan(100);
    const failing = names.flatMap((k) => (checked.errors.get(checked.files.get(k)!) ?? []).map((e) => `${k}: ${e}`));
    expect(failing).toEqual([]);
  });

  test('the records do not hide behind untyped documents: most are checked against typed schemas', () => {
    const untyped = RECORDS.filter(([, operation]) => {
      const op = model.areas.flatMap((a) => a.operations).find((o) => o.exportName === operation)!;
      const type = op.response.type;
      return type?.kind !== 'ref' || model.schemas[type.id]?.source === 'untyped';
    }).map(([file]) => file);
    expect(untyped.length).toBeLessThanOrEqual(5);
  });
});
