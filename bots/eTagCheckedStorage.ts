import { Storage, StoreItem, StoreItems } from 'botbuilder';

/**
 * A turn's state write lost against a write of another turn (a parallel submit, a second tab, a
 * second server): the state this turn read is no longer the stored one.
 */
export class StateConflictError extends Error {
  readonly code = 'STATE_CONFLICT';
  constructor(readonly keys: string[]) {
    super(`State changed by another turn: ${keys.length} key(s)`);
    this.name = 'StateConflictError';
  }
}

/**
 * Makes botbuilder's `ConversationState` and `UserState` write with the eTag they read, instead of
 * the blind `*` that `BotState.saveChanges` sets (last writer wins).
 *
 * @remarks `BotState` keeps the very object `read` returned and hands it back to `write` with
 * `eTag: '*'`. This wrapper remembers, per returned object, the eTag it was read with, and puts
 * it back before writing, so the inner storage refuses a write over a newer version. A refused
 * write becomes a `StateConflictError`, which the bot answers by running the turn again on fresh
 * state. Objects it did not hand out (a first write of a new key) are written as they come.
 * Parallel turns each get their own copy (the inner storage makes one per read), so one turn's
 * changes never leak into another's.
 */
export class ETagCheckedStorage implements Storage {
  private readonly readETags = new WeakMap<object, string>();

  constructor(private readonly inner: Storage) {}

  async read(keys: string[]): Promise<StoreItems> {
    // Storages hand out a fresh object per read (MemoryStorage parses JSON, FileStateStorage clones),
    // so each turn has its own copy without a second one made here.
    const items = await this.inner.read(keys);
    for (const item of Object.values(items) as StoreItem[]) {
      if (typeof item.eTag === 'string' && item.eTag !== '*') this.readETags.set(item, item.eTag);
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const checked: StoreItems = {};
    const sentETags: Record<string, string | undefined> = {};
    for (const [key, change] of Object.entries(changes)) {
      const item = change as StoreItem;
      const readWith = this.readETags.get(item);
      checked[key] = readWith === undefined ? item : { ...item, eTag: readWith };
      sentETags[key] = (checked[key] as StoreItem).eTag;
    }
    try {
      await this.inner.write(checked);
    } catch (error) {
      if (error instanceof Error && /eTag conflict/i.test(error.message)) throw new StateConflictError(Object.keys(changes));
      throw error;
    }
    // A second save of the same object in one turn must compare with what was just written. A
    // storage that stamps the new eTag on the items it wrote (FileStateStorage) says it; others are asked.
    const unstamped = Object.keys(changes).filter((key) => (checked[key] as StoreItem).eTag === sentETags[key]);
    const reread = unstamped.length > 0 ? await this.inner.read(unstamped) : {};
    for (const [key, change] of Object.entries(changes)) {
      const eTag = unstamped.includes(key) ? (reread[key] as StoreItem | undefined)?.eTag : (checked[key] as StoreItem).eTag;
      if (typeof eTag === 'string') this.readETags.set(change as object, eTag);
    }
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}
