import type { Storage, StoreItems } from 'botbuilder';
import type { Pool } from 'pg';
import { eTagConflictError } from '../eTagConflict';

/** Reads waiting for the next batch: each its own keys and its own promise. */
interface PendingRead {
  keys: string[];
  resolve: (items: StoreItems) => void;
  reject: (error: unknown) => void;
}

const READ = 'SELECT key, document::text AS document, version::text AS version FROM bot_state WHERE key = ANY($1)';
const UPSERT = `INSERT INTO bot_state (key, document, version) VALUES ($1, $2, nextval('bot_state_versions'))
  ON CONFLICT (key) DO UPDATE SET document = EXCLUDED.document, version = EXCLUDED.version`;

/**
 * botbuilder's `Storage` (conversation and user state) in `bot_state`, with real eTags.
 *
 * @remarks The eTag is the row's `version`, a number from one sequence, given out as a string. A
 * write with no eTag or `*` is an upsert that always wins; any other eTag is a conditional upsert
 * (`ON CONFLICT … DO UPDATE … WHERE version = eTag`): when no row changed, another writer got there
 * first, and the write fails with the same eTag-conflict error as the file storage, with nothing
 * changed. The check and the write are one statement, so two instances cannot both win. As with
 * `FileStateStorage` and `MemoryStorage`, a key that is not stored takes any eTag. After a write
 * resolves, every item given carries the eTag it was stored with (the statement returns it), so
 * `ETagCheckedStorage` need not read the state back.
 *
 * Reads asked for in the same turn of the event loop (a turn's conversation and user state, or
 * the turns of many conversations under load) go to the database as one query; each caller still
 * gets its own copy of every item. The statements are prepared once per connection.
 */
export class PostgresStateStorage implements Storage {
  private pendingReads: PendingRead[] | null = null;

  constructor(private readonly pool: Pool) {}

  read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) return Promise.reject(new TypeError('Keys are required when reading.'));
    if (keys.length === 0) return Promise.resolve({});
    return new Promise((resolve, reject) => {
      if (this.pendingReads === null) {
        this.pendingReads = [];
        setImmediate(() => void this.readBatch());
      }
      this.pendingReads.push({ keys, resolve, reject });
    });
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

  private async readBatch(): Promise<void> {
    const batch = this.pendingReads ?? [];
    this.pendingReads = null;
    try {
      const keys = [...new Set(batch.flatMap((request) => request.keys))];
      const result = await this.pool.query<{ key: string; document: string; version: string }>({
        name: 'bot-state-read',
        text: READ,
        values: [keys],
      });
      const rows = new Map(result.rows.map((row) => [row.key, row]));
      for (const request of batch) {
        const items: StoreItems = {};
        for (const key of request.keys) {
          const row = rows.get(key);
          // Parsed per caller: parallel turns must never share an object.
          if (row) items[key] = { ...(JSON.parse(row.document) as Record<string, unknown>), eTag: row.version };
        }
        request.resolve(items);
      }
    } catch (error) {
      for (const request of batch) request.reject(error);
    }
  }

  private async writeOne(key: string, change: Record<string, unknown>): Promise<void> {
    const { eTag, ...document } = change;
    const unconditional = typeof eTag !== 'string' || eTag === '*';
    const result = await this.pool.query<{ version: string }>(
      unconditional
        ? { name: 'bot-state-upsert', text: `${UPSERT} RETURNING version::text`, values: [key, JSON.stringify(document)] }
        : {
            name: 'bot-state-upsert-if-version',
            text: `${UPSERT} WHERE bot_state.version::text = $3 RETURNING version::text`,
            values: [key, JSON.stringify(document), eTag],
          },
    );
    const stored = result.rows[0];
    if (!stored) throw eTagConflictError(key);
    change.eTag = stored.version;
  }
}
