import { descriptorName, paramsTypeName, searchFieldTypeName } from './naming.js';
import {
  StructureKind,
  type FunctionDeclarationStructure,
  type InterfaceDeclarationStructure,
  type TypeAliasDeclarationStructure,
} from './ts-morph.js';
import type { IrType, Operation, Parameter } from '../ir/model.js';
import { docComment, jsDocs } from './docs.js';
import { tsString } from './literals.js';
import { propertyKey, tsType, type Names } from './types.js';

function takesParams(op: Operation): boolean {
  return op.pathParams.length + op.queryParams.length > 0 || op.requestBody !== undefined;
}

function paramsOptional(op: Operation): boolean {
  return [...op.pathParams, ...op.queryParams].every((p) => !p.required) && !op.requestBody?.required;
}

/** The statements for one operation: its params interface, its descriptor and its function. */
export function operationStatements(
  op: Operation,
  names: Names,
  xmlOf: (type: IrType | undefined) => string | undefined,
): (InterfaceDeclarationStructure | FunctionDeclarationStructure | TypeAliasDeclarationStructure | string)[] {
  const statements: (
    | InterfaceDeclarationStructure
    | FunctionDeclarationStructure
    | TypeAliasDeclarationStructure
    | string
  )[] = [];
  if (op.search) statements.push(searchFieldType(op));
  if (takesParams(op)) statements.push(paramsInterface(op, names));
  statements.push(descriptor(op, xmlOf, names), operationFunction(op, names));
  return statements;
}

function paramsInterface(op: Operation, names: Names): InterfaceDeclarationStructure {
  const params = [...op.pathParams, ...op.queryParams].map((p) => ({
    name: propertyKey(p.name),
    hasQuestionToken: !p.required,
    type: parameterType(op, p, names),
    docs: jsDocs(parameterDoc(p), 2),
  }));
  const body = op.requestBody
    ? [
        {
          name: 'body',
          hasQuestionToken: !op.requestBody.required,
          type: tsType(op.requestBody.type, names, '  '),
          docs: jsDocs(op.requestBody.description || 'The request body.', 2),
        },
      ]
    : [];
  return {
    kind: StructureKind.Interface,
    name: paramsTypeName(op),
    isExported: true,
    docs: jsDocs(`Parameters of {@link ${op.exportName}}.`),
    properties: [...params, ...body],
  };
}

/**
 * A parameter's type: its enum; for the brief search, a raw string or a query over the operation's own fields; for
 * documented values, their union that still takes any string (an array where several may be sent).
 */
function parameterType(op: Operation, p: Parameter, names: Names): string {
  if (p.enum?.length) return p.enum.map(tsString).join(' | ');
  if (op.search && p.wireName === op.search.param) {
    const operators = op.search.operators.includes('=') ? `, '~' | '='` : '';
    return `string | ${names.type(op.search.andOnly ? 'SearchAll' : 'Search')}<${searchFieldTypeName(op)}${operators}>`;
  }
  if (p.documented) {
    const values = p.documented.values.map(tsString).join(' | ');
    return `${names.type(p.documented.multiple ? 'KnownValueList' : 'KnownValues')}<${values}>`;
  }
  return p.type === 'integer' ? 'number' : p.type;
}

/** The fields an operation's brief search takes, as literal types, with the text they were read from. */
function searchFieldType(op: Operation): TypeAliasDeclarationStructure {
  const search = op.search!;
  const notes = search.notes.length ? `\n\nAs documented: ${search.notes.join(' ')}` : '';
  return {
    kind: StructureKind.TypeAlias,
    name: searchFieldTypeName(op),
    isExported: true,
    type: search.fields.map(tsString).join(' | '),
    docs: jsDocs(
      `The fields {@link ${op.exportName}} searches with \`${search.param}\`, from its description.${notes}`,
    ),
  };
}

function parameterDoc(p: Parameter): string {
  const wire = p.wireName !== p.name ? `Sent as \`${p.wireName}\`.` : '';
  const fallback = p.default !== undefined ? `@defaultValue \`${JSON.stringify(p.default)}\`` : '';
  return [p.description, wire, fallback].filter(Boolean).join('\n\n');
}

function descriptor(op: Operation, xmlOf: (type: IrType | undefined) => string | undefined, names: Names): string {
  const requestXml = xmlOf(op.requestBody?.type);
  const responseXml = xmlOf(op.response.type);
  const map = (params: Parameter[]) =>
    `{ ${params.map((p) => `${propertyKey(p.name)}: ${tsString(p.wireName)}`).join(', ')} }`;
  const list = (values: string[]) => `[${values.map(tsString).join(', ')}]`;
  const lines = [
    `name: ${tsString(op.exportName)}`,
    `area: ${tsString(op.area)}`,
    `method: ${tsString(op.method)}`,
    `path: ${tsString(op.path)}`,
    op.pathParams.length ? `pathParams: ${map(op.pathParams)}` : '',
    op.queryParams.length ? `queryParams: ${map(op.queryParams)}` : '',
    `status: ${op.response.status}`,
    op.requestBody ? `requestTypes: ${list(op.requestBody.mediaTypes)}` : '',
    op.response.mediaTypes.length ? `responseTypes: ${list(op.response.mediaTypes)}` : '',
    requestXml ? `requestXml: ${requestXml}` : '',
    responseXml ? `responseXml: ${responseXml}` : '',
    op.response.type?.kind === 'file' ? 'responseBytes: true' : '',
    op.wireFormat ? `wireFormat: ${tsString(op.wireFormat)}` : '',
    op.errorCodes.length ? `errorCodes: ${list(op.errorCodes.map((c) => c.code))}` : '',
    op.errorCodes.some((c) => c.kind === 'not-found')
      ? `notFoundCodes: ${list(op.errorCodes.filter((c) => c.kind === 'not-found').map((c) => c.code))}`
      : '',
    op.role.kind === 'list' ? `listItems: ${tsString(op.role.item)}` : '',
    op.search ? `search: ${searchSpec(op.search)}` : '',
  ].filter(Boolean);
  // Written as text: ts-morph gives multi-line initializers a hanging indent.
  const doc = docComment(`What the runtime needs to know about {@link ${op.exportName}}.`, '');
  return `${doc}export const ${descriptorName(op)} = {\n${lines.map((l) => `  ${l},\n`).join('')}} as const satisfies ${names.type('OperationSpec')};`;
}

function searchSpec(search: NonNullable<Operation['search']>): string {
  const list = (values: string[]) => `[${values.map(tsString).join(', ')}]`;
  const parts = [
    `param: ${tsString(search.param)}`,
    `fields: ${list(search.fields)}`,
    `operators: ${list(search.operators)}`,
    search.andOnly ? 'andOnly: true' : '',
    search.alone.length ? `alone: ${list(search.alone)}` : '',
  ].filter(Boolean);
  return `{ ${parts.join(', ')} }`;
}

function operationFunction(op: Operation, names: Names): FunctionDeclarationStructure {
  const returns = op.response.type ? tsType(op.response.type, names) : 'void';
  const paramsType = takesParams(op) ? paramsTypeName(op) : names.type('NoParams');
  const optional = !takesParams(op) || paramsOptional(op);
  return {
    kind: StructureKind.Function,
    name: op.exportName,
    isExported: true,
    docs: jsDocs(functionDoc(op)),
    parameters: [
      { name: 'client', type: names.type('AlmaClient') },
      { name: 'params', type: paramsType, ...(optional ? { initializer: '{}' } : {}) },
      { name: 'options', type: names.type('CallOptions'), hasQuestionToken: true },
    ],
    returnType: `Promise<${returns}>`,
    statements: `return client.request<${returns}>(${descriptorName(op)}, params, options);`,
  };
}

function functionDoc(op: Operation): string {
  const parts = [op.summary || `${op.method} ${op.path}`];
  if (op.description && op.description !== op.summary) parts.push(op.description);
  if (op.supplementary)
    parts.push(
      `Supplementary: Alma serves it, its published specs omit it (alma-codegen's specs/supplementary.yaml). Documented in ${op.supplementary.source}`,
    );
  parts.push(`\`${op.method} ${op.path}\``);
  const tags = [
    '@param client - The client to call Alma with.',
    takesParams(op)
      ? `@param params - See {@link ${paramsTypeName(op)}}.`
      : '@param params - This operation takes no parameters.',
    '@param options - Per-call settings: signal, timeout, headers.',
    `@returns ${op.response.type?.kind === 'file' ? 'The file, as its bytes.' : op.response.type ? op.response.description || 'The response body.' : 'Nothing (HTTP 204).'}`,
  ];
  if (op.errorCodes.length) {
    tags.push(
      `@throws {@link AlmaApiError} with one of these codes (HTTP 400):\n${op.errorCodes.map((c) => `- \`${c.code}\` ${c.message}`).join('\n')}`,
    );
  }
  tags.push(`@see {@link ${op.docsUrl} | ${op.summary || op.exportName} (Ex Libris Developer Network)}`);
  return [...parts, tags.join('\n')].join('\n\n');
}
