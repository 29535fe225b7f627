/**
 * @packageDocumentation
 * Databases for the PostgreSQL suites. Each test file makes its own database next to the one
 * `TEST_DATABASE_URL` names (`.ci/run` makes a fresh one per run; locally the machine's `postgres`),
 * migrates it with `npm run db:migrate`, and drops it afterwards.
 *
 * @remarks Without a reachable database the suites are skipped with a message, except under
 * `CI=true`, where they fail: CI must never pass by running none of them.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client, type Pool } from 'pg';
import { createPool } from '../../storage/postgres/database';

const PROJECT_ROOT = path.join(__dirname, '..', '..');
export const TEST_ADMIN_URL = process.env.TEST_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';

let probed: boolean | null = null;

/**
 * Whether the suites can run. Jest registers tests synchronously, so the probe is a short child
 * process; it runs once per test file.
 */
export function postgresAvailable(): boolean {
  if (probed !== null) return probed;
  const probe = `const { Client } = require('pg');
    const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.end()).then(() => process.exit(0), () => process.exit(1));`;
  try {
    execFileSync(process.execPath, ['-e', probe, TEST_ADMIN_URL], { cwd: PROJECT_ROOT, stdio: 'ignore', timeout: 10_000 });
    probed = true;
  } catch {
    probed = false;
  }
  if (!probed) {
    const where = redactedUrl(TEST_ADMIN_URL);
    if (process.env.CI === 'true') {
      throw new Error(`CI=true and PostgreSQL at ${where} is unreachable: the PostgreSQL suites must run in CI (see .ci/run).`);
    }
    console.warn(`Skipping the PostgreSQL suites: no database at ${where}. Start PostgreSQL or set TEST_DATABASE_URL.`);
  }
  return probed;
}

/** `describe` when a database is reachable, else a skipped block that shows up in the summary. */
export function describeOnPostgres(name: string, body: () => void): void {
  if (postgresAvailable()) describe(name, body);
  else describe.skip(`${name} (no PostgreSQL)`, () => it('needs a database', () => undefined));
}

/** Tables that hold data (everything but the migration history), emptied between tests. */
const DATA_TABLES = [
  'rounds',
  'response_sets',
  'professionals',
  'conversation_references',
  'access_log',
  'bot_state',
  'code_attempt_failures',
  'secrets',
  'used_link_nonces',
  'rate_limit_events',
];

export class TestDatabase {
  private readonly pools: Pool[] = [];
  private shared: Pool | null = null;

  private constructor(
    readonly name: string,
    readonly url: string,
  ) {}

  /** A new database, migrated unless `migrate` is false. */
  static async create(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
    const admin = new URL(TEST_ADMIN_URL);
    const base = admin.pathname.slice(1) || 'postgres';
    const prefix = base === 'postgres' ? 'pg_test' : base.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    const name = `${prefix}_${randomBytes(4).toString('hex')}`.slice(0, 63);
    await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(TEST_ADMIN_URL);
    url.pathname = `/${name}`;
    const database = new TestDatabase(name, url.toString());
    if (options.migrate !== false) database.migrate();
    return database;
  }

  /** Runs `npm run db:migrate` on this database. */
  migrate(): void {
    execFileSync('npm', ['run', '--silent', 'db:migrate'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: this.url },
      stdio: 'pipe',
    });
  }

  /** The pool of this file's tests (one, to stay far below the server's connection limit); closed by `drop`. */
  pool(): Pool {
    this.shared ??= this.newPool();
    return this.shared;
  }

  /** Another pool, as a second instance would have; closed by `drop`. */
  newPool(maxConnections = 5): Pool {
    const pool = createPool(this.url, () => undefined, maxConnections);
    this.pools.push(pool);
    return pool;
  }

  /** Empties every data table: each test starts from nothing, as with a fresh folder. */
  async reset(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      await client.query(`TRUNCATE ${DATA_TABLES.join(', ')} RESTART IDENTITY`);
    } finally {
      await client.end();
    }
  }

  async drop(): Promise<void> {
    this.shared = null;
    await Promise.all(this.pools.splice(0).map((pool) => pool.end()));
    await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
  }
}

async function withAdmin<R>(work: (client: Client) => Promise<R>): Promise<R> {
  const client = new Client({ connectionString: TEST_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(TEST_DATABASE_URL is not a URL)';
  }
}
