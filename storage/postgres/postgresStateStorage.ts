import type { Storage, StoreItems } from 'botbuilder';
import type { Pool } from 'pg';
import { eTagConflictError } from '../eTagConflict';

/**
 * botbuilder's `Storage` (conversation and user state) in `bot_state`, with real eTags.
 *
 * @remarks The eTag is the row's `version`, a number from one sequence, given out as a string. A
 * write with no eTag or `*` is an upsert that always wins; any other eTag is a conditional upsert
 * (`ON CONFLICT … DO UPDATE … WHERE version = eTag`): when no row changed, another writer got there
 * first, and the write fails with the same eTag-conflict error as the file storage, with nothing
 * changed. The check and the write are one statement, so two instances cannot both win. As with
 * `FileStateStorage` and `MemoryStorage`, a key that is not stored takes any eTag.
 */
export class PostgresStateStorage implements Storage {
  constructor(private readonly pool: Pool) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('Keys are required when reading.');
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const result = await this.pool.query<{ key: string; document: Record<string, unknown>; version: string }>(
      'SELECT key, document, version FROM bot_state WHERE key = ANY($1)',
      [keys],
    );
    for (const row of result.rows) items[row.key] = { ...row.document, eTag: row.version };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('Changes are required when writing.');
    await Promise.all(Object.entries(changes).map(([key, change]) => this.writeOne(key, change as Record<string, unknown>)));
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new TypeError('Keys are required when deleting.');
    if (keys.length === 0) return;
    await this.pool.query('DELETE FROM bot_state WHERE key = ANY($1)', [keys]);
  }

  private async writeOne(key: string, change: Record<string, unknown>): Promise<void> {
    const { eTag, ...document } = change;
    const upsert = `INSERT INTO bot_state (key, document, version) VALUES ($1, $2, nextval('bot_state_versions'))
      ON CONFLICT (key) DO UPDATE SET document = EXCLUDED.document, version = EXCLUDED.version`;
    if (typeof eTag !== 'string' || eTag === '*') {
      await this.pool.query(upsert, [key, JSON.stringify(document)]);
      return;
    }
    const result = await this.pool.query(`${upsert} WHERE bot_state.version::text = $3`, [key, JSON.stringify(document), eTag]);
    if (result.rowCount === 0) throw eTagConflictError(key);
  }
}
