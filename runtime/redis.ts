import type { SlotStore } from './internal/governance.js';

/** The one Redis command the limiter needs; an ioredis client (or cluster) has it. */
export interface RedisLike {
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/**
 * The next start slot of an institution, kept in Redis and read with Redis' own clock, so that every process and
 * machine of one institution shares one pace: slots `interval` ms apart, never more than N in any second.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nextSlot = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nextSlot)
redis.call('SET', KEYS[1], tostring(slot + tonumber(ARGV[1])), 'PX', 60000)
return slot - now
`;

/**
 * Shares the limiter through Redis:
 *
 * ```ts
 * import Redis from 'ioredis';
 * const alma = createClient({ apiKey, institution: '01XYZ_INST', rateLimit: { store: redisSlotStore(new Redis()) } });
 * ```
 */
export function redisSlotStore(redis: RedisLike, prefix = 'alma-codegen:slots:', spacing = 1.08): SlotStore {
  return {
    spacing,
    async reserve(institution, intervalMs) {
      const wait = await redis.eval(RESERVE, 1, `${prefix}${institution}`, Math.ceil(intervalMs * 1000) / 1000);
      return Number(wait);
    },
  };
}
