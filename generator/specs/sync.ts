import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Config } from '../config.js';
import { AlmaCodegenError } from '../errors.js';
import { previousOf, specFolders } from './layout.js';
import { EXL_OPENAPI_BASE } from '../load/documents.js';
import { sha256 } from '../base/hash.js';

/** One file of the spec cache, as the lock records it. */
export interface LockEntry {
  url: string;
  sha256: string;
  size: number;
  fetchedAt: string;
  etag?: string;
  lastModified?: string;
}

/** `specs/alma.lock.json`: every file of the spec cache by its path in the cache. Commit it: builds reproduce. */
export interface Lock {
  files: Record<string, LockEntry>;
}

export interface SyncOptions {
  config: Config;
  /** Where to download from: a base URL or a directory laid out like Ex Libris' (`<area>.json`, `schemas/`, `xsd/`). Default: the areas' URLs. */
  from?: string;
  /** The spec cache. Default `specs/cache` beside the configuration. */
  cacheDir?: string;
  /** Default `specs/alma.lock.json` beside the configuration. */
  lockFile?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Further tries per file after a failure. Default 2. */
  retries?: number;
  /** Told of every file fetched. */
  onProgress?: (stage: string) => void;
}

export interface SyncResult {
  lock: Lock;
  /** Files whose content changed (or are new) since the last sync. */
  changed: string[];
  /** Files the server said were unchanged (HTTP 304). */
  notModified: string[];
  /** Schema files and XSDs referenced but not on the server (HTTP 404): generation falls back for them. */
  absent: string[];
}

/** One clear line per file that could not be fetched; the cache was left as it was. */
export class SyncError extends AlmaCodegenError {
  override readonly name: string = 'SyncError';
  constructor(readonly failures: { url: string; problem: string }[]) {
    const [first] = failures;
    // Every file failing the same way (no network, a DNS failure) is one line: the first URL and why.
    const same = failures.every((f) => f.problem === first?.problem);
    super(
      same && first
        ? `could not fetch ${first.url}: ${first.problem}${failures.length > 1 ? ` (and ${failures.length - 1} more files, the same way)` : ''}; the spec cache was left as it was`
        : `${failures.length} file${failures.length === 1 ? '' : 's'} could not be fetched; the spec cache was left as it was:\n${failures.map((f) => `  - ${f.url}: ${f.problem}`).join('\n')}`,
      'check the network (or copy the specs from a mirror: `alma-codegen sync --from DIR`), then run `alma-codegen sync` again',
    );
  }
}

const EXL_XSD_BASE = EXL_OPENAPI_BASE.replace(/openapi\/$/, 'xsd/');

/**
 * Downloads every area spec and, recursively, every schema file they reference (and the XSD of each schema, with
 * its includes, where one exists; a referenced file the server answers 404 for is recorded as absent) into a staging folder, with conditional requests against the lock; then swaps the
 * staging folder in for the cache (the previous cache is kept as `specs/previous`, for `alma-codegen diff`) and
 * writes the lock. Any failure leaves the cache and the lock untouched.
 */
export async function syncSpecs(options: SyncOptions): Promise<SyncResult> {
  const folders = specFolders(options.config.file);
  const cacheDir = options.cacheDir ?? folders.cacheDir;
  const lockFile = options.lockFile ?? folders.lockFile;
  const previousLock: Lock = existsSync(lockFile)
    ? (JSON.parse(readFileSync(lockFile, 'utf8')) as Lock)
    : { files: {} };
  const staging = `${cacheDir}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const source = sourceOf(options.from);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const lock: Lock = { files: {} };
  const result: SyncResult = { lock, changed: [], notModified: [], absent: [] };
  const failures: { url: string; problem: string }[] = [];
  const queued = new Set<string>();
  const queue: { file: string; url: string; optional: boolean }[] = [];
  const enqueue = (file: string, url: string, optional = false) => {
    if (queued.has(file)) return;
    queued.add(file);
    queue.push({ file, url, optional });
  };
  for (const area of options.config.areas) {
    // The spec keeps the format its URL names (tasklists is published as YAML): generation reads either.
    const file = `${area.name}${/\.ya?ml$/i.test(new URL(area.url).pathname) ? path.extname(new URL(area.url).pathname) : '.json'}`;
    enqueue(file, source.url(file, area.url));
  }

  try {
    while (queue.length) {
      const batch = queue.splice(0, 8);
      await Promise.all(
        batch.map(async ({ file, url, optional }) => {
          const fetched = await fetchOne(fetchImpl, url, previousLock.files[file], cacheDir, file, options, source);
          options.onProgress?.(
            `${Object.keys(lock.files).length + failures.length + result.absent.length + 1} of ${queued.size} files known so far: ${file}`,
          );
          if (fetched.kind === 'failed') {
            if (optional && fetched.status === 404) result.absent.push(file);
            else failures.push({ url, problem: fetched.problem });
            return;
          }
          await mkdir(path.dirname(path.join(staging, file)), { recursive: true });
          await writeFile(path.join(staging, file), fetched.body);
          // A local source is recorded relative to the lock, so that the lock can be committed and used elsewhere.
          const recorded = source.isDirectory
            ? path.relative(path.dirname(lockFile), url).split(path.sep).join('/')
            : url;
          const entry: LockEntry = {
            url: recorded,
            sha256: sha256(fetched.body),
            size: fetched.body.length,
            fetchedAt: new Date().toISOString(),
            ...(fetched.etag ? { etag: fetched.etag } : {}),
            ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}),
          };
          lock.files[file] = entry;
          if (fetched.kind === 'not-modified') result.notModified.push(file);
          else if (previousLock.files[file]?.sha256 !== entry.sha256) result.changed.push(file);
          for (const ref of referencesOf(file, fetched.body.toString('utf8')))
            enqueue(ref.file, source.url(ref.file, ref.canonical), ref.optional);
        }),
      );
    }
    if (failures.length) throw new SyncError(failures);
    lock.files = Object.fromEntries(Object.entries(lock.files).sort(([a], [b]) => (a < b ? -1 : 1)));
    await swapIn(staging, cacheDir);
    await mkdir(path.dirname(lockFile), { recursive: true });
    await writeFile(`${lockFile}.tmp-${process.pid}`, `${JSON.stringify(lock, null, 2)}\n`);
    await rename(`${lockFile}.tmp-${process.pid}`, lockFile);
    for (const list of [result.changed, result.notModified, result.absent]) list.sort();
    return result;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

interface Source {
  /** The URL (or file path) to read `file` from; `canonical` is its Ex Libris URL. */
  url(file: string, canonical: string): string;
  isDirectory: boolean;
}

function sourceOf(from: string | undefined): Source {
  if (!from) return { url: (_, canonical) => canonical, isDirectory: false };
  if (/^https?:\/\//.test(from)) {
    const root = from.endsWith('/') ? from : `${from}/`;
    return { url: (file) => new URL(file, root).toString(), isDirectory: false };
  }
  return { url: (file) => path.resolve(from, file), isDirectory: true };
}

type Fetched =
  | { kind: 'fetched' | 'not-modified'; body: Buffer; etag?: string; lastModified?: string }
  | { kind: 'failed'; problem: string; status?: number };

async function fetchOne(
  fetchImpl: typeof fetch,
  url: string,
  previous: LockEntry | undefined,
  cacheDir: string,
  file: string,
  options: SyncOptions,
  source: Source,
): Promise<Fetched> {
  if (source.isDirectory) {
    return existsSync(url)
      ? { kind: 'fetched', body: await readFile(url) }
      : { kind: 'failed', problem: 'no such file', status: 404 };
  }
  const cached = path.join(cacheDir, file);
  const conditional = previous && previous.url === url && existsSync(cached);
  let problem = '';
  for (let attempt = 0; attempt <= (options.retries ?? 2); attempt++) {
    try {
      const headers: Record<string, string> = {};
      if (conditional && previous.etag) headers['If-None-Match'] = previous.etag;
      if (conditional && previous.lastModified) headers['If-Modified-Since'] = previous.lastModified;
      const response = await fetchImpl(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
      const meta = {
        ...(response.headers.get('etag')
          ? { etag: response.headers.get('etag')! }
          : previous?.etag
            ? { etag: previous.etag }
            : {}),
        ...(response.headers.get('last-modified') ? { lastModified: response.headers.get('last-modified')! } : {}),
      };
      if (response.status === 304 && conditional)
        return { kind: 'not-modified', body: await readFile(cached), ...meta };
      if (response.status === 404) return { kind: 'failed', problem: 'HTTP 404 (not found)', status: 404 };
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return { kind: 'fetched', body: Buffer.from(await response.arrayBuffer()), ...meta };
    } catch (error) {
      problem = networkProblem(error, options.timeoutMs ?? 30_000);
      if (attempt < (options.retries ?? 2)) await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
  return { kind: 'failed', problem };
}

/** The schema files a spec or schema file refers to, and the XSDs (optional: not all exist) behind them. */
function referencesOf(file: string, text: string): { file: string; canonical: string; optional: boolean }[] {
  const refs: { file: string; canonical: string; optional: boolean }[] = [];
  if (file.endsWith('.xsd')) {
    for (const m of text.matchAll(/<xs:include\s+schemaLocation="([^"]+)"/g))
      refs.push({ file: `xsd/${m[1]}`, canonical: `${EXL_XSD_BASE}${m[1]}`, optional: true });
    return refs;
  }
  for (const ref of externalRefs(file, text)) {
    const target = ref.startsWith(EXL_OPENAPI_BASE)
      ? ref.slice(EXL_OPENAPI_BASE.length)
      : ref.startsWith('./')
        ? path.posix.join(path.posix.dirname(file), ref)
        : undefined;
    if (!target) continue;
    // A schema file the spec names but the server does not have is not fatal: generation falls back to its XSD.
    refs.push({ file: target, canonical: `${EXL_OPENAPI_BASE}${target}`, optional: true });
    const xsd = path.posix
      .basename(target)
      .replace(/\.json$/, '')
      .replace(/-(post|put)$/, '');
    refs.push({ file: `xsd/${xsd}.xsd`, canonical: `${EXL_XSD_BASE}${xsd}.xsd`, optional: true });
  }
  return refs;
}

/** The file part of every `$ref` in a JSON or YAML document that points into another file. */
function externalRefs(file: string, text: string): string[] {
  const found = new Set<string>();
  if (/\.ya?ml$/i.test(file)) {
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) found.add(value.split('#')[0]!);
          else walk(value);
        }
      }
    };
    walk(parseYaml(text));
  } else {
    for (const m of text.matchAll(/"\$ref"\s*:\s*"([^"#]+)#/g)) found.add(m[1]!);
  }
  return [...found];
}

/** Staging becomes the cache; the old cache is kept as `previous` beside it. */
async function swapIn(staging: string, cacheDir: string): Promise<void> {
  const previous = previousOf(cacheDir);
  await mkdir(path.dirname(cacheDir), { recursive: true });
  if (existsSync(cacheDir)) {
    await rm(previous, { recursive: true, force: true });
    await rename(cacheDir, previous);
  }
  await rename(staging, cacheDir);
}

/**
 * Why a fetch failed, in words: Node's fetch says only "fetch failed" and keeps the reason in its `cause` (a DNS
 * lookup, a refused connection, TLS, a timeout).
 */
export function networkProblem(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string; hostname?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = err.cause;
  const code = cause?.code ?? '';
  const host = cause?.hostname ? ` ${cause.hostname}` : '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `DNS lookup of${host || ' the host'} failed (${code}): no network, or the name is wrong`;
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED): nothing listens there';
  if (code === 'ECONNRESET') return 'connection reset (ECONNRESET)';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `connection timed out (${code})`;
  if (/CERT|SSL|TLS/i.test(code) || /certificate|tls|ssl/i.test(cause?.message ?? ''))
    return `TLS failed (${code || cause?.message}): a proxy or the certificate`;
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') return `network unreachable (${code})`;
  return cause?.message ? `${err.message}: ${cause.message}${code ? ` (${code})` : ''}` : err.message;
}
