import type { RedisLike } from '../governance/redis.js';

/**
 * Remembers the webhook ids already taken, so that an event Alma sends again (a slow answer, a retry, its
 * at-least-once delivery) is acknowledged and not handled twice. `firstTime` marks the id and says whether it was new,
 * in one step (two listeners given the same event at once: one of them handles it).
 */
export interface WebhookIds {
  firstTime(id: string): Promise<boolean>;
}

/** In this process, for `ttlMs` (default a day: Alma's retries are over by then). */
export function memoryWebhookIds(ttlMs = 86_400_000): WebhookIds {
  const seen = new Map<string, number>();
  return {
    async firstTime(id: string) {
      const now = Date.now();
      // Expired ids go as new ones come: the map holds a day's events at most.
      for (const [old, until] of seen) {
        if (until > now) break;
        seen.delete(old);
      }
      if ((seen.get(id) ?? 0) > now) return false;
      seen.set(id, now + ttlMs);
      return true;
    },
  };
}

const MARK = "return redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) and 1 or 0";

/** In Redis, for several listener instances behind one URL (`SET NX` with an expiry: one of them takes an event). */
export function redisWebhookIds(redis: RedisLike, prefix = 'alma-codegen:webhook:', ttlMs = 86_400_000): WebhookIds {
  return {
    async firstTime(id: string) {
      return Number(await redis.eval(MARK, 1, `${prefix}${id}`, ttlMs)) === 1;
    },
  };
}
