import type { Pool } from 'pg';
import { inTransaction } from './database';

/** A column value as node-postgres sends it. */
export type ColumnValue = string | number | null;

/** Optimistic writes of one `update` before it takes the row lock instead. */
export const OPTIMISTIC_TRIES = 3;

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
 * more than once; only its last run counts. Every read parses the stored JSON afresh, so callers
 * always get their own copy. The statements are prepared once per connection.
 */
export abstract class RecordTable<T extends { id: string }> {
  private readonly columnNames: string[];

  constructor(
    protected readonly pool: Pool,
    private readonly shape: RecordTableShape<T>,
  ) {
    // Table and column names come from our own code (the shape), never from input.
    this.columnNames = Object.keys(shape.columns);
  }

  async get(id: string): Promise<T | undefined> {
    const result = await this.pool.query<{ record: T }>({
      name: `${this.shape.table}-get`,
      text: `SELECT record FROM ${this.shape.table} WHERE id = $1`,
      values: [id],
    });
    return result.rows[0]?.record;
  }

  /** Throws when a record with this id exists already. */
  async create(record: T): Promise<void> {
    const names = ['id', 'record', ...this.columnNames];
    const placeholders = names.map((_, index) => `$${index + 1}`).join(', ');
    try {
      await this.pool.query(`INSERT INTO ${this.shape.table} (${names.join(', ')}) VALUES (${placeholders})`, this.values(record));
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
    for (let attempt = 1; attempt <= OPTIMISTIC_TRIES; attempt += 1) {
      const read = await this.pool.query<{ record: T; row_version: string }>({
        name: `${this.shape.table}-get-versioned`,
        text: `SELECT record, xmin::text AS row_version FROM ${this.shape.table} WHERE id = $1`,
        values: [id],
      });
      const row = read.rows[0];
      if (row === undefined) throw this.shape.notFound(id);
      const next = change(row.record);
      if (next === row.record) return row.record;
      const written = await this.pool.query({
        name: `${this.shape.table}-update-if-version`,
        text: `${this.updateStatement} AND xmin::text = $${this.columnNames.length + 3}`,
        values: [...this.values(next), row.row_version],
      });
      if (written.rowCount === 1) return next;
      // Changed or deleted since it was read: the next try reads it again (and throws if it is gone).
    }
    return this.updateLocked(id, change);
  }

  async delete(id: string): Promise<void> {
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

  /** `update` under the row lock (`SELECT … FOR UPDATE` in a transaction): the way through when optimistic tries keep losing. */
  private updateLocked(id: string, change: (current: T) => T): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      const locked = await client.query<{ record: T }>(`SELECT record FROM ${this.shape.table} WHERE id = $1 FOR UPDATE`, [id]);
      const current = locked.rows[0]?.record;
      if (current === undefined) throw this.shape.notFound(id);
      const next = change(current);
      if (next === current) return current;
      await client.query({ name: `${this.shape.table}-update`, text: this.updateStatement, values: this.values(next) });
      return next;
    });
  }

  /** Every column from the record, by id (`$1`), the record and the columns after it. */
  private get updateStatement(): string {
    const assignments = ['record', ...this.columnNames].map((name, index) => `${name} = $${index + 2}`).join(', ');
    return `UPDATE ${this.shape.table} SET ${assignments} WHERE id = $1`;
  }

  private values(record: T): ColumnValue[] {
    return [record.id, JSON.stringify(record), ...this.columnNames.map((name) => this.shape.columns[name](record))];
  }
}
