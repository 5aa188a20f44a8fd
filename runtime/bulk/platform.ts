import { AlmaError } from '../errors.js';

// The Node APIs a bulk run uses, loaded when a run starts. The package's core runs wherever fetch does and compiles
// without @types/node, so what a run needs of Node is typed here, by what it uses, and imported by name.

export interface FileHandleLike {
  write(data: string): Promise<unknown>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface FsLike {
  open(path: string, flags: string): Promise<FileHandleLike>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
  mkdir(path: string, options: { recursive: boolean }): Promise<unknown>;
}

export interface ProcessLike {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): never;
  argv: string[];
  pid: number;
  stderr: { isTTY?: boolean; columns?: number; write(text: string): boolean };
  stdout: { write(text: string): boolean };
}

/** The running Node process, or an error saying that bulk runs need Node. */
export function nodeProcess(): ProcessLike {
  const process = (globalThis as { process?: ProcessLike }).process;
  if (!process?.argv) throw new Error('bulk runs need Node.js (a journal file, signals): this runtime has no process');
  return process;
}

const importByName = (name: string): Promise<unknown> => import(name);

export async function nodeFs(): Promise<FsLike> {
  return (await importByName('node:fs/promises')) as FsLike;
}

/** The bytes of a file, chunk by chunk. */
export async function fileChunks(path: string): Promise<AsyncIterable<Uint8Array>> {
  const fs = (await importByName('node:fs')) as { createReadStream(path: string): AsyncIterable<Uint8Array> };
  return fs.createReadStream(path);
}

/** Joins path parts with `/` (Node accepts it on every platform). */
export function joinPath(dir: string, file: string): string {
  return dir === '' || dir === '.' ? file : `${dir.replace(/[\\/]+$/, '')}/${file}`;
}

/**
 * An optional peer dependency, loaded when a capability needs it: a missing one is named with the command that
 * installs it (the core has no runtime dependency).
 */
export async function optionalPeer<T>(name: string, forWhat: string): Promise<T> {
  try {
    return (await importByName(name)) as T;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new BulkSetupError(`${forWhat} needs the package ${name}, which is not installed: npm install ${name}`);
    throw error;
  }
}

/** Where a Redis is: `redis://[:password@]host:port/db`, or ioredis options. */
export type RedisTarget = string | { host?: string; port?: number; password?: string; db?: number };

/** BullMQ's connection options for a Redis (no per-command retry limit, which BullMQ's blocking calls need). */
export function bullConnection(redis: RedisTarget): object {
  if (typeof redis !== 'string') return { ...redis, maxRetriesPerRequest: null };
  const url = new URL(redis);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
    maxRetriesPerRequest: null,
  };
}

/** A bulk run cannot start as set up (a missing optional package, a damaged journal): nothing was sent. */
export class BulkSetupError extends AlmaError {
  override readonly name = 'BulkSetupError';
}
