import type { Pool } from 'pg';
import { refusedUntilOldestLeaves, type RateDecision, type RateLimit, type RateLimiter } from '../../services/rateLimiter';
import { inTransaction } from './database';

/**
 * A sliding-window limit shared by every instance: one row per counted event in `rate_limit_events`,
 * under the limiter's `name`.
 *
 * @remarks Counting and adding are one transaction under an advisory lock on (name, key), so
 * instances that get requests of one key at the same moment take turns and never allow more than
 * the limit together. Each call also deletes that key's events that left the window, and every
 * event older than the window once a minute at most, so the table holds only what still counts.
 */
export class PostgresRateLimiter implements RateLimiter {
  private lastSweepMs = 0;

  constructor(
    private readonly pool: Pool,
    private readonly name: string,
    private readonly rate: RateLimit,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async take(key: string): Promise<RateDecision> {
    const nowMs = this.now();
    const windowStart = new Date(nowMs - this.rate.windowMs);
    const decision = await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [this.name, key]);
      await client.query('DELETE FROM rate_limit_events WHERE limiter = $1 AND key = $2 AND at <= $3', [this.name, key, windowStart]);
      const counted = await client.query<{ count: string; oldest: Date | null }>(
        'SELECT count(*) AS count, min(at) AS oldest FROM rate_limit_events WHERE limiter = $1 AND key = $2',
        [this.name, key],
      );
      const { count, oldest } = counted.rows[0];
      if (Number(count) >= this.rate.limit && oldest) return refusedUntilOldestLeaves(oldest.getTime(), this.rate, nowMs);
      await client.query('INSERT INTO rate_limit_events (limiter, key, at) VALUES ($1, $2, $3)', [this.name, key, new Date(nowMs)]);
      return { allowed: true } as const;
    });
    if (nowMs - this.lastSweepMs >= 60_000) {
      this.lastSweepMs = nowMs;
      await this.pool.query('DELETE FROM rate_limit_events WHERE limiter = $1 AND at <= $2', [this.name, windowStart]);
    }
    return decision;
  }
}
