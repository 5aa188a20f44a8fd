import path from 'node:path';
import type { ApiModel, BriefSearch, DocumentedValues, IrType, Operation, TypeSource } from '../ir/model.js';

/** Where a body's type came from: a named schema's source, or `file` for an answer that is a file's bytes. */
export type BodySource = TypeSource | 'file';

export interface OperationEntry {
  operationId: string;
  area: string;
  method: string;
  path: string;
  exportName: string;
  module: string;
  /** Where the request and response body types came from; absent when the operation has no such body. */
  requestType?: BodySource;
  responseType?: BodySource;
  /** Its brief search as read from the `q` description: the fields, operators and constraints, and the text. */
  search?: Omit<BriefSearch, 'param'>;
  /** Parameters whose description enumerates their values: the values, and the text they were read from. */
  documentedValues?: Record<string, DocumentedValues>;
  /** The parameter that takes a list of ids, and how many per call. */
  idList?: { param: string; max: number };
  /** Not in the published specs: where Ex Libris documents it. */
  supplementary?: string;
}

export interface GenerationReport {
  generator: { name: 'alma-codegen'; version: string };
  package: { name: string; version: string };
  /** `withBodies`: operations with a request or response body; `fullyTyped`: those of them with no untyped body. */
  totals: {
    operations: number;
    withBodies: number;
    fullyTyped: number;
    schemas: Record<TypeSource, number>;
    bodies: Record<BodySource, number>;
  };
  areas: {
    name: string;
    specFile: string;
    operations: number;
    withBodies: number;
    fullyTyped: number;
    bodies: Record<BodySource, number>;
  }[];
  operations: OperationEntry[];
  schemas: { tsName: string; id: string; source: TypeSource; file: string; module: string }[];
  diagnostics: ApiModel['diagnostics'];
}

const zero = (): Record<TypeSource, number> => ({ 'json-schema': 0, xsd: 0, derived: 0, untyped: 0 });
const zeroBodies = (): Record<BodySource, number> => ({ ...zero(), file: 0 });

/** The machine-readable account of a generation: every operation, where its types came from, and coverage. */
export function buildReport(
  model: ApiModel,
  placement: Map<string, string>,
  pkg: { packageName: string; packageVersion: string; generatorVersion: string },
): GenerationReport {
  const sourceOf = (type: IrType | undefined): BodySource | undefined => {
    if (!type) return undefined;
    if (type.kind === 'file') return 'file';
    if (type.kind === 'ref') return model.schemas[type.id]?.source ?? 'untyped';
    if (type.kind === 'array') return sourceOf(type.items);
    return type.kind === 'document' || type.kind === 'unknown' ? 'untyped' : 'json-schema';
  };
  const operations: OperationEntry[] = [];
  const totals = { operations: 0, withBodies: 0, fullyTyped: 0, schemas: zero(), bodies: zeroBodies() };
  const areas = model.areas.map((area) => {
    const bodies = zeroBodies();
    let fullyTyped = 0;
    let withBodies = 0;
    for (const op of area.operations) {
      const requestType = sourceOf(op.requestBody?.type);
      const responseType = sourceOf(op.response.type);
      if (requestType || responseType) withBodies++;
      if ((requestType || responseType) && requestType !== 'untyped' && responseType !== 'untyped') fullyTyped++;
      for (const source of [requestType, responseType]) {
        if (!source) continue;
        bodies[source]++;
        totals.bodies[source]++;
      }
      operations.push({
        operationId: op.operationId,
        area: op.area,
        method: op.method,
        path: op.path,
        exportName: op.exportName,
        module: `src/${area.name}.ts`,
        ...(requestType ? { requestType } : {}),
        ...(responseType ? { responseType } : {}),
        ...(op.search ? { search: (({ param: _, ...rest }) => rest)(op.search) } : {}),
        ...documentedOf(op),
        ...(op.idList ? { idList: { param: op.idList.wireName, max: op.idList.max } } : {}),
        ...(op.supplementary ? { supplementary: op.supplementary.source } : {}),
      });
    }
    totals.operations += area.operations.length;
    totals.fullyTyped += fullyTyped;
    totals.withBodies += withBodies;
    return {
      name: area.name,
      specFile: path.basename(area.specFile),
      operations: area.operations.length,
      withBodies,
      fullyTyped,
      bodies,
    };
  });
  const schemas = Object.values(model.schemas).map((s) => {
    totals.schemas[s.source]++;
    return {
      tsName: s.tsName,
      id: s.id,
      source: s.source,
      file: path.basename(s.file),
      module: `src/${placement.get(s.id) ?? 'shared'}.ts`,
    };
  });
  const diagnostics = model.diagnostics.map((d) => ({ ...d, file: path.basename(d.file) }));
  return {
    generator: { name: 'alma-codegen', version: pkg.generatorVersion },
    package: { name: pkg.packageName, version: pkg.packageVersion },
    totals,
    areas,
    operations,
    schemas,
    diagnostics,
  };
}

function documentedOf(op: Operation): { documentedValues?: Record<string, DocumentedValues> } {
  const entries = op.queryParams.flatMap((p) => (p.documented ? [[p.wireName, p.documented] as const] : []));
  return entries.length ? { documentedValues: Object.fromEntries(entries) } : {};
}

/** The console summary: one row per area, then totals. */
export function summaryTable(report: GenerationReport): string {
  const header = ['area', 'operations', 'fully typed', 'json-schema', 'xsd', 'derived', 'file', 'untyped'];
  const row = (
    name: string,
    counts: { operations: number; withBodies: number; fullyTyped: number; bodies: Record<BodySource, number> },
  ) => [
    name,
    String(counts.operations),
    `${counts.fullyTyped}/${counts.withBodies}`,
    ...[
      counts.bodies['json-schema'],
      counts.bodies.xsd,
      counts.bodies.derived,
      counts.bodies.file,
      counts.bodies.untyped,
    ].map(String),
  ];
  const rows = [...report.areas.map((a) => row(a.name, a)), row('total', report.totals)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return (
    [line(header), ...rows.map(line)].join('\n') +
    '\n(fully typed: operations with a body whose every body is typed; then body types by source, request and response\n counted separately)'
  );
}
