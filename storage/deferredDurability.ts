import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Collects the disk writes made within one scope (a turn), so that they can go to disk side by side
 * and be waited for at one point. Implements the bot's `TurnWrites` port for the file store.
 *
 * @remarks Inside a scope, `JsonFileStore.update` resolves once the change is applied and queued:
 * the caller may go on (compute the next card, save its state) while the file is written, and the
 * write is tracked here. Nobody else sees the new value early: every other read or write of that
 * record waits in the record's queue until the write is on disk. Outside a scope (the scheduler,
 * admin commands) nothing is deferred.
 */
export class DeferredDurability {
  private readonly scopes = new AsyncLocalStorage<Set<Promise<void>>>();

  async within<T>(work: () => Promise<T>): Promise<T> {
    return this.scopes.run(new Set(), async () => {
      try {
        return await work();
      } finally {
        // Whatever `work` did not wait for (it failed, or wrote after its last `settled`) is still
        // waited for: a turn never ends with a write of its own under way.
        await this.settleAll();
      }
    });
  }

  /** Resolves when every write tracked so far in this scope is durable; rejects with the first that failed. */
  async settled(): Promise<void> {
    const failure = await this.settleAll();
    if (failure) throw failure.reason;
  }

  /** Whether writes made now are deferred (a scope is open). */
  get active(): boolean {
    return this.scopes.getStore() !== undefined;
  }

  /** Tracks a deferred write in the open scope. */
  track(write: Promise<void>): void {
    const pending = this.scopes.getStore();
    if (!pending) throw new Error('DeferredDurability.track outside a scope');
    // Handled here so that a failure is never an unhandled rejection; `settled` reports it.
    write.catch(() => undefined);
    pending.add(write);
  }

  private async settleAll(): Promise<PromiseRejectedResult | undefined> {
    const pending = this.scopes.getStore();
    let failure: PromiseRejectedResult | undefined;
    while (pending && pending.size > 0) {
      const batch = [...pending];
      pending.clear();
      const results = await Promise.allSettled(batch);
      failure ??= results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    }
    return failure;
  }
}
