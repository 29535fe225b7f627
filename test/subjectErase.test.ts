import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { parseConfig } from '../config';
import { RunningBot, startBot } from '../composition/startBot';
import { runAdmin } from '../scripts/admin';
import { DataCommands, fileDataRecords, postgresDataRecords, type DataRecords } from '../scripts/dataCommands';
import type { AccessEntry, AccessLog } from '../services/access/accessLog';
import { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import type { ProfessionalRepository } from '../services/professionals/professionalRepository';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../services/questionnaire/itemBank';
import type { SubjectData } from '../services/subjects/subjectRecords';
import { FileAccessLog } from '../storage/fileAccessLog';
import { FileProfessionalRepository } from '../storage/fileProfessionalRepository';
import { JsonFileStore } from '../storage/jsonFileStore';
import { PostgresAccessLog } from '../storage/postgres/postgresAccessLog';
import { PostgresProfessionalRepository } from '../storage/postgres/postgresProfessionalRepository';
import { PostgresResponseSetRepository } from '../storage/postgres/postgresResponseSetRepository';
import { PostgresRoundRepository } from '../storage/postgres/postgresRoundRepository';
import { cardSays, playRound } from './helpers/chatRound';
import { defined } from './helpers/defined';
import { seedProfessionalIn } from './helpers/seed';
import { storedRound, sideOf } from './helpers/exportFixture';
import { describeOnPostgres, postgresAvailable, TestDatabase } from './helpers/testDatabase';

/** Every file under `dir` (records, access log, secrets, anything else) that contains `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = await fs.readFile(file, 'utf8');
    if (text.includes(needle)) found.push(`${path.relative(dir, file)}: ${text.slice(0, 300)}`);
  }
  return found;
}

/** Every row of every table (but the migration history) whose JSON contains `needle`. */
async function rowsContaining(pool: Pool, needle: string): Promise<string[]> {
  const tables = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'pgmigrations'`,
  );
  const found: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await pool.query<{ text: string }>(
      `SELECT to_jsonb(candidate)::text AS text FROM "${name}" AS candidate WHERE strpos(to_jsonb(candidate)::text, $1) > 0`,
      [needle],
    );
    for (const row of rows.rows) found.push(`${name}: ${row.text.slice(0, 300)}`);
  }
  return found;
}

/** Where each backend keeps a run's data, and how the test looks into it. */
interface Backend {
  env: () => Promise<Record<string, string>>;
  professionals: (dataDir: string) => ProfessionalRepository;
  records: (store: JsonFileStore) => DataRecords;
  accessLog: (dataDir: string) => AccessLog;
  /** Every stored place (file or row) whose text contains `needle`. */
  containing: (dataDir: string, needle: string) => Promise<string[]>;
  responseSetIdsOf: (store: JsonFileStore, roundId: string) => Promise<string[]>;
  professionalCount: (store: JsonFileStore) => Promise<number>;
  done: () => Promise<void>;
}

const backends: [string, Backend][] = [
  [
    'on the embedded store',
    {
      env: async () => ({}),
      professionals: (dataDir) => new FileProfessionalRepository(new JsonFileStore(path.join(dataDir, 'records'))),
      records: (store) => fileDataRecords(store),
      accessLog: (dataDir) => new FileAccessLog(path.join(dataDir, 'access-log'), 365),
      containing: filesContaining,
      responseSetIdsOf: async (store, roundId) => {
        const ids: string[] = [];
        for await (const { value } of store.stream<{ id: string; roundId: string | null }>('responses')) {
          if (value.roundId === roundId) ids.push(value.id);
        }
        return ids;
      },
      professionalCount: async (store) => (await store.count('professionals')) + (await store.count('professional-index')),
      done: async () => undefined,
    },
  ],
];
if (postgresAvailable()) {
  let database: TestDatabase | null = null;
  const pool = (): Pool => defined(database, 'the test database').pool();
  backends.push([
    'on PostgreSQL',
    {
      env: async () => {
        database = await TestDatabase.create();
        return { DATABASE_URL: database.url };
      },
      professionals: () => new PostgresProfessionalRepository(pool()),
      records: (store) => postgresDataRecords(pool(), store),
      accessLog: () => new PostgresAccessLog(pool(), 365),
      // The local Direct Line's conversations stay in DATA_DIR with a database: both are searched.
      containing: async (dataDir, needle) => [...(await filesContaining(dataDir, needle)), ...(await rowsContaining(pool(), needle))],
      responseSetIdsOf: async (_store, roundId) =>
        (await pool().query<{ id: string }>("SELECT id FROM response_sets WHERE record->>'roundId' = $1", [roundId])).rows.map(
          (row) => row.id,
        ),
      professionalCount: async () =>
        Number((await pool().query<{ count: string }>('SELECT count(*) AS count FROM professionals')).rows[0].count),
      done: async () => database?.drop(),
    },
  ]);
}

describe.each(backends)("a person's data: subject-export and subject-erase after real chat rounds (%s)", (_name, backend) => {
  let dataDir: string;
  let bot: RunningBot;
  let professionalId: string;
  let clientA: { userId: string; conversationId: string; roundId: string };
  let clientB: { userId: string; conversationId: string; roundId: string };
  let professionalSession: { userId: string; conversationId: string };
  const out: string[] = [];
  const err: string[] = [];
  let answer: string | null = null;

  async function leftovers(ids: string[]): Promise<Record<string, string[]>> {
    const result: Record<string, string[]> = {};
    for (const id of ids) {
      const places = await backend.containing(dataDir, id);
      if (places.length > 0) result[id] = places;
    }
    return result;
  }

  async function admin(...argv: string[]): Promise<number> {
    const store = new JsonFileStore(path.join(dataDir, 'records'));
    const now = (): Date => new Date();
    const data = new DataCommands({
      records: backend.records(store),
      bank: () => loadItemBank(DEFAULT_ITEM_BANK_PATH),
      accessLog: backend.accessLog(dataDir),
      now,
      login: 'dpo',
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      progress: { isTTY: false, write: () => true },
      ask: async () => answer,
    });
    const directory = new ProfessionalDirectory(
      backend.professionals(dataDir),
      now,
      () => 'unused',
      () => Buffer.alloc(32),
    );
    const code = await runAdmin(argv, { directory, publicUrl: 'http://localhost', out: (t) => out.push(t), err: (t) => err.push(t), data });
    await store.flush();
    return code;
  }

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'subject-erase-'));
    bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(await backend.env()) }));
    const seeded = await seedProfessionalIn(backend.professionals(dataDir), 'Sam');
    professionalId = seeded.professionalId;

    // Round 1: both sides answer; the summary arrives proactively, then the professional asks for it again.
    const first = await playRound(bot.origin, seeded.secret, { clientLabel: 'K-12', professionalAnswers: true });
    await first.pro.waitFor(cardSays(/Per onderdeel/), 'the summary card', 10000);
    await first.pro.click({ verb: 'showSummary', roundId: first.roundId });
    await first.pro.waitFor(cardSays(/Per onderdeel/), 'the summary on request');
    // Round 2: another client answers; the professional does not.
    await first.pro.click({ verb: 'menu' }).catch(() => undefined);
    const second = await playRound(bot.origin, seeded.secret, { clientLabel: 'M-7', professionalAnswers: false, pro: first.pro });

    clientA = { ...first.client.session, roundId: first.roundId };
    clientB = { ...second.client.session, roundId: second.roundId };
    professionalSession = first.pro.session;
    await bot.stop();
  }, 90000);

  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
    await backend.done();
  });

  it('every summary shown in chat is in the access log: the one sent proactively and the one asked for', async () => {
    const log = backend.accessLog(dataDir);
    const entries: AccessEntry[] = [];
    for await (const entry of log.read({ roundId: clientA.roundId })) entries.push(entry);
    expect(entries.map((entry) => [entry.who, entry.what, entry.detail])).toEqual([
      [`professional:${professionalId}`, 'chat-summary', 'bothDone'],
      [`professional:${professionalId}`, 'chat-summary', 'onRequest'],
    ]);
  });

  it('subject-export writes everything stored about a client: their round, their own answers, their conversation and state', async () => {
    const file = path.join(dataDir, '..', `subject-${path.basename(dataDir)}.json`);
    expect(await admin('subject-export', `directline:${clientA.userId}`, '--out', file)).toBe(0);
    const data = JSON.parse(await fs.readFile(file, 'utf8')) as SubjectData;
    await fs.rm(file);
    expect(data.personIds.sort()).toEqual([clientA.userId, `directline:${clientA.userId}`].sort());
    expect(data.rounds.map((round) => round.id)).toEqual([clientA.roundId]);
    expect(data.responseSets.map((set) => set.perspective)).toEqual(['client']);
    expect(data.conversationReferences.map((reference) => reference.key)).toEqual([`client:directline:${clientA.userId}`]);
    expect(data.directLineConversations.map((record) => record.key)).toEqual([clientA.conversationId]);
    expect(data.botState.map((record) => record.key).sort()).toEqual(
      [`directline/conversations/${clientA.conversationId}/`, `directline/users/${clientA.userId}/`].sort(),
    );
    // The views of their round, and this very request (noted before it ran).
    expect(data.accessLog.map((entry) => entry.detail)).toEqual(['bothDone', 'onRequest', 'subject-export']);
  });

  it('subject-erase asks first: no terminal or a wrong id erases nothing', async () => {
    answer = null;
    expect(await admin('subject-erase', clientA.userId)).toBe(2);
    answer = 'something else';
    expect(await admin('subject-erase', clientA.userId)).toBe(1);
    expect(await backend.containing(dataDir, clientA.userId)).not.toEqual([]);
  });

  it('subject-erase of a client leaves no trace of their ids anywhere in DATA_DIR, and leaves the others alone', async () => {
    const setIds = await backend.responseSetIdsOf(new JsonFileStore(path.join(dataDir, 'records')), clientA.roundId);
    expect(setIds).toHaveLength(2);

    answer = clientA.userId;
    out.length = 0;
    expect(await admin('subject-erase', clientA.userId)).toBe(0);
    // Found by the structured pass, not only by the final sweep.
    expect(out.join('\n')).not.toContain('more records that named them');
    expect(out.join('\n')).toMatch(
      /Erased .*: 1 rounds, 2 response sets, 1 conversation references, 2 bot state records, 1 Direct Line conversations/,
    );
    expect(await leftovers([clientA.userId, clientA.conversationId, clientA.roundId, ...setIds])).toEqual({});

    // Client B, their round and the professional are untouched.
    for (const id of [clientB.userId, clientB.roundId, professionalId]) expect(await backend.containing(dataDir, id)).not.toEqual([]);
    // The access log still shows that a summary was viewed, without whose round it was.
    const log: AccessEntry[] = [];
    for await (const entry of backend.accessLog(dataDir).read({ roundId: 'erased' })) log.push(entry);
    expect(log.map((entry) => entry.what)).toEqual(['chat-summary', 'chat-summary']);
  });

  it('subject-erase --yes of a professional removes them, their channel identity, their rounds and index entries', async () => {
    out.length = 0;
    expect(await admin('subject-erase', professionalId, '--yes')).toBe(0);
    expect(out.join('\n')).toContain('the professional record');
    expect(out.join('\n')).not.toContain('more records that named them');
    expect(await leftovers([professionalId, professionalSession.userId, professionalSession.conversationId])).toEqual({});
    // Their round with client B is gone with both sides; client B's own chat state stays theirs, and
    // only its pointer to the erased round still names that round.
    const roundLeft = await backend.containing(dataDir, clientB.roundId);
    expect(roundLeft).toHaveLength(1);
    expect(roundLeft[0]).toContain(`directline/users/${clientB.userId}/`);
    // No professional record or index entry is left.
    expect(await backend.professionalCount(new JsonFileStore(path.join(dataDir, 'records')))).toBe(0);
  });
});

describeOnPostgres('subject-erase on PostgreSQL: rate-limit rows, and one transaction', () => {
  let database: TestDatabase;
  let dataDir: string;
  const out: string[] = [];
  const err: string[] = [];
  const now = new Date();

  function admin(command: 'subject-export' | 'subject-erase', ...args: string[]): Promise<number> {
    const data = new DataCommands({
      records: postgresDataRecords(database.pool(), new JsonFileStore(path.join(dataDir, 'records'))),
      bank: () => loadItemBank(DEFAULT_ITEM_BANK_PATH),
      accessLog: new PostgresAccessLog(database.pool(), 365),
      now: () => now,
      login: 'dpo',
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      progress: { isTTY: false, write: () => true },
      ask: async () => null,
    });
    return data.run(command, args);
  }

  /** Two clients of one professional, each with a round, both sides' answers, failed attempts and token requests. */
  async function seed(): Promise<void> {
    const pool = database.pool();
    const bank = loadItemBank(DEFAULT_ITEM_BANK_PATH);
    for (const [roundId, userId] of [
      ['round-a', 'user-a'],
      ['round-b', 'user-b'],
    ]) {
      const round = storedRound(roundId, { clientUserId: `directline:${userId}` });
      await new PostgresRoundRepository(pool).create(round);
      for (const perspective of ['client', 'professional'] as const) {
        await new PostgresResponseSetRepository(pool).create(sideOf(bank, round, perspective, () => 3));
      }
      await pool.query(`INSERT INTO code_attempt_failures (scope, key, failed_at) VALUES ('identity', $1, $3), ('round', $2, $3)`, [
        `directline:${userId}`,
        roundId,
        now,
      ]);
      await pool.query(`INSERT INTO rate_limit_events (limiter, key, at) VALUES ('token-requests-per-identity', $1, $2)`, [userId, now]);
      await new PostgresAccessLog(pool, 365).record({ at: now.toISOString(), who: 'professional:pro-1', what: 'tab-summary', roundId });
    }
    await pool.query(`INSERT INTO rate_limit_events (limiter, key, at) VALUES ('new-identities-per-address', '192.0.2.7', $1)`, [now]);
  }

  beforeAll(async () => {
    database = await TestDatabase.create();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'subject-erase-pg-'));
  }, 60000);

  beforeEach(async () => {
    await database.reset();
    await seed();
    out.length = 0;
    err.length = 0;
  });

  afterAll(async () => {
    await database.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("exports a client's failed code attempts and token requests, and erases them with the rest", async () => {
    expect(await admin('subject-export', 'directline:user-a')).toBe(0);
    const data = JSON.parse(out.join('\n')) as SubjectData;
    expect(data.limiterRecords.map((row) => [row.limiter, row.key]).sort()).toEqual(
      [
        ['identity', 'directline:user-a'],
        ['round', 'round-a'],
        ['token-requests-per-identity', 'user-a'],
      ].sort(),
    );

    out.length = 0;
    expect(await admin('subject-erase', 'directline:user-a', '--yes')).toBe(0);
    expect(out.join('\n')).toMatch(/: 1 rounds, 2 response sets, .*, 3 rate-limit records; 1 access-log entries redacted\.$/);
    expect(await rowsContaining(database.pool(), 'user-a')).toEqual([]);
    expect(await rowsContaining(database.pool(), 'round-a')).toEqual([]);
    // The other client's rows, and the per-address window (naming no one), stay.
    const left = await database
      .pool()
      .query<{ key: string }>('SELECT key FROM code_attempt_failures UNION ALL SELECT key FROM rate_limit_events ORDER BY key');
    expect(left.rows.map((row) => row.key)).toEqual(['192.0.2.7', 'directline:user-b', 'round-b', 'user-b']);
  });

  it('rolls everything back when a table it does not know still names the person', async () => {
    const pool = database.pool();
    await pool.query('CREATE TABLE subject_erase_extra (note text)');
    try {
      await pool.query(`INSERT INTO subject_erase_extra (note) VALUES ('user-a')`);
      expect(await admin('subject-erase', 'directline:user-a', '--yes')).toBe(1);
      expect(err.join('\n')).toMatch(/rolled back: records still name the person \(subject_erase_extra: 1\)/);
      // Nothing was erased: the round, both sides, the limiter rows and the unredacted log entry are there.
      expect(await new PostgresRoundRepository(pool).get('round-a')).toBeDefined();
      expect((await pool.query("SELECT id FROM response_sets WHERE record->>'roundId' = 'round-a'")).rowCount).toBe(2);
      expect((await pool.query("SELECT 1 FROM code_attempt_failures WHERE key IN ('directline:user-a', 'round-a')")).rowCount).toBe(2);
      expect((await pool.query("SELECT 1 FROM access_log WHERE round_id = 'round-a'")).rowCount).toBe(1);
    } finally {
      await pool.query('DROP TABLE subject_erase_extra');
    }
  });
});
