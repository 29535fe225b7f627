/** A clock the test moves by hand. */
export class FakeClock {
  private time: number;

  constructor(start: string) {
    this.time = Date.parse(start);
  }

  readonly now = (): Date => new Date(this.time);

  advance(ms: number): void {
    this.time += ms;
  }

  set(iso: string): void {
    this.time = Date.parse(iso);
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Ids "prefix-1", "prefix-2", … in order. */
export function sequentialIds(prefix: string): () => string {
  let next = 0;
  return () => `${prefix}-${(next += 1)}`;
}
