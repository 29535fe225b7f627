/**
 * @packageDocumentation
 * Starting on PostgreSQL: an unmigrated database stops the start with a clear log line, and every
 * instance on one database gets the same web-token signing key.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPostgresStores, SchemaNotCurrentError } from '../composition/postgresStores';
import { startBot } from '../composition/startBot';
import { parseConfig } from '../config';
import { createLogger } from '../logging/logger';
import { describeOnPostgres, TestDatabase } from './helpers/testDatabase';

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
});
