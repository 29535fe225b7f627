/**
 * @packageDocumentation
 * A sliding-window counter per key, in memory, for HTTP endpoints that create things (identities,
 * conversations) on one instance. A restart forgets it; the windows are minutes long, so that
 * costs little. Several instances use `storage/postgres/postgresRateLimiter.ts` instead.
 */
import { refusedUntilOldestLeaves, type RateDecision, type RateLimit, type RateLimiter } from '../services/rateLimiter';

export class InMemoryRateLimiter implements RateLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly rate: RateLimit,
    private readonly now: () => number = () => Date.now(),
    /** Upper bound on remembered keys, so a flood of new keys cannot grow memory without end. */
    private readonly maxKeys = 10_000,
  ) {}

  async take(key: string): Promise<RateDecision> {
    const at = this.now();
    const recent = (this.events.get(key) ?? []).filter((t) => t > at - this.rate.windowMs);
    if (recent.length >= this.rate.limit) {
      this.events.set(key, recent);
      return refusedUntilOldestLeaves(recent[0], this.rate, at);
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
