import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SHARED_PAYLOADS } from './specs.js';

/** A MARC record as a real Alma answer carried it: JSON `anies[0]` strings, and `<record>` elements of XML bodies. */
export interface MarcPayload {
  source: string;
  format: 'json' | 'xml';
  text: string;
}

/** Every MARC record in ../shared/alma-payloads (none when it is absent: the tests that need them say they skip). */
export function marcPayloads(dir = SHARED_PAYLOADS): MarcPayload[] {
  if (!existsSync(dir)) return [];
  const found: MarcPayload[] = [];
  for (const project of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    for (const file of readdirSync(path.join(dir, project.name)).sort()) {
      const source = `${project.name}/${file}`;
      const text = readFileSync(path.join(dir, project.name, file), 'utf8');
      if (file.endsWith('.json')) {
        const walk = (value: unknown): void => {
          if (typeof value === 'string' && /<record[\s>]/.test(value))
            found.push({ source, format: 'json', text: value });
          else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
        };
        walk(JSON.parse(text));
      } else if (file.endsWith('.xml')) {
        // The embedded record's exact text, as the codec keeps it (`anies`): from `<record>` to its end tag.
        for (const m of text.matchAll(/<record>[\s\S]*?<\/record>/g)) found.push({ source, format: 'xml', text: m[0] });
      }
    }
  }
  return found;
}
