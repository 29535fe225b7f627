/**
 * @packageDocumentation
 * Counts failed attempts in sliding time windows, to slow down guessing of invitation codes.
 *
 * @remarks The state lives in memory only, so a restart forgets it. That is acceptable here: a code
 * is 8 characters from 31 (about 40 bits, 8.5e11 codes), single use and valid for days at most. Even
 * with 1,000 live codes, 50 guesses a minute find one about once in 30 years; a restart takes longer
 * than the one-minute window, so it adds little. A lucky hit is also visible: the real client is
 * then told "already used" and asks their professional. Keeping it in memory avoids a disk write on
 * every typo.
 */

export interface AttemptWindow {
  /** Failures allowed inside the window; the next attempt is refused. */
  maxFailures: number;
  windowMs: number;
}

export interface AttemptLimiterOptions {
  now: () => Date;
  /** Per key (a channel user id): by default 5 failures per 15 minutes. */
  perKey?: AttemptWindow;
  /** Across all keys, against guessing with many user ids: by default 50 failures per minute. */
  overall?: AttemptWindow;
  /** Upper bound on remembered keys, so a flood of new ids cannot grow memory without end. */
  maxKeys?: number;
}

export const DEFAULT_PER_KEY_WINDOW: AttemptWindow = { maxFailures: 5, windowMs: 15 * 60_000 };
export const DEFAULT_OVERALL_WINDOW: AttemptWindow = { maxFailures: 50, windowMs: 60_000 };

export class AttemptLimiter {
  private readonly now: () => Date;
  private readonly perKey: AttemptWindow;
  private readonly overall: AttemptWindow;
  private readonly maxKeys: number;
  private readonly failuresByKey = new Map<string, number[]>();
  private overallFailures: number[] = [];

  constructor(options: AttemptLimiterOptions) {
    this.now = options.now;
    this.perKey = options.perKey ?? DEFAULT_PER_KEY_WINDOW;
    this.overall = options.overall ?? DEFAULT_OVERALL_WINDOW;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** Whether `key` has used up its own failures inside the per-key window. */
  isKeyLimited(key: string): boolean {
    return this.recent(key).length >= this.perKey.maxFailures;
  }

  /** Whether failures across all keys have reached the overall limit. */
  isOverallLimited(): boolean {
    this.overallFailures = this.prune(this.overallFailures, this.overall.windowMs);
    return this.overallFailures.length >= this.overall.maxFailures;
  }

  /** Either limit reached: the attempt must be refused without looking at what was entered. */
  isLimited(key: string): boolean {
    return this.isKeyLimited(key) || this.isOverallLimited();
  }

  /** Records one failure for `key`; `countOverall: false` leaves the overall window alone. */
  recordFailure(key: string, countOverall = true): void {
    const at = this.now().getTime();
    const list = this.recent(key);
    list.push(at);
    // Re-insert so the map's order is least-recently-failed first, for eviction.
    this.failuresByKey.delete(key);
    this.failuresByKey.set(key, list);
    if (this.failuresByKey.size > this.maxKeys) {
      const oldest = this.failuresByKey.keys().next().value;
      if (oldest !== undefined) this.failuresByKey.delete(oldest);
    }
    if (countOverall) {
      this.overallFailures = this.prune(this.overallFailures, this.overall.windowMs);
      this.overallFailures.push(at);
    }
  }

  private recent(key: string): number[] {
    const list = this.failuresByKey.get(key);
    if (!list) return [];
    const kept = this.prune(list, this.perKey.windowMs);
    if (kept.length === 0) this.failuresByKey.delete(key);
    else if (kept.length !== list.length) this.failuresByKey.set(key, kept);
    return kept;
  }

  private prune(times: number[], windowMs: number): number[] {
    const from = this.now().getTime() - windowMs;
    return times.filter((t) => t > from);
  }
}
