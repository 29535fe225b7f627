/**
 * @packageDocumentation
 * A sliding-window counter per key, in memory, for HTTP endpoints that create things (identities,
 * conversations). A restart forgets it; the windows are minutes long, so that costs little.
 */

export interface RateLimit {
  /** Events allowed per key inside the window; the next one is refused. */
  limit: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly rate: RateLimit,
    private readonly now: () => number = () => Date.now(),
    /** Upper bound on remembered keys, so a flood of new keys cannot grow memory without end. */
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts one event for `key` when it is allowed. */
  take(key: string): RateDecision {
    const at = this.now();
    const recent = (this.events.get(key) ?? []).filter((t) => t > at - this.rate.windowMs);
    if (recent.length >= this.rate.limit) {
      this.events.set(key, recent);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0] + this.rate.windowMs - at) / 1000)) };
    }
    recent.push(at);
    this.events.delete(key);
    this.events.set(key, recent);
    if (this.events.size > this.maxKeys) {
      const oldest = this.events.keys().next().value;
      if (oldest !== undefined) this.events.delete(oldest);
    }
    return { allowed: true };
  }
}
