/**
 * The port through which a turn's record writes reach the disk together: writes made inside
 * `within` may resolve once they are applied, and `settled` waits until every one of them is
 * durable. The bot calls `settled` before any reply goes out, so nobody is told of something that
 * is not kept, while the turn's writes (its answer and its state, say) go to disk side by side
 * instead of one after another.
 *
 * @remarks A store that does not defer (PostgreSQL, the in-memory fakes) has nothing to collect:
 * `writesAsTheyCome`.
 */
export interface TurnWrites {
  /** Runs `work` as one turn; resolves after `work` and after all of its writes are durable. */
  within<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves when every write made so far in this turn is durable; rejects with the first that failed. */
  settled(): Promise<void>;
}

/** For stores whose writes are durable when they resolve. */
export const writesAsTheyCome: TurnWrites = {
  within: (work) => work(),
  settled: () => Promise.resolve(),
};
