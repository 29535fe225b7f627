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
 * This is the port: `InMemoryAttemptLimiter` keeps the failures in the process (the embedded
 * store, one instance: a restart forgets them, which costs little against 15-minute windows), and
 * `storage/postgres/postgresAttemptLimiter.ts` keeps them in the database, so that several
 * instances behind a load balancer count one guesser's failures together.
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

export interface AttemptLimiter {
  /** Milliseconds until `key` may try again in `scope`; 0 when it may now. */
  blockedFor(scope: AttemptScope, key: string): Promise<number>;
  /** Records one failure for `key` in `scope`. */
  recordFailure(scope: AttemptScope, key: string): Promise<void>;
}

/** The windows of `options`, with the defaults filled in. */
export function attemptWindows(options: Pick<AttemptLimiterOptions, 'perIdentity' | 'perRound'>): Record<AttemptScope, AttemptWindow> {
  return { identity: options.perIdentity ?? DEFAULT_PER_IDENTITY_WINDOW, round: options.perRound ?? DEFAULT_PER_ROUND_WINDOW };
}

/**
 * The wait that `failures` (times in ms, oldest first, all inside the window) impose at `nowMs`:
 * 0 below the limit, else until the oldest failure that must leave the window has left it.
 */
export function waitAfterFailures(failures: readonly number[], window: AttemptWindow, nowMs: number): number {
  if (failures.length < window.maxFailures) return 0;
  const freeing = failures[failures.length - window.maxFailures];
  return Math.max(1, freeing + window.windowMs - nowMs);
}
