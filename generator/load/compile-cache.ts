import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { TOOL_ROOT } from '../base/tool.js';

/**
 * Requires a CommonJS package with V8's code cache for its big files: ts-morph and openapi-typescript each load a 9 MB
 * `typescript.js`, and compiling it is most of their load (0.4 s of 0.6 s); ts-morph's own 4 MB add 60 ms more. The
 * cache keeps the compiled code between runs, as Node 22's `module.enableCompileCache()` does for everything; Node 20
 * has no such switch. V8 checks the cache against the source and the engine and ignores it on any mismatch; every
 * failure here falls back to Node's own loading.
 *
 * The cache lives in the tool's own `node_modules/.cache` (written only by whoever installed the tool), not in a
 * shared temporary folder.
 */
export function requireWithCompileCache<T>(require: NodeRequire, id: string): T {
  const internals = Module as unknown as ModuleInternals;
  const original = internals.prototype._compile;
  internals.prototype._compile = function (this: NodeModule, content: string, filename: string) {
    if (!CACHED_FILES.test(filename)) return original.call(this, content, filename);
    try {
      return compileCached(this, content, filename, internals);
    } catch {
      return original.call(this, content, filename);
    }
  };
  try {
    return require(id) as T;
  } finally {
    internals.prototype._compile = original;
  }
}

/** The big files: each TypeScript compiler (9 MB), and ts-morph's own code (4 MB). */
const CACHED_FILES = /[\\/](typescript|ts-morph|ts-morph-common)\.js$/;

const CACHE_DIR = path.join(TOOL_ROOT, 'node_modules', '.cache', 'alma-codegen-v8');

/** The parts of Node's CommonJS loader a module's compilation goes through. */
interface ModuleInternals {
  prototype: { _compile(content: string, filename: string): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _cache: unknown;
}

function compileCached(module: NodeModule, content: string, filename: string, internals: ModuleInternals): unknown {
  const { size, mtimeMs } = statSync(filename);
  const cacheFile = path.join(
    CACHE_DIR,
    `${filename.replace(/[^\w.-]+/g, '_')}-${size}-${Math.round(mtimeMs)}-${process.version}-${process.arch}`,
  );
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(internals.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: unknown,
    module: unknown,
    filename: string,
    dirname: string,
  ) => unknown;
  const require = Object.assign((request: string) => module.require(request), {
    resolve: (request: string, options?: unknown) => internals._resolveFilename(request, module, false, options),
    cache: internals._cache,
  });
  const result = wrapper.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
  if (!cachedData || script.cachedDataRejected) saveQuietly(cacheFile, script.createCachedData());
  return result;
}

function saveQuietly(file: string, data: Buffer): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // Written aside and renamed: a run reading it meanwhile sees the whole file or none.
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch {
    // No cache this time (a read-only installation): the next run compiles again.
  }
}
