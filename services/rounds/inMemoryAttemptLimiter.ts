import {
  attemptWindows,
  waitAfterFailures,
  type AttemptLimiter,
  type AttemptLimiterOptions,
  type AttemptScope,
  type AttemptWindow,
} from './attemptLimiter';

/**
 * The attempt limiter of one process (the embedded store): failures in a map per scope, forgotten
 * on restart, with at most `maxKeys` keys per scope (the least recently failed go first).
 */
export class InMemoryAttemptLimiter implements AttemptLimiter {
  private readonly now: () => Date;
  private readonly windows: Record<AttemptScope, AttemptWindow>;
  private readonly maxKeys: number;
  private readonly failures: Record<AttemptScope, Map<string, number[]>> = { identity: new Map(), round: new Map() };

  constructor(options: AttemptLimiterOptions) {
    this.now = options.now;
    this.windows = attemptWindows(options);
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  async blockedFor(scope: AttemptScope, key: string): Promise<number> {
    return waitAfterFailures(this.recent(scope, key), this.windows[scope], this.now().getTime());
  }

  async recordFailure(scope: AttemptScope, key: string): Promise<void> {
    const map = this.failures[scope];
    const list = this.recent(scope, key);
    list.push(this.now().getTime());
    // Re-insert so the map's order is least-recently-failed first, for eviction.
    map.delete(key);
    map.set(key, list);
    if (map.size > this.maxKeys) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  }

  private recent(scope: AttemptScope, key: string): number[] {
    const map = this.failures[scope];
    const list = map.get(key);
    if (!list) return [];
    const from = this.now().getTime() - this.windows[scope].windowMs;
    const kept = list.filter((t) => t > from);
    if (kept.length === 0) map.delete(key);
    else if (kept.length !== list.length) map.set(key, kept);
    return kept;
  }
}
