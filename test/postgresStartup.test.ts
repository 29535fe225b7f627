/**
 * @packageDocumentation
 * Starting on PostgreSQL: an unmigrated database stops the start with a clear log line, every
 * instance on one database gets the same web-token signing key, and the admin tool works there.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPostgresStores, SchemaNotCurrentError } from '../composition/postgresStores';
import { startBot } from '../composition/startBot';
import { parseConfig } from '../config';
import { createLogger } from '../logging/logger';
import { defined } from './helpers/defined';
import { describeOnPostgres, TestDatabase } from './helpers/testDatabase';
import { sha256Hex } from '../services/rounds/invitationCode';
import { PostgresProfessionalRepository } from '../storage/postgres/postgresProfessionalRepository';
import { PostgresResponseSetRepository } from '../storage/postgres/postgresResponseSetRepository';
import { PostgresRoundRepository } from '../storage/postgres/postgresRoundRepository';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../services/questionnaire/itemBank';
import { completedRoundAnswers } from './helpers/exportFixture';

const MIGRATIONS = path.join(__dirname, '..', 'migrations');

describeOnPostgres('the bot on PostgreSQL', () => {
  let database: TestDatabase;
  let dataDir: string;

  beforeAll(async () => {
    database = await TestDatabase.create({ migrate: false });
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-pg-'));
  }, 60000);

  afterAll(async () => {
    await database.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('refuses to start before `npm run db:migrate`, saying what to run, and starts after it', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    const config = parseConfig({ PORT: '0', DATA_DIR: dataDir, DATABASE_URL: database.url });
    await expect(startBot(config, log)).rejects.toBeInstanceOf(SchemaNotCurrentError);
    expect(lines).toContainEqual(
      expect.objectContaining({ event: 'database_schema_not_current', advice: expect.stringContaining('npm run db:migrate') }),
    );

    database.migrate();
    const bot = await startBot(config, log);
    expect((await fetch(`${bot.origin}/healthz`)).ok).toBe(true);
    await bot.stop();
  }, 60000);

  it('stops with database_unreachable (no password in the log) when the database cannot be reached', async () => {
    const lines: string[] = [];
    const log = createLogger('info', (line) => lines.push(line));
    const config = parseConfig({ PORT: '0', DATA_DIR: dataDir, DATABASE_URL: 'postgres://alliance:s3cret@127.0.0.1:1/alliance' });
    await expect(startBot(config, log)).rejects.toThrow();
    expect(lines.map((line) => JSON.parse(line) as { event: string })).toContainEqual(
      expect.objectContaining({ event: 'database_unreachable' }),
    );
    expect(lines.join('\n')).not.toContain('s3cret');
  });

  it('gives every instance the same signing key, also when they start at the same moment', async () => {
    const log = createLogger('silent');
    const options = { migrationsDir: MIGRATIONS, retentionDays: 0, now: () => new Date() };
    const instances = await Promise.all([1, 2, 3].map(() => openPostgresStores(database.url, log, options)));
    try {
      const keys = instances.map((instance) => instance.signingKey.toString('hex'));
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toHaveLength(64);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });

  it('adds a professional with `npm run admin` into the database the server reads', async () => {
    const output = execFileSync('npm', ['run', '--silent', 'admin', '--', 'add-professional', 'Pat'], {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, DATABASE_URL: database.url, DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    const secret = defined(/\?pro=([A-Za-z0-9_-]+)/.exec(output), 'the access link')[1];
    const found = await new PostgresProfessionalRepository(database.pool()).findByAccessSecretHash(sha256Hex(secret));
    expect(found?.displayName).toBe('Pat');
  }, 60000);

  it('exports rounds and reads the access log from the database, and refuses the subject commands there', async () => {
    const pool = database.pool();
    const bank = loadItemBank(DEFAULT_ITEM_BANK_PATH);
    const { round, client, professional } = completedRoundAnswers(bank, 'round-pg');
    await new PostgresRoundRepository(pool).create(round);
    for (const side of [client, professional]) await new PostgresResponseSetRepository(pool).create(defined(side, 'a side'));
    const out = path.join(dataDir, 'rounds.csv');
    const admin = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
      spawnSync('npm', ['run', '--silent', 'admin', '--', ...args], {
        cwd: path.join(__dirname, '..'),
        env: { ...process.env, DATABASE_URL: database.url, DATA_DIR: dataDir },
        encoding: 'utf8',
      });

    expect(admin('export', '--format', 'csv', '--out', out).stdout).toMatch(/Exported 1 of 1 rounds/);
    expect((await fs.readFile(out, 'utf8')).trim().split('\n').length).toBeGreaterThan(1);
    const log = admin('access-log');
    expect(log.stdout).toContain('"detail":"export"');
    const refused = admin('subject-export', 'client-user-1');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/not available yet/);
  }, 60000);
});
