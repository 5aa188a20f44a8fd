import { CACHE_DIR, readRecorded, type RecordedFile } from '../base/recorded.js';
import { DocumentStore } from '../load/documents.js';

/**
 * The YAML and XSD parses of a generation, kept in the output's cache folder for the next one (`DocumentStore`'s
 * `parsed`): parsing them is most of a model's load.
 */
export const PARSED_CACHE_FILE = `${CACHE_DIR}/parsed.json`;

/** A document store that takes the parses `ref` holds, if the file is as recorded and was made by the same code. */
export function storeWithParses(specDir: string, ref: RecordedFile | undefined, codeHash: string): DocumentStore {
  const cached = ref && (readRecorded(ref) as { code?: string; documents?: Record<string, unknown> } | undefined);
  // Parses made by other code (another version of the readers) are not taken.
  return new DocumentStore(specDir, new Map(Object.entries(cached?.code === codeHash ? (cached.documents ?? {}) : {})));
}

/** The cache file's text for the next generation: the parses this one used. */
export function parsesOf(store: DocumentStore, codeHash: string): string {
  return JSON.stringify({
    code: codeHash,
    documents: Object.fromEntries([...store.parsedNow].sort(([a], [b]) => (a < b ? -1 : 1))),
  });
}
