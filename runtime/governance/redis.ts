import type { SlotRule, SlotStore } from './settings.js';

/** The one Redis command the limiter needs; an ioredis client (or cluster) has it. */
export interface RedisLike {
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/**
 * The institution's recent start slots, a sorted set scored by time on Redis' own clock, so that every process and
 * machine shares one log. A slot is granted no sooner than `minGap` after the latest one and `window` after the one
 * `perWindow` places back, and only when it is at most `horizon` ahead: a slot is not promised before the answers
 * that could push it later have come in. Otherwise the caller is told when to ask again.
 * Returns {granted (1/0), milliseconds to wait}.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local perWindow, windowMs, minGap, horizon = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 4 * windowMs)
local recent = redis.call('ZREVRANGE', KEYS[1], 0, perWindow - 1, 'WITHSCORES')
local slot = now
if #recent >= 2 then slot = math.max(slot, tonumber(recent[2]) + minGap) end
if #recent >= 2 * perWindow then slot = math.max(slot, tonumber(recent[2 * perWindow]) + windowMs) end
slot = math.ceil(slot)
if slot - now > horizon then return {0, slot - now - horizon} end
redis.call('ZADD', KEYS[1], slot, ARGV[5])
redis.call('PEXPIRE', KEYS[1], 4 * windowMs + 60000)
return {1, slot - now}
`;

/** A call was answered (its arrival was at the latest now), or gave its slot up (`ARGV[2]` = 'drop'). */
const SETTLE = `
if ARGV[2] == 'drop' then return redis.call('ZREM', KEYS[1], ARGV[1]) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) < now then redis.call('ZADD', KEYS[1], now, ARGV[1]) end
return 1
`;

/**
 * Shares the limiter through Redis:
 *
 * ```ts
 * import Redis from 'ioredis';
 * const alma = createClient({ apiKey, institution: '01XYZ_INST', rateLimit: { store: redisSlotStore(new Redis()) } });
 * ```
 */
export function redisSlotStore(redis: RedisLike, prefix = 'alma-codegen:slots:'): SlotStore {
  let sequence = 0;
  const ticketPrefix = Math.random().toString(36).slice(2);
  return {
    async reserve(institution: string, rule: SlotRule) {
      const ticket = `${ticketPrefix}:${++sequence}`;
      const [granted, waitMs] = (await redis.eval(
        RESERVE,
        1,
        `${prefix}${institution}`,
        rule.perWindow,
        rule.windowMs,
        rule.minGapMs,
        rule.horizonMs,
        ticket,
      )) as [number, number];
      return granted === 1 ? { ticket, waitMs: Number(waitMs) } : { retryInMs: Number(waitMs) };
    },
    async settle(institution: string, ticket: string, outcome: 'answered' | 'dropped') {
      await redis.eval(SETTLE, 1, `${prefix}${institution}`, ticket, outcome === 'dropped' ? 'drop' : 'answered');
    },
  };
}
