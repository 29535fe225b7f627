/**
 * @packageDocumentation
 * Contract tests: the same cases run against each in-memory fake and its file adapter, so the
 * fakes the dialog tests stand on cannot drift from what production stores do.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
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

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

async function fileStore(): Promise<JsonFileStore> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'contract-'));
  dirs.push(dir);
  return new JsonFileStore(dir);
}

/** Both implementations of one port, each made fresh per test. */
function implementations<T>(inMemory: () => T, onFiles: (store: JsonFileStore) => T): [string, () => Promise<T>][] {
  return [
    ['in memory', async () => inMemory()],
    ['on files', async () => onFiles(await fileStore())],
  ];
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

describe.each([
  ['in memory', async (): Promise<AccessLog> => new InMemoryAccessLog()],
  [
    'on files',
    async (): Promise<AccessLog> => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'contract-access-'));
      dirs.push(dir);
      return new FileAccessLog(dir, 365, () => new Date('2026-12-01T00:00:00Z'));
    },
  ],
])('AccessLog contract (%s)', (_name, make) => {
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

describe.each(
  implementations<Storage>(
    () => new MemoryStorage(),
    (store) => new FileStateStorage(store),
  ),
)('bot state Storage contract (%s)', (_name, make) => {
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
});
