import type { RedisLike } from '../governance/redis.js';
import { sleep } from '../internal/sleep.js';

/**
 * Alma's limits on jobs started through the API: at most 3 running at once, and the same job at most 5 times an
 * hour (else it refuses with 402222 or 402223, "Execution threshold reached"). `acquire` waits for a start within
 * them and resolves to the release to call when the job has ended: runs queue instead of failing.
 */
export interface JobLimits {
  acquire(jobId: string, signal?: AbortSignal): Promise<() => void>;
}

export interface JobLimitOptions {
  /** Jobs running at once. Default 3. */
  running?: number;
  /** Starts of one job within `windowMs`. Default 5 an hour. */
  perJobPerWindow?: number;
  windowMs?: number;
  /**
   * Shares the limits between processes and machines (the limiter's Redis): every process that starts jobs of the
   * institution must use the same one.
   */
  store?: RedisLike;
  /** The institution (its code), which the limits are of, in the shared store. */
  institution?: string;
  /** How long a start holds its place if its release never comes (a process killed): default 6 hours. */
  leaseMs?: number;
}

const WAIT_MS = 500;

/** The limits, in this process or (with `store`) shared through Redis. */
export function jobLimits(options: JobLimitOptions = {}): JobLimits {
  const windowMs = options.windowMs ?? 3_600_000;
  const settings = {
    running: options.running ?? 3,
    perJob: options.perJobPerWindow ?? 5,
    // Alma counts a start when the call reaches it, a little after this side does: the window is kept a little
    // longer (5 %, at most 5 s), so that a start it lets go is not one Alma still counts in the last window.
    windowMs: windowMs + Math.min(5_000, windowMs / 20),
    leaseMs: options.leaseMs ?? 6 * 3_600_000,
  };
  return options.store
    ? sharedLimits(options.store, options.institution ?? 'default', settings)
    : localLimits(settings);
}

type Settings = { running: number; perJob: number; windowMs: number; leaseMs: number };

function localLimits(settings: Settings): JobLimits {
  let running = 0;
  const starts = new Map<string, number[]>();
  return {
    async acquire(jobId, signal) {
      for (;;) {
        const now = Date.now();
        const recent = (starts.get(jobId) ?? []).filter((t) => t > now - settings.windowMs);
        starts.set(jobId, recent);
        if (running < settings.running && recent.length < settings.perJob) {
          running++;
          recent.push(now);
          let released = false;
          return () => {
            if (!released) running--;
            released = true;
          };
        }
        const untilWindow = recent.length >= settings.perJob ? recent[0]! + settings.windowMs - now : WAIT_MS;
        await sleep(Math.max(10, Math.min(WAIT_MS, untilWindow)), signal);
      }
    },
  };
}

/** Returns {1, 0} when the start is taken, else {0, milliseconds to wait}. */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local running, perJob, windowMs, leaseMs = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - windowMs)
if redis.call('ZCARD', KEYS[1]) >= running then return {0, 500} end
if redis.call('ZCARD', KEYS[2]) >= perJob then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + windowMs - now}
end
redis.call('ZADD', KEYS[1], now + leaseMs, ARGV[5])
redis.call('ZADD', KEYS[2], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], leaseMs)
redis.call('PEXPIRE', KEYS[2], windowMs)
return {1, 0}
`;

function sharedLimits(redis: RedisLike, institution: string, settings: Settings): JobLimits {
  const prefix = `alma-codegen:jobs:${institution}`;
  let sequence = 0;
  const tokenPrefix = Math.random().toString(36).slice(2);
  return {
    async acquire(jobId, signal) {
      const token = `${tokenPrefix}:${++sequence}`;
      const running = `${prefix}:running`;
      for (;;) {
        const [taken, waitMs] = (await redis.eval(
          ACQUIRE,
          2,
          running,
          `${prefix}:starts:${jobId}`,
          settings.running,
          settings.perJob,
          settings.windowMs,
          settings.leaseMs,
          token,
        )) as [number, number];
        if (Number(taken) === 1)
          return () => {
            redis.eval("return redis.call('ZREM', KEYS[1], ARGV[1])", 1, running, token).catch(() => undefined);
          };
        await sleep(Math.max(10, Math.min(WAIT_MS, Number(waitMs))), signal);
      }
    },
  };
}

/** The process's limits, shared by every `runJobAndWait` that is given none. */
export const processJobLimits: JobLimits = jobLimits();
