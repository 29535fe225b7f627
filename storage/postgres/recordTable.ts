import type { Pool } from 'pg';
import { inTransaction } from './database';

/** A column value as node-postgres sends it. */
export type ColumnValue = string | number | null;

/** Optimistic writes of one `update` (after reading the record) before it takes the row lock instead. */
export const OPTIMISTIC_TRIES = 3;

/** Records per table whose last version is remembered: the ones in use (about 1,000 open conversations), a few KB each. */
export const KNOWN_VERSIONS = 1000;

/** A record as this process last read or wrote it: its JSON text and the row's `xmin` then. */
interface KnownVersion {
  json: string;
  rowVersion: string;
}

export interface RecordTableShape<T> {
  table: string;
  /** The real columns beside `record`, each derived from the record, for the queries and their indexes. */
  columns: Record<string, (record: T) => ColumnValue>;
  /** What `update` throws for an id that is not there. */
  notFound: (id: string) => Error;
}

/**
 * One kind of domain record in its own table: `id`, the whole record as jsonb, and the columns
 * `shape.columns` derives from it. The repositories of rounds, response sets and professionals
 * extend it with their lookups.
 *
 * @remarks `update` is optimistic: it reads the row with its `xmin` (the transaction that wrote this
 * version of the row; any write by anyone, another instance or the admin tool, gives the row a new
 * one) and writes with `UPDATE … WHERE xmin = <read>`, one statement that PostgreSQL checks under
 * the row lock. When another writer got there first, nothing is written and `change` runs again on
 * the row as it is then. That is two round trips instead of BEGIN, `SELECT … FOR UPDATE`, UPDATE,
 * COMMIT, with the same "no other update in between" the file store gives within one process.
 * After {@link OPTIMISTIC_TRIES} lost races it takes the row lock instead (`FOR UPDATE` in a
 * transaction), so a record many write at once still gets its turn. `change` may therefore run
 * more than once; only its last run counts.
 *
 * The table remembers the last version it read or wrote of the records used most recently (the
 * JSON text and its `xmin`, at most {@link KNOWN_VERSIONS}), so the next `update` of such a record
 * is one round trip: `change` runs on that version and the conditional UPDATE proves it is still
 * the stored one. When it is not (another instance wrote since), nothing is written and the record
 * is read afresh; a "no change" decided on the remembered version is decided again on a fresh read,
 * since it writes nothing that would prove it. Every read parses the JSON afresh, so callers always
 * get their own copy. The statements are prepared once per connection.
 */
export abstract class RecordTable<T extends { id: string }> {
  private readonly columnNames: string[];
  /** Least recently used first. */
  private readonly known = new Map<string, KnownVersion>();

  constructor(
    protected readonly pool: Pool,
    private readonly shape: RecordTableShape<T>,
  ) {
    // Table and column names come from our own code (the shape), never from input.
    this.columnNames = Object.keys(shape.columns);
  }

  async get(id: string): Promise<T | undefined> {
    const row = await this.readVersioned(id);
    return row && (JSON.parse(row.json) as T);
  }

  /** Throws when a record with this id exists already. */
  async create(record: T): Promise<void> {
    const names = ['id', 'record', ...this.columnNames];
    const placeholders = names.map((_, index) => `$${index + 1}`).join(', ');
    const json = JSON.stringify(record);
    try {
      const result = await this.pool.query<{ row_version: string }>({
        name: `${this.shape.table}-create`,
        text: `INSERT INTO ${this.shape.table} (${names.join(', ')}) VALUES (${placeholders}) RETURNING xmin::text AS row_version`,
        values: this.values(record.id, record, json),
      });
      this.remember(record.id, { json, rowVersion: result.rows[0].row_version });
    } catch (error) {
      // 23505: unique violation on the primary key.
      if ((error as { code?: string }).code === '23505') throw new Error(`${this.shape.table}: ${record.id} exists already`);
      throw error;
    }
  }

  /**
   * Applies `change` with no other update of the record in between; returning the very object it
   * was given writes nothing. `change` may run more than once (see the class remarks).
   */
  async update(id: string, change: (current: T) => T): Promise<T> {
    const known = this.known.get(id);
    if (known) {
      const current = JSON.parse(known.json) as T;
      const next = change(current);
      if (next !== current && (await this.writeIfVersion(id, next, known.rowVersion))) return next;
    }
    for (let attempt = 1; attempt <= OPTIMISTIC_TRIES; attempt += 1) {
      const row = await this.readVersioned(id);
      if (row === undefined) throw this.shape.notFound(id);
      const current = JSON.parse(row.json) as T;
      const next = change(current);
      if (next === current) return current;
      if (await this.writeIfVersion(id, next, row.rowVersion)) return next;
      // Changed or deleted since it was read: the next try reads it again (and throws if it is gone).
    }
    return this.updateLocked(id, change);
  }

  async delete(id: string): Promise<void> {
    this.known.delete(id);
    await this.pool.query(`DELETE FROM ${this.shape.table} WHERE id = $1`, [id]);
  }

  /** Records matching `where` (SQL over the real columns, with `$1…` for `parameters`), in `orderBy` order. */
  protected async select(where: string, parameters: ColumnValue[], orderBy = 'id', limit?: number): Promise<T[]> {
    const limitClause = limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(limit))}`;
    const result = await this.pool.query<{ record: T }>(
      `SELECT record FROM ${this.shape.table} WHERE ${where} ORDER BY ${orderBy}${limitClause}`,
      parameters,
    );
    return result.rows.map((row) => row.record);
  }

  /** Every record, in pages by id, so an export of any size holds one page in memory. */
  protected async *stream(pageSize = 500): AsyncIterable<T> {
    let after = '';
    for (;;) {
      const page = await this.pool.query<{ id: string; record: T }>(
        `SELECT id, record FROM ${this.shape.table} WHERE id > $1 ORDER BY id LIMIT ${pageSize}`,
        [after],
      );
      for (const row of page.rows) yield row.record;
      if (page.rows.length < pageSize) return;
      after = page.rows[page.rows.length - 1].id;
    }
  }

  /** The stored JSON text and `xmin` of one record, remembered for the next `update`. */
  private async readVersioned(id: string): Promise<KnownVersion | undefined> {
    const result = await this.pool.query<{ json: string; row_version: string }>({
      name: `${this.shape.table}-get-versioned`,
      text: `SELECT record::text AS json, xmin::text AS row_version FROM ${this.shape.table} WHERE id = $1`,
      values: [id],
    });
    const row = result.rows[0];
    if (row === undefined) {
      this.known.delete(id);
      return undefined;
    }
    const version = { json: row.json, rowVersion: row.row_version };
    this.remember(id, version);
    return version;
  }

  /** Writes `next` if the row is still at `rowVersion`; false (nothing written) when another write came first. */
  private async writeIfVersion(id: string, next: T, rowVersion: string): Promise<boolean> {
    const json = JSON.stringify(next);
    const result = await this.pool.query<{ row_version: string }>({
      name: `${this.shape.table}-update-if-version`,
      text: `${this.updateStatement} AND xmin::text = $${this.columnNames.length + 3} RETURNING xmin::text AS row_version`,
      values: [...this.values(id, next, json), rowVersion],
    });
    const written = result.rows[0];
    if (written) this.remember(id, { json, rowVersion: written.row_version });
    return written !== undefined;
  }

  /** `update` under the row lock (`SELECT … FOR UPDATE` in a transaction): the way through when optimistic tries keep losing. */
  private updateLocked(id: string, change: (current: T) => T): Promise<T> {
    this.known.delete(id);
    return inTransaction(this.pool, async (client) => {
      const locked = await client.query<{ record: T }>(`SELECT record FROM ${this.shape.table} WHERE id = $1 FOR UPDATE`, [id]);
      const current = locked.rows[0]?.record;
      if (current === undefined) throw this.shape.notFound(id);
      const next = change(current);
      if (next === current) return current;
      await client.query({
        name: `${this.shape.table}-update`,
        text: this.updateStatement,
        values: this.values(id, next, JSON.stringify(next)),
      });
      return next;
    });
  }

  /** Every column from the record, by id (`$1`), the record and the columns after it. */
  private get updateStatement(): string {
    const assignments = ['record', ...this.columnNames].map((name, index) => `${name} = $${index + 2}`).join(', ');
    return `UPDATE ${this.shape.table} SET ${assignments} WHERE id = $1`;
  }

  private values(id: string, record: T, json: string): ColumnValue[] {
    return [id, json, ...this.columnNames.map((name) => this.shape.columns[name](record))];
  }

  private remember(id: string, version: KnownVersion): void {
    this.known.delete(id);
    this.known.set(id, version);
    if (this.known.size > KNOWN_VERSIONS) this.known.delete(this.known.keys().next().value as string);
  }
}
