import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { USER_XML } from '../fixtures/records.js';
import { REPO, SHARED_PAYLOADS, tempDir } from '../helpers/specs.js';
import { canonical } from '../helpers/xml.js';

const CLI = [
  '--import',
  'tsx',
  path.join(REPO, 'generator/cli.ts'),
  '--config',
  path.join(REPO, 'alma-codegen.yaml'),
  'convert',
];

function convert(args: string[], stdin?: string | Buffer): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [...CLI, ...args], { cwd: REPO }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin ?? '');
  });
}

describe('alma-codegen convert', () => {
  test('XML file → JSON, type inferred from the root element; and back through stdin', async () => {
    const file = path.join(tempDir(), 'user.xml');
    writeFileSync(file, USER_XML);
    const toJson = await convert(['--to', 'json', file]);
    expect(toJson.code).toBe(0);
    const json = JSON.parse(toJson.stdout) as { user_identifier: unknown[]; loans: { value: number } };
    expect(json.user_identifier).toHaveLength(1);
    expect(json.loans.value).toBe('14');
    const toXml = await convert(['--type', 'rest_user', '--to', 'xml'], toJson.stdout);
    expect(toXml.code).toBe(0);
    expect(canonical(toXml.stdout)).toEqual(canonical(USER_XML));
  });

  test('a real item payload converts', async () => {
    const result = await convert([
      '--to',
      'json',
      path.join(SHARED_PAYLOADS, 'BIBSYSDEV+ALMA-API-Example-usage/item.xml'),
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ item_data: { barcode: expect.any(String) } });
  });

  test.each([
    [['--to', 'xml'], '{"a":1}', /JSON has no root element to tell its type\n {2}fix: pass --type/],
    [['--type', 'rest_nothing', '--to', 'xml'], '{"a":1}', /no schema named "rest_nothing"/],
    [['--to', 'json'], '<user>\n<oops></user>', /stdin: .*\(line 2, column \d+\)/],
    [['--to', 'json'], '{"a":1}', /the input is already JSON/],
    [['--to', 'yaml'], '<user/>', /convert needs the format to convert to\n {2}fix: pass --to json or --to xml/],
    [['--to', 'json', '/nonexistent/user.xml'], '', /cannot read \/nonexistent\/user\.xml \(ENOENT\)/],
    [
      ['--to', 'json', '--max-size', '0.001'],
      `<users>${'<user><primary_id>x</primary_id></user>'.repeat(40)}</users>`,
      /stdin: the record is over the size limit \(1049 bytes\)\n {2}fix: pass a larger --max-size <MiB> \(default 32\)/,
    ],
    [
      ['--to', 'json'],
      Buffer.concat([Buffer.from('<user><primary_id>j'), Buffer.from([0xff]), Buffer.from('doe</primary_id></user>')]),
      /stdin: not valid UTF-8 at byte 19 \(0xff\)\n {2}fix: convert the file to UTF-8 first/,
    ],
  ])('%j fails clearly', async (args, stdin, message) => {
    const result = await convert(args, stdin);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});
