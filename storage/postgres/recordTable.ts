import type { Pool } from 'pg';
import { inTransaction } from './database';

/** A column value as node-postgres sends it. */
export type ColumnValue = string | number | null;

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
 * @remarks `update` reads the row `FOR UPDATE` inside a transaction, so a change made by another
 * process (another instance, the admin tool) waits for this one and then sees its result: the
 * same "no other update in between" the file store gives within one process. Every read parses
 * the stored JSON afresh, so callers always get their own copy.
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
    const result = await this.pool.query<{ record: T }>(`SELECT record FROM ${this.shape.table} WHERE id = $1`, [id]);
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

  /** Applies `change` under a row lock; returning the very object it was given writes nothing. */
  update(id: string, change: (current: T) => T): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      const locked = await client.query<{ record: T }>(`SELECT record FROM ${this.shape.table} WHERE id = $1 FOR UPDATE`, [id]);
      const current = locked.rows[0]?.record;
      if (current === undefined) throw this.shape.notFound(id);
      const next = change(current);
      if (next === current) return current;
      const assignments = ['record', ...this.columnNames].map((name, index) => `${name} = $${index + 2}`).join(', ');
      await client.query(`UPDATE ${this.shape.table} SET ${assignments} WHERE id = $1`, [id, ...this.values(next).slice(1)]);
      return next;
    });
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

  private values(record: T): ColumnValue[] {
    return [record.id, JSON.stringify(record), ...this.columnNames.map((name) => this.shape.columns[name](record))];
  }
}
