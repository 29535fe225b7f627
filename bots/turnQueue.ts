/**
 * Runs turns that share state one after another, per key (a conversation, a user), inside this
 * process. Parallel submits of one person then see each other's stored state instead of all
 * reading the same old state; across processes the eTag check on state catches the rest.
 *
 * @remarks A turn waits for every earlier turn on any of its keys. All keys are claimed at once,
 * in arrival order, so two turns can never wait for each other.
 */
export class TurnQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: string[], work: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    let release: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const earlier = unique.map((key) => this.tails.get(key) ?? Promise.resolve());
    for (const key of unique) this.tails.set(key, done);
    try {
      await Promise.all(earlier);
      return await work();
    } finally {
      release();
      for (const key of unique) if (this.tails.get(key) === done) this.tails.delete(key);
    }
  }
}
