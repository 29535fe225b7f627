/**
 * @packageDocumentation
 * The port for sliding-window limits on things anyone can ask for (web-chat tokens, new
 * identities): in memory for one instance (`server/rateLimiter.ts`), in the database for several
 * (`storage/postgres/postgresRateLimiter.ts`), or each instance behind a load balancer would allow
 * the whole limit again.
 */

export interface RateLimit {
  /** Events allowed per key inside the window; the next one is refused. */
  limit: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one event for `key` when it is allowed. */
  take(key: string): Promise<RateDecision>;
}

/** The refusal when `oldestInWindowMs` is the oldest counted event: until it leaves the window. */
export function refusedUntilOldestLeaves(oldestInWindowMs: number, rate: RateLimit, nowMs: number): RateDecision {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldestInWindowMs + rate.windowMs - nowMs) / 1000)) };
}
