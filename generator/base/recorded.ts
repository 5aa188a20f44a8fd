import { existsSync, readFileSync } from 'node:fs';
import { sha256 } from './hash.js';

/**
 * What a generation keeps for the next one, beside the manifest (and outside the published files): each area's
 * openapi-typescript fragment, the printed statements, the areas' models and the YAML and XSD files parsed. Each
 * file is trusted only while its hash is the manifest's (`pipeline/README.md` names each cache and its key).
 */
export const CACHE_DIR = '.alma-codegen-cache';

/** A file an earlier generation wrote, and its hash in that generation's manifest. */
export interface RecordedFile {
  file: string;
  hash: string;
}

/** A file's text, when it still has the hash its generation recorded (else `undefined`). */
export function readRecordedText({ file, hash }: RecordedFile): string | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  return sha256(text) === hash ? text : undefined;
}

/** A file's JSON, when its text still has the hash its generation recorded (else `undefined`). */
export function readRecorded(file: RecordedFile): unknown {
  const text = readRecordedText(file);
  return text === undefined ? undefined : JSON.parse(text);
}
