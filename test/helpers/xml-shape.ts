import type { ApiModel, IrType, NamedSchema } from '../../generator/ir/model.js';

/** One XML node a type can produce: its path, whether it is an attribute, and whether it repeats. */
export interface XmlShapeEntry {
  path: string;
  attribute: boolean;
  list: boolean;
}

/** Every element and attribute path of a schema's XML, as the IR describes it (recursion cut at depth 6). */
export function xmlShape(schema: NamedSchema, schemas: ApiModel['schemas']): Map<string, XmlShapeEntry> {
  const out = new Map<string, XmlShapeEntry>();
  const walk = (type: IrType, at: string, depth: number) => {
    if (depth > 6) return;
    if (type.kind === 'ref') return walk(schemas[type.id]!.type, at, depth + 1);
    if (type.kind === 'array') return walk(type.items, at, depth);
    if (type.kind !== 'object') return;
    for (const p of type.properties) {
      if (p.xml.kind === 'text' || p.xml.kind === 'any') continue;
      const base = p.xml.wrapper ? `${at}/${p.xml.wrapper}` : at;
      const path = p.xml.kind === 'attribute' ? `${base}/@${p.xml.name}` : `${base}/${p.xml.name}`;
      out.set(path, { path, attribute: p.xml.kind === 'attribute', list: p.type.kind === 'array' });
      walk(p.type, path, depth + 1);
    }
  };
  walk(schema.type, schema.xmlRoot ?? '', 0);
  return out;
}
