/**
 * @packageDocumentation
 * Contract tests: the same cases run against each in-memory fake, its file adapter and its
 * PostgreSQL adapter, so the fakes the dialog tests stand on cannot drift from what production
 * stores do, and the two production backends cannot drift from each other.
 *
 * @remarks The PostgreSQL cases use one database for this file (`test/helpers/testDatabase.ts`),
 * emptied before each case; without a reachable database they are skipped locally and fail in CI.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import type { Pool } from 'pg';
import type { AccessEntry, AccessLog } from '../../services/access/accessLog';
import type { ConversationReferenceRepository } from '../../services/conversations/conversationReferenceRepository';
import { ProfessionalNotFoundError, type Professional } from '../../services/professionals/professional';
import type { ProfessionalRepository } from '../../services/professionals/professionalRepository';
import type { ResponseSet } from '../../services/questionnaire/responseSet';
import { ResponseSetNotFoundError, type ResponseSetRepository } from '../../services/questionnaire/responseSetRepository';
import { RoundNotFoundError, type Round } from '../../services/rounds/round';
import type { RoundRepository } from '../../services/rounds/roundRepository';
import { FileAccessLog } from '../../storage/fileAccessLog';
import { FileConversationReferenceRepository } from '../../storage/fileConversationReferenceRepository';
import { FileProfessionalRepository } from '../../storage/fileProfessionalRepository';
import { FileResponseSetRepository } from '../../storage/fileResponseSetRepository';
import { FileRoundRepository } from '../../storage/fileRoundRepository';
import { FileStateStorage } from '../../storage/fileStateStorage';
import { JsonFileStore } from '../../storage/jsonFileStore';
import { InMemoryAccessLog } from '../fakes/inMemoryAccessLog';
import { InMemoryConversationReferenceRepository } from '../fakes/inMemoryConversationReferenceRepository';
import { InMemoryProfessionalRepository } from '../fakes/inMemoryProfessionalRepository';
import { InMemoryResponseSetRepository } from '../fakes/inMemoryResponseSetRepository';
import { InMemoryRoundRepository } from '../fakes/inMemoryRoundRepository';
import { completedResponseSet } from '../fakes/responseSets';
import { defined } from '../helpers/defined';
import { describeOnPostgres, postgresAvailable, TestDatabase } from '../helpers/testDatabase';
import { FakeClock, MINUTE } from '../fakes/clock';
import { ETagCheckedStorage, StateConflictError } from '../../bots/eTagCheckedStorage';
import type { AttemptLimiter } from '../../services/rounds/attemptLimiter';
import { InMemoryAttemptLimiter } from '../../services/rounds/inMemoryAttemptLimiter';
import { PostgresAttemptLimiter } from '../../storage/postgres/postgresAttemptLimiter';
import { InMemorySingleUseLinks } from '../../services/professionals/inMemorySingleUseLinks';
import type { SingleUseLinks } from '../../services/professionals/singleUseLinks';
import { PostgresSingleUseLinks } from '../../storage/postgres/postgresSingleUseLinks';
import type { RateLimit, RateLimiter } from '../../services/rateLimiter';
import { InMemoryRateLimiter } from '../../server/rateLimiter';
import { PostgresRateLimiter } from '../../storage/postgres/postgresRateLimiter';
import { PostgresAccessLog } from '../../storage/postgres/postgresAccessLog';
import { PostgresConversationReferenceRepository } from '../../storage/postgres/postgresConversationReferenceRepository';
import { PostgresProfessionalRepository } from '../../storage/postgres/postgresProfessionalRepository';
import { PostgresResponseSetRepository } from '../../storage/postgres/postgresResponseSetRepository';
import { PostgresRoundRepository } from '../../storage/postgres/postgresRoundRepository';
import { PostgresStateStorage } from '../../storage/postgres/postgresStateStorage';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

async function fileStore(): Promise<JsonFileStore> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'contract-'));
  dirs.push(dir);
  return new JsonFileStore(dir);
}

const onPostgres = postgresAvailable();
let database: TestDatabase | null = null;
beforeAll(async () => {
  if (onPostgres) database = await TestDatabase.create();
}, 60_000);
afterAll(async () => {
  await database?.drop();
});

/** The file's database, emptied: each case starts from nothing, as with a fresh folder. */
async function emptyDatabase(): Promise<TestDatabase> {
  const db = defined(database, 'the test database');
  await db.reset();
  return db;
}

/** Every implementation of one port, each made fresh per test (PostgreSQL when a database is reachable). */
function implementations<T>(
  inMemory: () => T,
  onFiles: (store: JsonFileStore) => T,
  inDatabase: (pool: Pool) => T,
): [string, () => Promise<T>][] {
  const all: [string, () => Promise<T>][] = [
    ['in memory', async () => inMemory()],
    ['on files', async () => onFiles(await fileStore())],
  ];
  if (onPostgres) all.push(['on PostgreSQL', async () => inDatabase((await emptyDatabase()).pool())]);
  return all;
}

function round(overrides: Partial<Round> = {}): Round {
  return {
    id: 'round-1',
    professionalId: 'pro-a',
    clientLabel: 'K-12',
    domain: 'probation',
    form: 'short',
    appointmentDate: '2026-12-10',
    deadline: '2026-12-09T00:00:00.000Z',
    status: 'open',
    createdAt: '2026-11-29T10:00:00.000Z',
    invitation: { codeHash: 'code-1', linkTokenHash: 'link-1', expiresAt: '2026-12-13T10:00:00.000Z', usedAt: null, revokedAt: null },
    clientUserId: null,
    clientResponseSetId: null,
    professionalResponseSetId: null,
    previousRoundId: null,
    summarySentAt: null,
    reminderSentAt: null,
    ...overrides,
  };
}

const ids = (rounds: Round[]): string[] => rounds.map((r) => r.id).sort();

describe.each(
  implementations<RoundRepository>(
    () => new InMemoryRoundRepository(),
    (store) => new FileRoundRepository(store),
    (pool) => new PostgresRoundRepository(pool),
  ),
)('RoundRepository contract (%s)', (_name, make) => {
  it('gives back what was created, as a copy the caller cannot change in place', async () => {
    const repo = await make();
    await repo.create(round());
    const first = await repo.get('round-1');
    expect(first).toEqual(round());
    if (first) first.clientLabel = 'changed';
    expect((await repo.get('round-1'))?.clientLabel).toBe('K-12');
    expect(await repo.get('nope')).toBeUndefined();
  });

  it('refuses to create a round twice', async () => {
    const repo = await make();
    await repo.create(round());
    await expect(repo.create(round({ clientLabel: 'other' }))).rejects.toThrow();
    expect((await repo.get('round-1'))?.clientLabel).toBe('K-12');
  });

  it('applies concurrent updates one after the other, losing none', async () => {
    const repo = await make();
    await repo.create(round({ clientLabel: '' }));
    await Promise.all(Array.from({ length: 20 }, () => repo.update('round-1', (r) => ({ ...r, clientLabel: `${r.clientLabel}x` }))));
    expect((await repo.get('round-1'))?.clientLabel).toBe('x'.repeat(20));
  });

  it('throws RoundNotFoundError when updating a round that is not there', async () => {
    const repo = await make();
    await expect(repo.update('nope', (r) => r)).rejects.toBeInstanceOf(RoundNotFoundError);
  });

  it('finds rounds by professional, client user, and only the current code and link', async () => {
    const repo = await make();
    await repo.create(round());
    await repo.create(round({ id: 'round-2', invitation: { ...round().invitation, codeHash: 'code-2', linkTokenHash: 'link-2' } }));
    await repo.create(
      round({ id: 'round-3', professionalId: 'pro-b', invitation: { ...round().invitation, codeHash: 'c3', linkTokenHash: 'l3' } }),
    );
    await repo.update('round-1', (r) => ({ ...r, clientUserId: 'user-1', invitation: { ...r.invitation, codeHash: 'code-new' } }));

    expect(ids(await repo.listByProfessional('pro-a'))).toEqual(['round-1', 'round-2']);
    expect(ids(await repo.findByClientUser('user-1'))).toEqual(['round-1']);
    expect((await repo.findByCodeHash('code-new'))?.id).toBe('round-1');
    expect(await repo.findByCodeHash('code-1')).toBeUndefined();
    expect((await repo.findByLinkTokenHash('link-2'))?.id).toBe('round-2');
    expect(await repo.findByLinkTokenHash('unknown')).toBeUndefined();
  });

  it('forgets deleted rounds everywhere', async () => {
    const repo = await make();
    await repo.create(round());
    await repo.create(
      round({ id: 'round-2', status: 'complete', invitation: { ...round().invitation, codeHash: 'c2', linkTokenHash: 'l2' } }),
    );
    await repo.delete('round-1');
    expect(await repo.get('round-1')).toBeUndefined();
    expect(await repo.findByCodeHash('code-1')).toBeUndefined();
    expect(ids(await repo.listByProfessional('pro-a'))).toEqual(['round-2']);
    expect(ids(await repo.listAwaitingSummary(new Date('2030-01-01T00:00:00Z')))).toEqual(['round-2']);
    expect(ids(await repo.listAppointmentBefore('2030-01-01', 10))).toEqual(['round-2']);
  });

  it('lists rounds awaiting their summary: open before the deadline limit, or complete; earliest deadline first', async () => {
    const repo = await make();
    const make1 = (id: string, overrides: Partial<Round>): Round =>
      round({ id, invitation: { ...round().invitation, codeHash: `c-${id}`, linkTokenHash: `l-${id}` }, ...overrides });
    await repo.create(make1('late', { deadline: '2026-12-20T00:00:00.000Z' }));
    await repo.create(make1('soon', { deadline: '2026-12-05T00:00:00.000Z' }));
    await repo.create(make1('sooner', { deadline: '2026-12-04T00:00:00.000Z' }));
    await repo.create(make1('sent', { deadline: '2026-12-01T00:00:00.000Z', summarySentAt: '2026-12-01T00:00:00.000Z' }));
    await repo.create(make1('cancelled', { deadline: '2026-12-01T00:00:00.000Z', status: 'cancelled' }));
    await repo.create(make1('complete-far', { deadline: '2027-03-01T00:00:00.000Z', status: 'complete' }));
    const until = new Date('2026-12-06T00:00:00.000Z');
    expect((await repo.listAwaitingSummary(until)).map((r) => r.id)).toEqual(['sooner', 'soon', 'complete-far']);

    await repo.update('soon', (r) => ({ ...r, summarySentAt: '2026-12-05T00:00:00.000Z' }));
    await repo.update('late', (r) => ({ ...r, deadline: '2026-12-03T00:00:00.000Z' }));
    expect((await repo.listAwaitingSummary(until)).map((r) => r.id)).toEqual(['late', 'sooner', 'complete-far']);
    expect((await repo.listAwaitingSummary(new Date('2026-12-04T00:00:00.000Z'))).map((r) => r.id)).toEqual(['late', 'complete-far']);
  });

  it('lists a round again once its summary claim is released, and a complete one at once whatever its deadline', async () => {
    const repo = await make();
    await repo.create(round({ id: 'claimed', deadline: '2026-12-01T00:00:00.000Z', summarySentAt: '2026-12-01T00:01:00.000Z' }));
    await repo.create(
      round({
        id: 'later',
        deadline: '2027-06-01T00:00:00.000Z',
        invitation: { ...round().invitation, codeHash: 'c2', linkTokenHash: 'l2' },
      }),
    );
    const now = new Date('2026-12-02T00:00:00.000Z');
    expect(await repo.listAwaitingSummary(now)).toEqual([]);
    await repo.update('claimed', (r) => ({ ...r, summarySentAt: null }));
    await repo.update('later', (r) => ({ ...r, status: 'complete' }));
    expect((await repo.listAwaitingSummary(now)).map((r) => r.id)).toEqual(['claimed', 'later']);
    await repo.update('later', (r) => ({ ...r, summarySentAt: '2026-12-02T00:00:00.000Z' }));
    expect((await repo.listAwaitingSummary(now)).map((r) => r.id)).toEqual(['claimed']);
  });

  it('lists rounds with an appointment before a date, oldest first, at most the limit', async () => {
    const repo = await make();
    for (const [id, date] of [
      ['b', '2025-02-01'],
      ['a', '2025-01-01'],
      ['c', '2025-03-01'],
      ['today', '2026-12-03'],
    ] as const) {
      await repo.create(
        round({ id, appointmentDate: date, invitation: { ...round().invitation, codeHash: `c-${id}`, linkTokenHash: `l-${id}` } }),
      );
    }
    expect((await repo.listAppointmentBefore('2026-12-03', 10)).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect((await repo.listAppointmentBefore('2026-12-03', 2)).map((r) => r.id)).toEqual(['a', 'b']);
    expect(await repo.listAppointmentBefore('2025-01-01', 10)).toEqual([]);
  });

  it("pages a professional's rounds newest appointment first, continuing after a round that went", async () => {
    const repo = await make();
    const dates = ['2026-01-05', '2026-03-01', '2026-02-10', '2026-03-01', '2025-12-24'];
    for (const [n, date] of dates.entries()) {
      await repo.create(
        round({
          id: `r${n}`,
          appointmentDate: date,
          createdAt: `2025-12-0${n + 1}T10:00:00.000Z`,
          invitation: { ...round().invitation, codeHash: `c${n}`, linkTokenHash: `l${n}` },
        }),
      );
    }
    await repo.create(
      round({ id: 'other', professionalId: 'pro-b', invitation: { ...round().invitation, codeHash: 'co', linkTokenHash: 'lo' } }),
    );
    const first = await repo.pageByProfessional('pro-a', { limit: 2 });
    expect(first.rounds.map((r) => r.id)).toEqual(['r3', 'r1']);
    await repo.delete('r1');
    const second = await repo.pageByProfessional('pro-a', { limit: 2, cursor: first.next });
    expect(second.rounds.map((r) => r.id)).toEqual(['r2', 'r0']);
    const third = await repo.pageByProfessional('pro-a', { limit: 2, cursor: second.next });
    expect(third).toEqual({ rounds: [expect.objectContaining({ id: 'r4' })], next: null });
    // A cursor that was tampered with reads as none: never an error.
    expect((await repo.pageByProfessional('pro-a', { limit: 10, cursor: 'x|2026-13-45|r1' })).rounds.map((r) => r.id)).toEqual([
      'r3',
      'r2',
      'r0',
      'r4',
    ]);
    expect((await repo.pageByProfessional('pro-a', { limit: 10, cursor: 'not a cursor' })).rounds.map((r) => r.id)).toEqual([
      'r3',
      'r2',
      'r0',
      'r4',
    ]);
    expect(await repo.pageByProfessional('pro-c', { limit: 10 })).toEqual({ rounds: [], next: null });
  });

  it('streams every round once, in any order (exports)', async () => {
    const repo = await make();
    for (const n of [1, 2, 3]) {
      await repo.create(round({ id: `round-${n}`, invitation: { ...round().invitation, codeHash: `c${n}`, linkTokenHash: `l${n}` } }));
    }
    const streamed: Round[] = [];
    for await (const each of repo.streamAll()) streamed.push(each);
    expect(ids(streamed)).toEqual(['round-1', 'round-2', 'round-3']);
  });
});

const accessLogs: [string, () => Promise<AccessLog>][] = [
  ['in memory', async () => new InMemoryAccessLog()],
  [
    'on files',
    async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'contract-access-'));
      dirs.push(dir);
      return new FileAccessLog(dir, 365, () => new Date('2026-12-01T00:00:00Z'));
    },
  ],
];
if (onPostgres) {
  accessLogs.push([
    'on PostgreSQL',
    async () => new PostgresAccessLog((await emptyDatabase()).pool(), 365, () => new Date('2026-12-01T00:00:00Z')),
  ]);
}

describe.each(accessLogs)('AccessLog contract (%s)', (_name, make) => {
  const entry = (overrides: Partial<AccessEntry>): AccessEntry => ({
    at: '2026-11-30T10:00:00.000Z',
    who: 'professional:pro-a',
    what: 'tab-summary',
    roundId: 'round-1',
    ...overrides,
  });
  const all = async (log: AccessLog, filter: { roundId?: string } = {}): Promise<AccessEntry[]> => {
    const read: AccessEntry[] = [];
    for await (const each of log.read(filter)) read.push(each);
    return read;
  };

  it('reads back in order what was recorded, filtered by round', async () => {
    const log = await make();
    await log.record(entry({}));
    await log.record(entry({ at: '2026-12-01T09:00:00.000Z', what: 'tab-rounds', roundId: null }));
    await log.record(entry({ at: '2026-12-01T09:30:00.000Z', roundId: 'round-2' }));
    expect((await all(log)).map((each) => each.at)).toEqual([
      '2026-11-30T10:00:00.000Z',
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T09:30:00.000Z',
    ]);
    expect(await all(log, { roundId: 'round-2' })).toEqual([entry({ at: '2026-12-01T09:30:00.000Z', roundId: 'round-2' })]);
  });

  it('redacts an erased person and their rounds, keeping that something was viewed', async () => {
    const log = await make();
    await log.record(entry({}));
    await log.record(entry({ who: 'admin:dpo', what: 'admin-command', detail: 'subject-export', subjectId: 'pro-a', roundId: null }));
    await log.record(entry({ who: 'professional:pro-b', roundId: 'round-9' }));
    expect(await log.redact(new Set(['pro-a']), new Set(['round-1']))).toBe(2);
    expect(await all(log)).toEqual([
      entry({ who: 'professional:erased', roundId: 'erased' }),
      entry({ who: 'admin:dpo', what: 'admin-command', detail: 'subject-export', subjectId: 'erased', roundId: null }),
      entry({ who: 'professional:pro-b', roundId: 'round-9' }),
    ]);
  });
});

describe.each(
  implementations<ResponseSetRepository>(
    () => new InMemoryResponseSetRepository(),
    (store) => new FileResponseSetRepository(store),
    (pool) => new PostgresResponseSetRepository(pool),
  ),
)('ResponseSetRepository contract (%s)', (_name, make) => {
  const set = (overrides: Partial<ResponseSet> = {}): ResponseSet =>
    completedResponseSet('client', { 'c-trust-1': 4 }, { status: 'in-progress', completedAt: null, ...overrides });

  it('gives back what was created, as a copy', async () => {
    const repo = await make();
    await repo.create(set());
    const first = await repo.get(set().id);
    expect(first).toEqual(set());
    if (first) first.answers = {};
    expect(Object.keys((await repo.get(set().id))?.answers ?? {})).toEqual(['c-trust-1']);
    expect(await repo.get('nope')).toBeUndefined();
  });

  it('applies concurrent updates one after the other, losing no answer', async () => {
    const repo = await make();
    await repo.create(set({ answers: {} }));
    await Promise.all(
      Array.from({ length: 15 }, (_, n) =>
        repo.update(set().id, (current) => ({
          ...current,
          answers: { ...current.answers, [`item-${n}`]: { itemId: `item-${n}`, value: 3, answeredAt: '2026-12-01T10:00:00.000Z' } },
        })),
      ),
    );
    expect(Object.keys((await repo.get(set().id))?.answers ?? {})).toHaveLength(15);
  });

  it('throws ResponseSetNotFoundError for a set that is not there, and deletes', async () => {
    const repo = await make();
    await expect(repo.update('nope', (s) => s)).rejects.toBeInstanceOf(ResponseSetNotFoundError);
    await repo.create(set());
    await repo.delete(set().id);
    expect(await repo.get(set().id)).toBeUndefined();
  });
});

describe.each(
  implementations<ProfessionalRepository>(
    () => new InMemoryProfessionalRepository(),
    (store) => new FileProfessionalRepository(store),
    (pool) => new PostgresProfessionalRepository(pool),
  ),
)('ProfessionalRepository contract (%s)', (_name, make) => {
  const professional = (overrides: Partial<Professional> = {}): Professional => ({
    id: 'pro-1',
    displayName: 'Sam',
    createdAt: '2026-11-29T10:00:00.000Z',
    revokedAt: null,
    accessSecretHash: 'hash-1',
    teams: null,
    ...overrides,
  });

  it('creates once, finds by secret hash and Teams id, and lists', async () => {
    const repo = await make();
    await repo.create(professional());
    await repo.create(professional({ id: 'pro-2', accessSecretHash: null, teams: { aadObjectId: 'aad-2', tenantId: 'tenant' } }));
    await expect(repo.create(professional({ displayName: 'Other' }))).rejects.toThrow();

    expect((await repo.findByAccessSecretHash('hash-1'))?.id).toBe('pro-1');
    expect(await repo.findByAccessSecretHash('hash-x')).toBeUndefined();
    expect((await repo.findByAadObjectId('aad-2'))?.id).toBe('pro-2');
    expect((await repo.list()).map((p) => p.id).sort()).toEqual(['pro-1', 'pro-2']);
  });

  it('updates atomically, finds by the new hash only, and throws for an unknown id', async () => {
    const repo = await make();
    await repo.create(professional());
    await repo.update('pro-1', (p) => ({ ...p, accessSecretHash: 'hash-2' }));
    expect(await repo.findByAccessSecretHash('hash-1')).toBeUndefined();
    expect((await repo.findByAccessSecretHash('hash-2'))?.id).toBe('pro-1');
    await expect(repo.update('nope', (p) => p)).rejects.toBeInstanceOf(ProfessionalNotFoundError);
  });
});

describe.each(
  implementations<ConversationReferenceRepository>(
    () => new InMemoryConversationReferenceRepository(),
    (store) => new FileConversationReferenceRepository(store),
    (pool) => new PostgresConversationReferenceRepository(pool),
  ),
)('ConversationReferenceRepository contract (%s)', (_name, make) => {
  it('keeps the latest reference per key, as a copy, and deletes', async () => {
    const repo = await make();
    await repo.save('professional:pro-1', { conversation: { id: 'c-1' } });
    await repo.save('professional:pro-1', { conversation: { id: 'c-2' } });
    const stored = await repo.get('professional:pro-1');
    expect(stored).toEqual({ conversation: { id: 'c-2' } });
    if (stored) stored.conversation = 'changed';
    expect(await repo.get('professional:pro-1')).toEqual({ conversation: { id: 'c-2' } });
    expect(await repo.get('client:someone')).toBeUndefined();
    await repo.delete('professional:pro-1');
    expect(await repo.get('professional:pro-1')).toBeUndefined();
  });
});

/** A state storage and a second writer on the same data: the same object in one process, another pool for PostgreSQL. */
interface StateWriters {
  storage: Storage;
  second: Storage;
}

const stateStorages: [string, () => Promise<StateWriters>][] = [
  [
    'in memory',
    async () => {
      const storage = new MemoryStorage();
      return { storage, second: storage };
    },
  ],
  [
    'on files',
    async () => {
      const storage = new FileStateStorage(await fileStore());
      return { storage, second: storage };
    },
  ],
];
if (onPostgres) {
  stateStorages.push([
    'on PostgreSQL',
    async () => {
      const db = await emptyDatabase();
      return { storage: new PostgresStateStorage(db.pool()), second: new PostgresStateStorage(db.newPool()) };
    },
  ]);
}

describe.each(stateStorages)('bot state Storage contract (%s)', (_name, writers) => {
  const make = async (): Promise<Storage> => (await writers()).storage;

  it('reads back what it wrote with an eTag, and nothing for a missing key', async () => {
    const storage = await make();
    await storage.write({ 'conv/1': { phase: 'asking' } });
    const items: StoreItems = await storage.read(['conv/1', 'missing']);
    expect(items['conv/1'].phase).toBe('asking');
    expect(typeof items['conv/1'].eTag).toBe('string');
    expect(items.missing).toBeUndefined();
  });

  it('refuses a write with a stale eTag and keeps the newer value', async () => {
    const storage = await make();
    await storage.write({ k: { v: 1 } });
    const first = (await storage.read(['k'])).k;
    await storage.write({ k: { ...first, v: 2 } });
    await expect(storage.write({ k: { ...first, v: 3 } })).rejects.toThrow();
    expect((await storage.read(['k'])).k.v).toBe(2);
  });

  it('lets "*" overwrite, and deletes', async () => {
    const storage = await make();
    await storage.write({ k: { v: 1 } });
    await storage.write({ k: { v: 2, eTag: '*' } });
    expect((await storage.read(['k'])).k.v).toBe(2);
    await storage.delete(['k']);
    expect(await storage.read(['k'])).toEqual({});
  });

  it('refuses a stale write with the eTag conflict that ETagCheckedStorage turns into StateConflictError', async () => {
    const storage = await make();
    const checked = new ETagCheckedStorage(storage);
    await storage.write({ k: { v: 1 } });
    const read = (await checked.read(['k'])).k;
    await storage.write({ k: { v: 2, eTag: '*' } });
    await expect(checked.write({ k: { ...read, v: 3 } })).rejects.toBeInstanceOf(StateConflictError);
    expect((await storage.read(['k'])).k.v).toBe(2);
  });

  it('of writers that read the same version at once, exactly one wins', async () => {
    const { storage, second } = await writers();
    await storage.write({ k: { v: 0 } });
    const read = (await storage.read(['k'])).k;
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? storage : second).write({ k: { ...read, v: n + 1 } })),
    );
    const won = attempts.flatMap((attempt, n) => (attempt.status === 'fulfilled' ? [n + 1] : []));
    expect(won).toHaveLength(1);
    expect((await second.read(['k'])).k.v).toBe(won[0]);
    expect((await storage.read(['k'])).k.eTag).not.toBe(read.eTag);
  });

  it('never gives a key written again after a delete an eTag from before', async () => {
    const storage = await make();
    await storage.write({ k: { v: 1 } });
    const before = (await storage.read(['k'])).k;
    await storage.delete(['k']);
    await storage.write({ k: { v: 2 } });
    await expect(storage.write({ k: { ...before, v: 3 } })).rejects.toThrow(/eTag conflict/);
    expect((await storage.read(['k'])).k.v).toBe(2);
  });

  it('gives readers that ask at the same moment each their own copy', async () => {
    const storage = await make();
    await storage.write({ k: { list: [1] } });
    const [first, second] = await Promise.all([storage.read(['k']), storage.read(['k', 'missing'])]);
    (first.k.list as number[]).push(2);
    expect(second.k.list).toEqual([1]);
    expect(second.k.eTag).toBe(first.k.eTag);
    expect(second.missing).toBeUndefined();
  });

  it('writes a key that is not stored whatever eTag comes with it, as MemoryStorage does', async () => {
    const storage = await make();
    await storage.write({ fresh: { v: 1, eTag: 'from-elsewhere' } });
    expect((await storage.read(['fresh'])).fresh.v).toBe(1);
  });
});

const attemptLimiters: [string, (clock: FakeClock) => Promise<{ limiter: AttemptLimiter; second: AttemptLimiter }>][] = [
  [
    'in memory',
    async (clock) => {
      const limiter = new InMemoryAttemptLimiter({ now: clock.now, perIdentity: { maxFailures: 3, windowMs: 10 * MINUTE } });
      return { limiter, second: limiter };
    },
  ],
];
if (onPostgres) {
  attemptLimiters.push([
    'on PostgreSQL',
    async (clock) => {
      const db = await emptyDatabase();
      const options = { now: clock.now, perIdentity: { maxFailures: 3, windowMs: 10 * MINUTE } };
      return { limiter: new PostgresAttemptLimiter(db.pool(), options), second: new PostgresAttemptLimiter(db.newPool(), options) };
    },
  ]);
}

describe.each(attemptLimiters)('AttemptLimiter contract (%s)', (_name, make) => {
  it('blocks a key after its window is full, until the oldest failure leaves it', async () => {
    const clock = new FakeClock('2026-12-01T10:00:00Z');
    const { limiter } = await make(clock);
    for (let n = 0; n < 3; n += 1) {
      expect(await limiter.blockedFor('identity', 'u')).toBe(0);
      await limiter.recordFailure('identity', 'u');
      clock.advance(MINUTE);
    }
    expect(await limiter.blockedFor('identity', 'u')).toBe(7 * MINUTE);
    expect(await limiter.blockedFor('identity', 'other')).toBe(0);
    expect(await limiter.blockedFor('round', 'u')).toBe(0);
    clock.advance(7 * MINUTE);
    expect(await limiter.blockedFor('identity', 'u')).toBe(0);
  });

  it('counts per scope with its own window (rounds: the default 10 per 15 minutes)', async () => {
    const clock = new FakeClock('2026-12-01T10:00:00Z');
    const { limiter } = await make(clock);
    for (let n = 0; n < 9; n += 1) await limiter.recordFailure('round', 'r');
    expect(await limiter.blockedFor('round', 'r')).toBe(0);
    await limiter.recordFailure('round', 'r');
    expect(await limiter.blockedFor('round', 'r')).toBe(15 * MINUTE);
  });

  it('counts the failures of every instance together', async () => {
    const clock = new FakeClock('2026-12-01T10:00:00Z');
    const { limiter, second } = await make(clock);
    await limiter.recordFailure('identity', 'u');
    await second.recordFailure('identity', 'u');
    await Promise.all([limiter.recordFailure('identity', 'u'), second.recordFailure('identity', 'v')]);
    expect(await second.blockedFor('identity', 'u')).toBe(10 * MINUTE);
    expect(await limiter.blockedFor('identity', 'v')).toBe(0);
  });
});

describeOnPostgres('PostgresAttemptLimiter', () => {
  it('keeps only failures that still count', async () => {
    const clock = new FakeClock('2026-12-01T10:00:00Z');
    const db = await emptyDatabase();
    const limiter = new PostgresAttemptLimiter(db.pool(), { now: clock.now });
    for (const key of ['a', 'b', 'c']) await limiter.recordFailure('identity', key);
    clock.advance(16 * MINUTE);
    await limiter.recordFailure('round', 'r');
    const rows = await db.pool().query<{ key: string }>('SELECT key FROM code_attempt_failures');
    expect(rows.rows.map((row) => row.key)).toEqual(['r']);
  });
});

/** `pool` with a count of the statements sent through it. */
function countingPool(pool: Pool): { pool: Pool; statements: () => number } {
  let statements = 0;
  const counting = Object.create(pool) as Pool;
  counting.query = ((...args: Parameters<Pool['query']>) => {
    statements += 1;
    return pool.query(...args);
  }) as Pool['query'];
  return { pool: counting, statements: () => statements };
}

describeOnPostgres('PostgresStateStorage', () => {
  it('stamps the eTag it stored on every item written, so nobody has to read the state back', async () => {
    const storage = new PostgresStateStorage((await emptyDatabase()).pool());
    const item: Record<string, unknown> = { v: 1 };
    await storage.write({ k: item });
    expect(item.eTag).toBe((await storage.read(['k'])).k.eTag);
    const changed: Record<string, unknown> = { ...item, v: 2 };
    await storage.write({ k: changed });
    expect(changed.eTag).not.toBe(item.eTag);
    expect(changed.eTag).toBe((await storage.read(['k'])).k.eTag);
  });

  it("reads asked for at the same moment (a turn's conversation and user state) in one statement", async () => {
    const { pool, statements } = countingPool((await emptyDatabase()).pool());
    const storage = new PostgresStateStorage(pool);
    await storage.write({ 'conversation:a': { v: 1 }, 'user:b': { v: 2 } });
    const before = statements();
    const [conversation, user] = await Promise.all([storage.read(['conversation:a']), storage.read(['user:b'])]);
    expect(statements() - before).toBe(1);
    expect([conversation['conversation:a'].v, user['user:b'].v, Object.keys(conversation), Object.keys(user)]).toEqual([
      1,
      2,
      ['conversation:a'],
      ['user:b'],
    ]);
  });
});

describeOnPostgres('PostgreSQL record updates', () => {
  const set = (): ResponseSet => completedResponseSet('client', {}, { status: 'in-progress', completedAt: null, answers: {} });
  const answering =
    (n: number) =>
    (current: ResponseSet): ResponseSet => ({
      ...current,
      answers: { ...current.answers, [`item-${n}`]: { itemId: `item-${n}`, value: 3, answeredAt: '2026-12-01T10:00:00.000Z' } },
    });

  it('of two instances updating one record at once, neither loses a change of the other', async () => {
    const db = await emptyDatabase();
    const [first, second] = [new PostgresResponseSetRepository(db.pool()), new PostgresResponseSetRepository(db.newPool())];
    await first.create(set());
    await Promise.all(Array.from({ length: 20 }, (_, n) => (n % 2 === 0 ? first : second).update(set().id, answering(n))));
    expect(Object.keys((await first.get(set().id))?.answers ?? {})).toHaveLength(20);
  });

  it('runs a change again on the record as it is after a write that came in between, and writes only that', async () => {
    const db = await emptyDatabase();
    const other = db.newPool(1);
    // Another instance writes after this one read the set and before its write reaches the database.
    let interfered = false;
    const pool = Object.create(db.pool()) as Pool;
    pool.query = (async (config: { text: string }, ...rest: unknown[]) => {
      if (!interfered && /^UPDATE/.test(config.text)) {
        interfered = true;
        await other.query(`UPDATE response_sets SET record = jsonb_set(record, '{answers,other}', '{"itemId":"other","value":1}')`);
      }
      return (db.pool().query as (...args: unknown[]) => Promise<unknown>)(config, ...rest);
    }) as unknown as Pool['query'];
    const repo = new PostgresResponseSetRepository(pool);
    await repo.create(set());
    const seen: string[][] = [];
    const updated = await repo.update(set().id, (current) => {
      seen.push(Object.keys(current.answers));
      return answering(1)(current);
    });
    expect(seen).toEqual([[], ['other']]);
    expect(Object.keys(updated.answers).sort()).toEqual(['item-1', 'other']);
    expect(Object.keys((await repo.get(set().id))?.answers ?? {}).sort()).toEqual(['item-1', 'other']);
  });

  it('updates a record it wrote last with one statement, and notices when another instance wrote it since', async () => {
    const db = await emptyDatabase();
    const { pool, statements } = countingPool(db.pool());
    const [repo, other] = [new PostgresResponseSetRepository(pool), new PostgresResponseSetRepository(db.newPool())];
    await repo.create(set());
    let before = statements();
    await repo.update(set().id, answering(1));
    await repo.update(set().id, answering(2));
    expect(statements() - before).toBe(2);

    await other.update(set().id, answering(3));
    before = statements();
    const updated = await repo.update(set().id, answering(4));
    expect(statements() - before).toBe(3);
    expect(Object.keys(updated.answers).sort()).toEqual(['item-1', 'item-2', 'item-3', 'item-4']);
    expect(await other.get(set().id)).toEqual(updated);
  });

  it('decides a "no change" seen on the version it remembers again on the stored one', async () => {
    const db = await emptyDatabase();
    const [repo, other] = [new PostgresResponseSetRepository(db.pool()), new PostgresResponseSetRepository(db.newPool())];
    await repo.create({ ...set(), status: 'completed' });
    await other.update(set().id, (current) => ({ ...current, status: 'in-progress' }));
    const updated = await repo.update(set().id, (current) => (current.status === 'completed' ? current : answering(1)(current)));
    expect(Object.keys(updated.answers)).toEqual(['item-1']);
    expect(Object.keys((await other.get(set().id))?.answers ?? {})).toEqual(['item-1']);
  });
});

const singleUseLinks: [string, (clock: FakeClock) => Promise<{ links: SingleUseLinks; second: SingleUseLinks }>][] = [
  [
    'in memory',
    async (clock) => {
      const links = new InMemorySingleUseLinks(clock.now);
      return { links, second: links };
    },
  ],
];
if (onPostgres) {
  singleUseLinks.push([
    'on PostgreSQL',
    async (clock) => {
      const db = await emptyDatabase();
      return { links: new PostgresSingleUseLinks(db.pool(), clock.now), second: new PostgresSingleUseLinks(db.newPool(), clock.now) };
    },
  ]);
}

describe.each(singleUseLinks)('SingleUseLinks contract (%s)', (_name, make) => {
  it('lets each link in once, also when two instances get it at the same moment', async () => {
    const clock = new FakeClock('2026-12-01T10:00:00Z');
    const { links, second } = await make(clock);
    const expiresAt = new Date('2026-12-01T10:15:00Z');
    expect(await links.useOnce('tab-link:a', expiresAt)).toBe(true);
    expect(await second.useOnce('tab-link:a', expiresAt)).toBe(false);
    const raced = await Promise.all([links.useOnce('tab-link:b', expiresAt), second.useOnce('tab-link:b', expiresAt)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    clock.advance(20 * MINUTE);
    expect(await links.useOnce('tab-link:c', new Date('2026-12-01T10:35:00Z'))).toBe(true);
  });
});

const rateLimiters: [string, (rate: RateLimit, now: () => number) => Promise<{ limiter: RateLimiter; second: RateLimiter }>][] = [
  [
    'in memory',
    async (rate, now) => {
      const limiter = new InMemoryRateLimiter(rate, now);
      return { limiter, second: limiter };
    },
  ],
];
if (onPostgres) {
  rateLimiters.push([
    'on PostgreSQL',
    async (rate, now) => {
      const db = await emptyDatabase();
      return {
        limiter: new PostgresRateLimiter(db.pool(), 'contract', rate, now),
        second: new PostgresRateLimiter(db.newPool(), 'contract', rate, now),
      };
    },
  ]);
}

describe.each(rateLimiters)('RateLimiter contract (%s)', (_name, make) => {
  it('allows the limit per key inside the window, then says when to come back', async () => {
    const clock = new FakeClock('2026-12-01T10:00:00Z');
    const now = (): number => clock.now().getTime();
    const { limiter } = await make({ limit: 3, windowMs: MINUTE }, now);
    for (let n = 0; n < 3; n += 1) {
      expect(await limiter.take('203.0.113.9')).toEqual({ allowed: true });
      clock.advance(10_000);
    }
    expect(await limiter.take('203.0.113.9')).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(await limiter.take('198.51.100.1')).toEqual({ allowed: true });
    clock.advance(30_000);
    expect(await limiter.take('203.0.113.9')).toEqual({ allowed: true });
  });

  it('never allows more than the limit together, when instances are asked at the same moment', async () => {
    const clock = new FakeClock('2026-12-01T10:00:00Z');
    const { limiter, second } = await make({ limit: 3, windowMs: MINUTE }, () => clock.now().getTime());
    const decisions = await Promise.all(Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? limiter : second).take('k')));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(3);
  });
});
