import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../../generator/config.js';
import { generateInMemory } from '../../../generator/pipeline/generate.js';
import { writeDirectoryAtomically } from '../../../generator/pipeline/write.js';
import { REPO, repoTempDir } from '../../helpers/specs.js';

/** What a browser bundle of an app carries of the MARC model: nothing, unless the app uses it. */
describe('the MARC model is tree-shakable', () => {
  let src: string;
  beforeAll(async () => {
    const dir = path.join(repoTempDir('generated-'), 'alma-client');
    await writeDirectoryAtomically(
      dir,
      (await generateInMemory(loadConfig(path.join(REPO, 'alma-codegen.yaml')))).emitted.files,
    );
    src = path.join(dir, 'src', 'index.ts');
  });

  const bundle = async (code: string) => {
    const work = mkdtempSync(path.join(repoTempDir('out-'), 'app-'));
    writeFileSync(path.join(work, 'app.ts'), code.replace('PACKAGE', JSON.stringify(src)));
    const result = await build({
      entryPoints: [path.join(work, 'app.ts')],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text;
  };
  // A message only the MARC model writes.
  const MARC_CODE = /expected a MARC <record>/;

  test('an app that only reads users carries none of it', async () => {
    const app = await bundle(
      "import { createClient, getUser } from PACKAGE;\nconst alma = createClient({ apiKey: 'k', baseUrl: 'http://x' });\ngetUser(alma, { userId: 'a' }).then((u) => console.log(u.primary_id));\n",
    );
    expect(app).toMatch(/primary_id/);
    expect(app).not.toMatch(MARC_CODE);
  });

  test('an app that edits MARC carries it', async () => {
    const app = await bundle(
      "import { MarcRecord } from PACKAGE;\nconsole.log(MarcRecord.fromXml('<record/>').toXml());\n",
    );
    expect(app).toMatch(MARC_CODE);
  });
});
