import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../services/questionnaire/itemBank';
import { QuestionnaireService } from '../services/questionnaire/questionnaireService';
import type { Round } from '../services/rounds/round';
import { RoundProgress } from '../services/rounds/roundProgress';
import { RoundService } from '../services/rounds/roundService';
import { FileResponseSetRepository } from '../storage/fileResponseSetRepository';
import { FileRoundRepository } from '../storage/fileRoundRepository';
import { JsonFileStore } from '../storage/jsonFileStore';
import { RoundDueIndex } from '../storage/roundDueIndex';
import { DAY, FakeClock, sequentialIds } from './fakes/clock';
import { RecordingNotifier } from './helpers/botHarness';
import { storedRound } from './helpers/exportFixture';
import { spyOnFileReads } from './helpers/fileReads';

const NOW = '2026-12-03T10:00:00.000Z';
const bank = loadItemBank(DEFAULT_ITEM_BANK_PATH);
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'scale-due-'));
  dirs.push(dir);
  return dir;
}

/** An open round nobody joined yet, its deadline `deadlineInDays` from today and its appointment the day after. */
function round(id: string, deadlineInDays: number, overrides: Partial<Round> = {}): Round {
  const deadline = new Date(Date.parse('2026-12-03T00:00:00.000Z') + deadlineInDays * DAY);
  return storedRound(id, {
    professionalId: 'pro-0',
    clientLabel: 'K-1',
    domain: null,
    appointmentDate: new Date(deadline.getTime() + DAY).toISOString().slice(0, 10),
    deadline: deadline.toISOString(),
    status: 'open',
    createdAt: '2026-11-01T10:00:00.000Z',
    invitation: { codeHash: `c-${id}`, linkTokenHash: `l-${id}`, expiresAt: deadline.toISOString(), usedAt: null, revokedAt: null },
    clientUserId: null,
    clientResponseSetId: null,
    professionalResponseSetId: null,
    ...overrides,
  });
}

/** 2,000 rounds weeks to months from their deadline, 3 past it, and 1 past the retention period. */
async function seed(dir: string): Promise<void> {
  const repo = new FileRoundRepository(new JsonFileStore(dir));
  const far = Array.from({ length: 2000 }, (_, n) => round(`far-${n}`, 20 + (n % 150)));
  const due = [round('due-a', -1), round('due-b', -2), round('due-c', -1)];
  // The old round's professional has 2,000 others: deleting it must not read them all.
  const old = round('old', -400, { professionalId: 'pro-0' });
  const all = [...far, ...due, { ...old, summarySentAt: '2025-11-01T00:00:00.000Z' }];
  for (let start = 0; start < all.length; start += 100) await Promise.all(all.slice(start, start + 100).map((each) => repo.create(each)));
}

/** One scheduler tick through the real file repository, on a fresh store (nothing cached), counting what it reads. */
async function countedTick(dir: string) {
  const store = new JsonFileStore(dir);
  const clock = new FakeClock(NOW);
  const rounds = new RoundService({
    rounds: new FileRoundRepository(store),
    now: clock.now,
    newId: sequentialIds('x'),
    random: randomBytes,
    invitationTtlDays: 14,
  });
  const questionnaire = new QuestionnaireService(bank, new FileResponseSetRepository(store), clock.now, sequentialIds('s'));
  const notifier = new RecordingNotifier();
  const progress = new RoundProgress({ rounds, questionnaire, notifier, now: clock.now, reminderDaysBefore: 2, retentionDays: 365 });
  const reads = spyOnFileReads();
  const readdir = jest.spyOn(fs, 'readdir');
  const opendir = jest.spyOn(fs, 'opendir');
  try {
    const result = await progress.tick();
    const roundsDir = path.join(dir, 'rounds');
    return {
      result,
      notifier,
      filesRead: reads.files().length,
      files: reads.files().map((file) => path.relative(dir, file)),
      roundFolderListings: [...readdir.mock.calls, ...opendir.mock.calls].filter(([folder]) => String(folder) === roundsDir).length,
    };
  } finally {
    reads.restore();
    readdir.mockRestore();
    opendir.mockRestore();
  }
}

describe('the due-time index', () => {
  let dir: string;
  /** The same rounds as a store from before the index: the marker is missing. */
  let legacy: string;
  beforeAll(async () => {
    dir = await tempDir();
    await seed(dir);
    legacy = await tempDir();
    await fs.cp(dir, legacy, { recursive: true });
    await new JsonFileStore(legacy).delete(RoundDueIndex.COLLECTION, 'built');
  }, 120_000);

  it('lets a scheduler tick over 2,003 stored rounds read only a handful of files', async () => {
    const { result, notifier, filesRead, roundFolderListings, files } = await countedTick(dir);
    expect(result.failures).toEqual([]);
    expect(notifier.summaries.map((each) => each.round.id).sort()).toEqual(['due-a', 'due-b', 'due-c']);
    expect(result.deleted).toBe(1);
    expect(roundFolderListings).toBe(0);
    // The marker, two catalogues, a few buckets, the three due rounds, the old one and its round-index
    // records (21 reads when written: a bucket that was emptied is looked for again, then forgotten).
    expect(new Set(files).size).toBeLessThanOrEqual(15);
    expect(filesRead).toBeLessThanOrEqual(25);
  });

  it("reads one page of a professional's 2,000 rounds, not all of them", async () => {
    for (const [folder, most] of [
      [dir, 14],
      [legacy, Number.POSITIVE_INFINITY],
    ] as const) {
      const repo = new FileRoundRepository(new JsonFileStore(folder));
      const spy = spyOnFileReads();
      const first = await repo.pageByProfessional('pro-0', { limit: 10 });
      const second = await repo.pageByProfessional('pro-0', { limit: 10, cursor: first.next });
      const reads = spy.files().length;
      spy.restore();
      expect(first.rounds).toHaveLength(10);
      expect(second.rounds.map((each) => each.id)).not.toContain(first.rounds[9].id);
      expect([...first.rounds, ...second.rounds].map((each) => each.appointmentDate)).toEqual(
        [...first.rounds, ...second.rounds]
          .map((each) => each.appointmentDate)
          .sort()
          .reverse(),
      );
      if (folder === dir) expect(reads).toBeLessThanOrEqual(2 * most);
      else expect(reads).toBeGreaterThan(2000);
    }
  });

  it('without its marker (rounds stored before the index) falls back to reading every round', async () => {
    const { notifier, filesRead, roundFolderListings } = await countedTick(legacy);
    expect(notifier.summaries.map((each) => each.round.id).sort()).toEqual(['due-a', 'due-b', 'due-c']);
    expect(roundFolderListings).toBeGreaterThan(0);
    expect(filesRead).toBeGreaterThan(2000);
  });
});

describe('the due-time index after a crash', () => {
  const until = new Date('2026-12-10T00:00:00.000Z');

  /** A store whose writes to one collection fail while `failing` is set: a crash between two steps. */
  class FailingStore extends JsonFileStore {
    failing: string | null = null;
    override update<T>(collection: string, key: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined> {
      if (collection === this.failing) return Promise.reject(new Error(`crash while writing ${collection}`));
      return super.update(collection, key, change);
    }
  }

  it('never writes a round whose new version needs an index entry that could not be added', async () => {
    const store = new FailingStore(await tempDir());
    const repo = new FileRoundRepository(store);
    await repo.create(round('r', 2, { summarySentAt: '2026-12-01T00:00:00.000Z' }));
    store.failing = RoundDueIndex.COLLECTION;
    // Releasing the summary claim makes the round due again: its deadline bucket must come first.
    await expect(repo.update('r', (current) => ({ ...current, summarySentAt: null }))).rejects.toThrow('crash');
    store.failing = null;
    expect((await repo.get('r'))?.summarySentAt).toBe('2026-12-01T00:00:00.000Z');
    await repo.update('r', (current) => ({ ...current, summarySentAt: null }));
    expect((await repo.listAwaitingSummary(until)).map((each) => each.id)).toEqual(['r']);
  });

  it('finds a round whose write failed after its new entries went in, and drops the stale entries it meets', async () => {
    const dir = await tempDir();
    const store = new FailingStore(dir);
    const repo = new FileRoundRepository(store);
    await repo.create(round('moved', 2));
    await repo.create(round('gone', 3));
    store.failing = 'rounds';
    // Complete: the entry in `awaiting-delivery` is added, then the round write "crashes".
    await expect(repo.update('moved', (current) => ({ ...current, status: 'complete' }))).rejects.toThrow('crash');
    store.failing = null;
    // A round deleted with a crash before its entries were removed.
    await new JsonFileStore(dir).delete('rounds', 'gone');

    const restarted = new FileRoundRepository(new JsonFileStore(dir));
    expect((await restarted.listAwaitingSummary(until)).map((each) => each.id)).toEqual(['moved']);
    const index = new RoundDueIndex(new JsonFileStore(dir));
    expect(await index.idsIn('awaiting-delivery')).toEqual([]);
    expect(await index.idsIn('deadline:2026-12-06')).toEqual([]);
    expect(await index.idsIn('deadline:2026-12-05')).toEqual(['moved']);
    // The emptied day leaves its catalogue once a lookup finds its bucket gone.
    expect(await index.awaitingSummaryBuckets('2026-12-31')).toEqual(['awaiting-delivery', 'deadline:2026-12-05']);
  });

  it('passes over page positions of rounds that are gone, and ends the last page with next null', async () => {
    const dir = await tempDir();
    const repo = new FileRoundRepository(new JsonFileStore(dir));
    for (const [id, days] of [
      ['p1', 10],
      ['p2', 11],
      ['p3', 12],
    ] as const)
      await repo.create(round(id, days));
    // Deleted with a crash before its index entries went.
    await new JsonFileStore(dir).delete('rounds', 'p2');
    const restarted = new FileRoundRepository(new JsonFileStore(dir));
    const first = await restarted.pageByProfessional('pro-0', { limit: 1 });
    expect(first.rounds.map((each) => each.id)).toEqual(['p3']);
    const second = await restarted.pageByProfessional('pro-0', { limit: 1, cursor: first.next });
    expect(second).toEqual({ rounds: [expect.objectContaining({ id: 'p1' })], next: null });
    expect((await restarted.pageByProfessional('pro-0', { limit: 2 })).next).toBeNull();
  });
});
