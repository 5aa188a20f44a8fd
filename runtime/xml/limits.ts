// What a document must meet to be read, and the error when it does not: public (`<package>/xml`, client options),
// and the parser in `internal/xml/` enforces them.

/** Limits on an XML document read (client option `xml`, `xmlToJson`, `alma-codegen convert --max-size`). */
export interface XmlLimits {
  /** Largest document accepted, in bytes of UTF-8. Default 32 MiB (`DEFAULT_MAX_DOCUMENT_BYTES`). */
  maxDocumentBytes?: number;
  /** Deepest element nesting accepted. Default 200. */
  maxDepth?: number;
}

export const DEFAULT_MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 200;

/** Why a document was refused; `line` and `column` where the parser knows them. */
export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? message : `${message} (line ${line}, column ${column})`);
  }
}
