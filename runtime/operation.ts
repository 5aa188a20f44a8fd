import type { SearchSpec } from './search.js';
import type { XmlType } from './xml/schema.js';

/** What an emitted function tells the runtime about its operation. Plain data, one constant per operation. */
export interface OperationSpec {
  /** The exported function name, e.g. `getUser`. */
  readonly name: string;
  /** The API area it belongs to (`users`, `bibs`, …): which key of a client's `apiKey` map it is called with. */
  readonly area?: string;
  readonly method: HttpMethod;
  /** The path template as the spec writes it, e.g. `/almaws/v1/users/{user_id}`. */
  readonly path: string;
  /** camelCase param name → wire name, for path parameters. */
  readonly pathParams?: Readonly<Record<string, string>>;
  /** camelCase param name → wire name, for query parameters. */
  readonly queryParams?: Readonly<Record<string, string>>;
  /** The success status: 204 means no body. */
  readonly status: number;
  /** Media types the operation accepts and returns; XML-only operations list only `application/xml`. */
  readonly requestTypes?: readonly string[];
  readonly responseTypes?: readonly string[];
  /** How the request and response bodies are written in XML (for `format: 'xml'` and XML-only operations). */
  readonly requestXml?: XmlType;
  readonly responseXml?: XmlType;
  /** The answer is a file (a job's download), returned as its bytes: never read as text or decoded. */
  readonly responseBytes?: boolean;
  /** Error codes the spec lists for this operation (HTTP 400). */
  readonly errorCodes?: readonly string[];
  /** The subset of `errorCodes` that mean "not found". */
  readonly notFoundCodes?: readonly string[];
  /** For a list operation, the key of its items in a page (`user` in `Users`): what `paginate` reads. */
  readonly listItems?: string;
  /**
   * The format this operation always uses, whatever the client's: `xml` for XML-only operations, `json` where a
   * body is an untyped document (Alma's JSON keeps what a generic reading of XML cannot).
   */
  readonly wireFormat?: 'json' | 'xml';
  /** Its brief search, as documented: how a structured `q` is rendered and checked. */
  readonly search?: SearchSpec;
}

/** One of the values Alma documents for a parameter, or any other string (a value added later still compiles). */
export type KnownValues<Value extends string> = Value | (string & {});

/** Several of a parameter's documented values: an array (sent comma-separated), or one string. */
export type KnownValueList<Value extends string> = KnownValues<Value> | readonly KnownValues<Value>[];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A JSON value: what an untyped Alma document is made of. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** An Alma document with no schema available when the client was generated; passed through unchanged. */
export type AlmaDocument = { [key: string]: JsonValue };

/**
 * A value from one of Alma's code tables (a user group, a status, a library): the code, and its description in the
 * institution's language. In XML the code is the element's text and the description its `desc` attribute. Alma's
 * JSON writes `null` for either when the record has none.
 */
export interface CodeValue {
  /** The code, e.g. `STAFF`. */
  value?: string | null;
  /** The code's description, e.g. `Staff`. */
  desc?: string | null;
  /** Some carry a link to the record the code names (a resource-sharing request's partner, a requester). */
  link?: string | null;
}

/** Params of an operation that takes none. */
export type NoParams = Record<string, never>;

/** What came back besides the body. */
export interface ResponseMeta {
  status: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  /** `X-Exl-Api-Remaining`: API calls the institution has left today, when Alma sent it. */
  remaining: number | undefined;
  /** The request URL with any API key removed. */
  url: string;
}

/** Per-call settings. */
export interface CallOptions {
  /** Aborts the call. */
  signal?: AbortSignal;
  /** Overrides the client's timeout for this call, in milliseconds. */
  timeoutMs?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /** Receives the status, headers and `X-Exl-Api-Remaining` of the response (see also `withResponse`). */
  onResponseMeta?: (meta: ResponseMeta) => void;
  /** The wire format of this call, instead of the client's (XML-only operations use XML whatever this says). */
  format?: 'json' | 'xml';
}
