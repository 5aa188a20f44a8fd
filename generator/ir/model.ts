/**
 * The intermediate model (IR): everything the emitters, the codec and the mock server need to know about the
 * Alma API, independent of where it came from (OpenAPI, JSON schema files or XSDs). Plain data, JSON-serialisable.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The whole API: every area and every named schema the areas use. */
export interface ApiModel {
  areas: Area[];
  /** Named schemas by id, sorted by id. */
  schemas: Record<string, NamedSchema>;
  /** Findings that did not stop generation (missing XSD types, untyped fallbacks, …). */
  diagnostics: Diagnostic[];
  /** Alma's webhook actions and their payloads (`ir/webhooks.ts`). */
  webhooks?: WebhookAction[];
}

/**
 * A finding that did not stop generation. `untyped`: a schema had no JSON schema or XSD; `xsd`: an XSD defect;
 * `observed`: a known fact (`ir/observed.ts`) no longer matches the schema or the operation.
 */
export interface Diagnostic {
  kind: 'untyped' | 'xsd' | 'observed' | 'supplementary';
  file: string;
  location: string;
  message: string;
}

export interface Area {
  /** Config name, e.g. `users`. */
  name: string;
  /** The spec file it was read from. */
  specFile: string;
  title: string;
  /** Base URLs from the spec's `servers`. */
  servers: string[];
  operations: Operation[];
}

export interface Operation {
  area: string;
  /** The spec's operationId, e.g. `get/almaws/v1/users/{user_id}`. */
  operationId: string;
  method: HttpMethod;
  /** The path as the spec writes it, e.g. `/almaws/v1/users/{user_id}`. */
  path: string;
  /** The exported function name, unique across all areas, e.g. `getUser`. */
  exportName: string;
  summary: string;
  description: string;
  /** Link to the operation's page on the Ex Libris Developer Network. */
  docsUrl: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  headerParams: Parameter[];
  requestBody?: Body;
  /** The success response (200, 201 or 204). */
  response: Response;
  /** Codes harvested from the 400 description, e.g. `401861 - 'User with identifier X was not found.'`. */
  errorCodes: ErrorCode[];
  /**
   * The format the operation always uses on the wire, whatever the client's: `xml` where the spec lists only XML
   * (bibs and holdings with their MARC record); `json` where a body is an untyped document and JSON is accepted
   * (Alma's JSON keeps what a generic reading of XML cannot: which keys were attributes).
   */
  wireFormat?: 'xml' | 'json';
  /** What the operation is to Alma (`ir/roles.ts`): the emitter's helpers, the mock and paging read it. */
  role: OperationRole;
  /** It finds the IZ copy of an NZ record, or links an NZ record into the IZ (`ir/network-zone.ts`). */
  networkZone?: 'find' | 'link';
  /** One of its area's `test` operations, which check a key's rights (`ir/key-tests.ts`). */
  keyTest?: 'read' | 'write';
  /** Its brief search (`q`), as the parameter's description documents it (`ir/brief-search.ts`). */
  search?: BriefSearch;
  /** A parameter that takes a comma-separated list of ids, up to `max` per call (`ir/id-lists.ts`). */
  idList?: { param: string; wireName: string; max: number };
  /**
   * Alma serves it, the specs omit it (`specs/supplementary.yaml`, `ir/supplementary.ts`): where Ex Libris documents
   * it, the operation whose answer it gives, and, for an answer by redirect, the record field its parameter names.
   */
  supplementary?: { source: string; result: string; redirect?: { param: string; findBy: string } };
}

/** An operation's brief search: `q=field~value`, clauses joined by ` AND ` / ` OR `. */
export interface BriefSearch {
  /** The query parameter: `q`. */
  param: string;
  /** The fields it searches, as the description names them. */
  fields: string[];
  /** `~` (contains; `*` a wildcard) always; `=` where the description's example uses it. */
  operators: ('~' | '=')[];
  /** "Multiple search terms may be combined with AND only": no OR. */
  andOnly: boolean;
  /** Fields that take no AND with another ("ALL … without support for the AND operator"). */
  alone: string[];
  /** Constraints the text states that no type can check ("some combinations … cannot be used together"). */
  notes: string[];
  /** The description it was read from. */
  text: string;
}

/**
 * An operation's role, from the IR (its method, path shape, parameters and answer), never from its export name:
 * - `list`: a GET of a list document (`item`: the key of its entries, `user` in `{ user: [...], total_record_count }`);
 * - `get` (a path ending on a parameter), `singleton` (another GET), `file` (an answer that is a file's bytes);
 * - `create` (a POST to a collection), `action` (a POST on a record, or with `op=`);
 * - `replace` (a PUT of a record), `replaceAll` (a PUT on a collection: open hours, citation tags), each with
 *   `readWith`: the operationId of the GET on its path whose record can be PUT back as it is, for a
 *   read-modify-write; `delete`, `deleteAll`;
 * - `job-run` (running a job: `POST /conf/jobs/{job_id}?op=run`), `job-instance` (reading a job's instance),
 *   `analytics-report` (a page of an Analytics report).
 */
export type OperationRole =
  | { kind: 'list'; item: string }
  | { kind: 'replace' | 'replaceAll'; readWith?: string }
  | {
      kind:
        | 'get'
        | 'singleton'
        | 'file'
        | 'create'
        | 'action'
        | 'delete'
        | 'deleteAll'
        | 'job-run'
        | 'job-instance'
        | 'analytics-report';
    };

export type RoleKind = OperationRole['kind'];

export type ScalarType = 'string' | 'integer' | 'number' | 'boolean';

export interface Parameter {
  /** The name on the wire, e.g. `user_id`. */
  wireName: string;
  /** The camelCase name in `params`, e.g. `userId`. */
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  type: ScalarType;
  /** The default, coerced to `type` (the specs write `"10"` and `"true"`). */
  default?: string | number | boolean;
  enum?: string[];
  description: string;
  /** The values its description enumerates, when it does (`ir/parameter-values.ts`). */
  documented?: DocumentedValues;
}

/** Values a parameter's description lists: typed as a union that still takes any string. */
export interface DocumentedValues {
  values: string[];
  /** Several may be sent, comma-separated (`expand=loans,fees`). */
  multiple: boolean;
  /** The description they were read from, for the generation report. */
  text: string;
}

export interface Body {
  required: boolean;
  /** Media types the spec lists, sorted, e.g. `['application/json', 'application/xml']`. */
  mediaTypes: string[];
  type: TypeRef;
  description: string;
}

export interface Response {
  status: number;
  mediaTypes: string[];
  /** Absent for 204 and for responses without content. */
  type?: TypeRef;
  description: string;
  headers: { name: string; type: ScalarType; description: string }[];
}

export interface ErrorCode {
  code: string;
  message: string;
  /** What the code means to a caller, from its message (`ir/errors.ts`). Alma answers not-found with HTTP 400. */
  kind: ErrorKind;
}

/**
 * `not-found`: the identifier names nothing; `duplicate`: a create of what exists; `invalid`: bad input; `limit`: a
 * threshold (the same call may succeed later); `other`: anything else.
 */
export type ErrorKind = 'not-found' | 'duplicate' | 'invalid' | 'limit' | 'other';

/** Where a named schema's type came from, best first. */
/**
 * `derived`: a list document whose schema file is missing, built by Alma's list convention from its item's type
 * (`rest_item_loans` → `{ item_loan: ItemLoan[]; total_record_count }`; see `ir/lists.ts`).
 */
export type TypeSource = 'json-schema' | 'xsd' | 'derived' | 'untyped';

export interface NamedSchema {
  /** Stable id: `<file>#<definition>` for JSON schema and XSD types, `untyped:<file>` for fallbacks. */
  id: string;
  /** The TypeScript type name, e.g. `User`. */
  tsName: string;
  source: TypeSource;
  /** The file the type was built from (or, for `untyped`, the schema file that was missing). */
  file: string;
  description: string;
  /** The XML element name of a document of this type, when it can be a document root. */
  xmlRoot?: string;
  /** The namespace of that element, when the XSD declares one (`web_service_result`). */
  xmlNamespace?: string;
  /** JSON schema files that were asked for but missing, so this type stood in for them (an input all the same). */
  fallbackFor?: string[];
  /**
   * For a list document by Alma's convention (`<item_loans total_record_count="N"><item_loan>…`): the key of its
   * entries (`item_loan`), known from the schema's name even where its file is missing. Paging, the mock and the
   * XML of untyped lists read it; see `ir/lists.ts`.
   */
  listItem?: string;
  /** Its documents embed a MARC record (`anies[0]`): bibs, holdings, authorities (`ir/marc.ts`). */
  marc?: true;
  type: IrType;
}

/** A reference to a named schema or an inline type. */
export type TypeRef = IrType;

/** A scalar. `pattern`: a regular expression the whole string matches (XSD `xs:pattern`, JSON schema `pattern`). */
export type ScalarIrType =
  | { kind: 'string'; format?: string; enum?: string[]; pattern?: string }
  | { kind: 'integer'; format?: string }
  | { kind: 'number'; format?: string }
  | { kind: 'boolean' };

export type IrType =
  | ScalarIrType
  /** Scalars Alma has been seen to send for one field (`string | number`): see `ir/observed.ts`. */
  | { kind: 'union'; types: ScalarIrType[] }
  | { kind: 'object'; properties: Property[] }
  | { kind: 'array'; items: IrType }
  | { kind: 'ref'; id: string }
  /** An untyped JSON document (an object): a body whose schema is not available; round-trips as is. */
  | { kind: 'document' }
  /** A value whose type cannot be known (an XSD type that is not defined, `xs:anyType`): any JSON value. */
  | { kind: 'unknown' }
  /** A file Alma hands over as it is (a job's download of MARC records, XML or binary): bytes, never decoded. */
  | { kind: 'file' };

export interface Property {
  /** The JSON key. */
  name: string;
  required: boolean;
  description: string;
  type: IrType;
  xml: XmlFacts;
}

/**
 * How a JSON property appears in Alma's XML. `element`: a child element named `name` (repeated when the type is
 * an array; inside a `wrapper` element when the list is wrapped). `attribute`: an attribute. `text`: the
 * element's own text (`xml_value`). `any`: foreign content such as MARC `<record>`, carried in JSON as
 * strings (`anies`).
 */
export interface XmlFacts {
  kind: 'element' | 'attribute' | 'text' | 'any';
  name: string;
  wrapper?: string;
}

/**
 * A webhook action: its payload's element in the `<notification>` body, the record type of the payload (or, for
 * `wraps`, of the record inside it: `webhook_user` holds a `user`), where the model has one.
 */
export interface WebhookAction {
  action: string;
  element: string;
  schemaId?: string;
  wraps?: string;
}
