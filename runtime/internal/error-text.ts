import type { AlmaErrorDetail } from '../errors.js';

/** What an error body says, read from any of its shapes. */
export interface NormalisedError {
  errors: AlmaErrorDetail[];
  /** For bodies without Alma's structure: their text, shortened (an HTML page's title). */
  bodyText?: string;
}

const MAX_TEXT = 200;

export function detail(code: unknown, message: unknown, trackingId: unknown): AlmaErrorDetail {
  const tracking =
    trackingId === undefined || trackingId === null || trackingId === '' ? undefined : String(trackingId);
  return { code: String(code ?? ''), message: String(message ?? ''), ...(tracking ? { trackingId: tracking } : {}) };
}

export function shorten(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > MAX_TEXT ? `${folded.slice(0, MAX_TEXT)}…` : folded;
}
