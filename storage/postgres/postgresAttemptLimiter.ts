import type { Pool } from 'pg';
import {
  attemptWindows,
  waitAfterFailures,
  type AttemptLimiter,
  type AttemptLimiterOptions,
  type AttemptScope,
  type AttemptWindow,
} from '../../services/rounds/attemptLimiter';

/**
 * The attempt limiter shared by every instance: one row per failure in `code_attempt_failures`.
 *
 * @remarks Times are the injected clock's, as in the in-memory limiter, so both count the same way.
 * Each recorded failure also deletes every failure older than the longest window, an indexed delete
 * that keeps the table as small as the failures that still count.
 */
export class PostgresAttemptLimiter implements AttemptLimiter {
  private readonly now: () => Date;
  private readonly windows: Record<AttemptScope, AttemptWindow>;

  constructor(
    private readonly pool: Pool,
    options: Omit<AttemptLimiterOptions, 'maxKeys'>,
  ) {
    this.now = options.now;
    this.windows = attemptWindows(options);
  }

  async blockedFor(scope: AttemptScope, key: string): Promise<number> {
    const nowMs = this.now().getTime();
    const window = this.windows[scope];
    const result = await this.pool.query<{ failed_at: Date }>(
      'SELECT failed_at FROM code_attempt_failures WHERE scope = $1 AND key = $2 AND failed_at > $3 ORDER BY failed_at',
      [scope, key, new Date(nowMs - window.windowMs)],
    );
    return waitAfterFailures(
      result.rows.map((row) => row.failed_at.getTime()),
      window,
      nowMs,
    );
  }

  async recordFailure(scope: AttemptScope, key: string): Promise<void> {
    const now = this.now();
    const longest = Math.max(...Object.values(this.windows).map((window) => window.windowMs));
    await this.pool.query('INSERT INTO code_attempt_failures (scope, key, failed_at) VALUES ($1, $2, $3)', [scope, key, now]);
    await this.pool.query('DELETE FROM code_attempt_failures WHERE failed_at <= $1', [new Date(now.getTime() - longest)]);
  }
}
