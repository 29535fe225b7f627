import { randomUUID } from 'node:crypto';
import { Storage, StoreItems } from 'botbuilder';
import { eTagConflictError } from './eTagConflict';
import { JsonFileStore } from './jsonFileStore';

interface StoredItem {
  eTag: string;
  [field: string]: unknown;
}

/**
 * botbuilder's `Storage` (conversation and user state) on the partitioned file store.
 *
 * @remarks eTags follow the interface's contract as `MemoryStorage` implements it: a write with no
 * eTag or `*` always wins; any other eTag must match the stored one, or the write fails with an
 * eTag conflict and nothing is changed. Each state key is its own file. After a write resolves,
 * every item given carries the eTag it was stored with.
 */
export class FileStateStorage implements Storage {
  private static readonly COLLECTION = 'state';

  constructor(private readonly store: JsonFileStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('Keys are required when reading.');
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const value = await this.store.read<StoredItem>(FileStateStorage.COLLECTION, key);
        if (value !== undefined) items[key] = value;
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('Changes are required when writing.');
    await Promise.all(
      Object.entries(changes).map(async ([key, change]) => {
        const eTag = randomUUID();
        await this.store.update<StoredItem>(FileStateStorage.COLLECTION, key, (current) => {
          const wanted = (change as { eTag?: unknown }).eTag;
          if (current && typeof wanted === 'string' && wanted !== '*' && wanted !== current.eTag) {
            throw eTagConflictError(key);
          }
          return { ...(change as object), eTag };
        });
        // Stored: the caller learns the new eTag without reading the state back (ETagCheckedStorage).
        (change as { eTag?: string }).eTag = eTag;
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new TypeError('Keys are required when deleting.');
    await Promise.all(keys.map((key) => this.store.delete(FileStateStorage.COLLECTION, key)));
  }
}
