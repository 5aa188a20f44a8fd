import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';

/**
 * Validates an XML document against an XSD with libxml2's xmllint, compiled to WebAssembly (npm's xmllint-wasm):
 * nothing to install beside Node. The XSD's `xs:include`s are loaded from its folder.
 */
export async function validateAgainstXsd(xml: string, xsdFile: string): Promise<{ ok: boolean; output: string }> {
  const files = new Map<string, string>();
  const load = (file: string) => {
    const name = path.basename(file);
    // A missing include is left to xmllint, which reports it and goes on (rest_analyt_paths.xsd's).
    if (files.has(name) || !existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    files.set(name, text);
    for (const m of text.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<xs:include\s+schemaLocation="([^"]+)"/g))
      load(path.join(path.dirname(file), m[1]!));
  };
  load(xsdFile);
  const [schema, ...includes]: XMLFileInfo[] = [...files].map(([fileName, contents]) => ({ fileName, contents }));
  const result = await validateXML({ xml: { fileName: 'doc.xml', contents: xml }, schema: schema!, preload: includes });
  return { ok: result.valid, output: result.rawOutput };
}
