/**
 * @packageDocumentation
 * Counts failed attempts in sliding time windows, to slow down guessing of invitation codes.
 *
 * @remarks Failures are counted per scope and key only: per identity (a channel user id; on the web
 * chat that is the device's signed identity) and per round (refusals of a real code that was used,
 * expired or withdrawn). There is deliberately no overall counter: one that strangers can fill would
 * lock every genuine client out. Guessing with many throwaway identities is bounded where identities
 * are made (the token endpoint's rate limit per address): with 30 new identities a minute and 5
 * failures each, 150 guesses a minute over 8.5e11 codes find one of 1,000 live codes about once in
 * 10 years, and a lucky hit shows (the real client is told "already used").
 *
 * The state lives in memory only, so a restart forgets it; a restart takes longer than the windows
 * matter for, and keeping it in memory avoids a disk write on every typo.
 */

export interface AttemptWindow {
  /** Failures allowed inside the window; the next attempt is refused. */
  maxFailures: number;
  windowMs: number;
}

export type AttemptScope = 'identity' | 'round';

export interface AttemptLimiterOptions {
  now: () => Date;
  /** Per identity: by default 5 failures per 15 minutes. */
  perIdentity?: AttemptWindow;
  /** Per round whose real code was refused: by default 10 failures per 15 minutes. */
  perRound?: AttemptWindow;
  /** Upper bound on remembered keys per scope, so a flood of new ids cannot grow memory without end. */
  maxKeys?: number;
}

export const DEFAULT_PER_IDENTITY_WINDOW: AttemptWindow = { maxFailures: 5, windowMs: 15 * 60_000 };
export const DEFAULT_PER_ROUND_WINDOW: AttemptWindow = { maxFailures: 10, windowMs: 15 * 60_000 };

export class AttemptLimiter {
  private readonly now: () => Date;
  private readonly windows: Record<AttemptScope, AttemptWindow>;
  private readonly maxKeys: number;
  private readonly failures: Record<AttemptScope, Map<string, number[]>> = { identity: new Map(), round: new Map() };

  constructor(options: AttemptLimiterOptions) {
    this.now = options.now;
    this.windows = { identity: options.perIdentity ?? DEFAULT_PER_IDENTITY_WINDOW, round: options.perRound ?? DEFAULT_PER_ROUND_WINDOW };
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** Milliseconds until `key` may try again in `scope`; 0 when it may now. */
  blockedFor(scope: AttemptScope, key: string): number {
    const window = this.windows[scope];
    const recent = this.recent(scope, key);
    if (recent.length < window.maxFailures) return 0;
    // The attempt that makes room again is the oldest one that must leave the window.
    const freeing = recent[recent.length - window.maxFailures];
    return Math.max(1, freeing + window.windowMs - this.now().getTime());
  }

  /** Records one failure for `key` in `scope`. */
  recordFailure(scope: AttemptScope, key: string): void {
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
