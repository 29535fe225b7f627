/**
 * @packageDocumentation
 * The connection pool and the two things every PostgreSQL adapter shares: running work in one
 * transaction, and knowing whether the schema is the one this code was written for.
 */
import { promises as fs } from 'node:fs';
import { Pool, type PoolClient } from 'pg';

/** The table node-pg-migrate keeps its history in (its default). */
export const MIGRATIONS_TABLE = 'pgmigrations';

/**
 * A pool on `connectionString`. `onIdleError` hears errors of idle connections (the server
 * restarted, the network dropped), which would otherwise end the process.
 */
export function createPool(connectionString: string, onIdleError: (error: Error) => void, maxConnections = 10): Pool {
  const pool = new Pool({ connectionString, max: maxConnections });
  pool.on('error', onIdleError);
  return pool;
}

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<R>(pool: Pool, work: (client: PoolClient) => Promise<R>): Promise<R> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export class SchemaNotCurrentError extends Error {
  readonly code = 'DATABASE_SCHEMA_NOT_CURRENT';
  constructor(readonly pending: string[]) {
    super(`The database lacks ${pending.length} migration(s): ${pending.join(', ')}`);
    this.name = 'SchemaNotCurrentError';
  }
}

/**
 * The migrations in `migrationsDir` that the database has not run, by name (node-pg-migrate's
 * name: the file name without `.sql`). Empty when the schema is current.
 */
export async function pendingMigrations(pool: Pool, migrationsDir: string): Promise<string[]> {
  const files = (await fs.readdir(migrationsDir)).filter((name) => name.endsWith('.sql') && !name.startsWith('.'));
  const expected = files.map((name) => name.slice(0, -'.sql'.length)).sort();
  let applied: Set<string>;
  try {
    const result = await pool.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`);
    applied = new Set(result.rows.map((row) => row.name));
  } catch (error) {
    // 42P01: no such table, so no migration ever ran here.
    if ((error as { code?: string }).code === '42P01') return expected;
    throw error;
  }
  return expected.filter((name) => !applied.has(name));
}

/** Throws `SchemaNotCurrentError` unless every migration in `migrationsDir` has run. */
export async function assertSchemaCurrent(pool: Pool, migrationsDir: string): Promise<void> {
  const pending = await pendingMigrations(pool, migrationsDir);
  if (pending.length > 0) throw new SchemaNotCurrentError(pending);
}
