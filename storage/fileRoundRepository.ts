import {
  awaitsSummary,
  pageCursor,
  pageOf,
  parsePageCursor,
  professionalPageOrder,
  RoundPage,
  RoundPageRequest,
  RoundRepository,
} from '../services/rounds/roundRepository';
import { Round, RoundNotFoundError } from '../services/rounds/round';
import { JsonFileStore } from './jsonFileStore';
import { KeyedLock } from './keyedLock';
import { deadlineDay, RoundDueIndex } from './roundDueIndex';

interface RoundPointer {
  roundId: string;
}

interface RoundList {
  roundIds: string[];
}

/** A professional's rounds as page positions (`pageCursor`): appointment, creation and id never change. */
interface PositionList {
  positions: string[];
}

/**
 * Rounds on the file store, one file each, with small index records in `round-index` so a chat
 * turn reads a few files instead of every round:
 * `code:<hash>` and `link:<hash>` → round id; `professional:<id>` and `client:<user id>` → round ids;
 * `pages:<professional id>` → the positions of their rounds in page order, so a page reads that one
 * record and the rounds it shows (when the index is built, see `dueIndexReady`).
 *
 * @remarks The index is derived data. Entries are added before a new round is written and removed
 * after a round changes or goes, and every lookup checks the round it reaches still matches. So an
 * index entry may point at too much after a crash, never at the wrong round, and a replaced
 * invitation code stops working even if its old entry is still there.
 *
 * The scheduler's queries go through the due-time index (`RoundDueIndex`, collection `round-due`),
 * kept by the same rule and checked more strictly: its entries are added before every write that
 * needs them, also for updates. A round's writes and index steps run under that round's lock.
 */
export class FileRoundRepository implements RoundRepository {
  static readonly COLLECTION = 'rounds';
  static readonly INDEX = 'round-index';

  private readonly due: RoundDueIndex;
  private readonly roundLocks = new KeyedLock();
  private dueIndexBuilt = false;
  private opened: Promise<void> | null = null;

  constructor(private readonly store: JsonFileStore) {
    this.due = new RoundDueIndex(store);
  }

  get(id: string): Promise<Round | undefined> {
    return this.store.read<Round>(FileRoundRepository.COLLECTION, id);
  }

  async create(round: Round): Promise<void> {
    await this.open();
    await this.roundLocks.run(round.id, async () => {
      // Index first: a crash right after leaves pointers to nothing (ignored), never an unreachable round.
      await this.addToIndex(round, []);
      await this.due.add(round.id, RoundDueIndex.bucketsOf(round));
      await this.store.update<Round>(FileRoundRepository.COLLECTION, round.id, (current) => {
        if (current) throw new Error(`round ${round.id} exists already`);
        return round;
      });
    });
  }

  /**
   * @remarks `change` may run more than once: when its result needs a due-index entry the stored
   * version does not have, nothing is written, the entry is added, and the change runs again on the
   * record as it is then.
   */
  async update(id: string, change: (current: Round) => Round): Promise<Round> {
    await this.open();
    return this.roundLocks.run(id, async () => {
      const added = new Set<string>();
      for (;;) {
        let before: Round | undefined;
        let missing: string[] = [];
        const after = await this.store.update<Round>(FileRoundRepository.COLLECTION, id, (current) => {
          if (!current) throw new RoundNotFoundError(id);
          before = structuredClone(current);
          const next = change(current);
          const had = new Set([...RoundDueIndex.bucketsOf(before), ...added]);
          missing = RoundDueIndex.bucketsOf(next).filter((bucket) => !had.has(bucket));
          // Returning the object the store gave means "no change": nothing is written yet.
          return missing.length > 0 ? current : next;
        });
        if (missing.length > 0) {
          await this.due.add(id, missing);
          for (const bucket of missing) added.add(bucket);
          continue;
        }
        if (!after || !before) throw new RoundNotFoundError(id);
        const oldKeys = indexEntries(before);
        await this.addToIndex(after, oldKeys);
        await this.removeFromIndex(oldKeys, indexEntries(after));
        const needed = new Set(RoundDueIndex.bucketsOf(after));
        const stale = [...new Set([...RoundDueIndex.bucketsOf(before), ...added])].filter((bucket) => !needed.has(bucket));
        await this.due.remove(id, stale);
        return after;
      }
    });
  }

  async delete(id: string): Promise<void> {
    await this.open();
    await this.roundLocks.run(id, async () => {
      const round = await this.get(id);
      await this.store.delete(FileRoundRepository.COLLECTION, id);
      if (!round) return;
      await this.removeFromIndex(indexEntries(round), []);
      await this.due.remove(id, RoundDueIndex.bucketsOf(round));
    });
  }

  async listByProfessional(professionalId: string): Promise<Round[]> {
    const rounds = await this.followList(`professional:${professionalId}`);
    return rounds.filter((round) => round.professionalId === professionalId);
  }

  async findByCodeHash(hash: string): Promise<Round | undefined> {
    const round = await this.follow(`code:${hash}`);
    return round && round.invitation.codeHash === hash ? round : undefined;
  }

  async findByLinkTokenHash(hash: string): Promise<Round | undefined> {
    const round = await this.follow(`link:${hash}`);
    return round && round.invitation.linkTokenHash === hash ? round : undefined;
  }

  async findByClientUser(userId: string): Promise<Round[]> {
    const rounds = await this.followList(`client:${userId}`);
    return rounds.filter((round) => round.clientUserId === userId);
  }

  async pageByProfessional(professionalId: string, page: RoundPageRequest): Promise<RoundPage> {
    if (!(await this.dueIndexReady())) return pageOf(await this.listByProfessional(professionalId), page);
    const record = await this.store.read<PositionList>(FileRoundRepository.INDEX, `pages:${professionalId}`);
    const after = parsePageCursor(page.cursor);
    const positions = (record?.positions ?? [])
      .flatMap((position) => {
        const parsed = parsePageCursor(position);
        return parsed && (!after || professionalPageOrder(parsed, after) > 0) ? [parsed] : [];
      })
      .sort(professionalPageOrder);
    const limit = Math.max(1, Math.floor(page.limit));
    const rounds: Round[] = [];
    // One round past the page tells whether another page follows; a stale position is passed over.
    for (const position of positions) {
      if (rounds.length > limit) break;
      const round = await this.get(position.id);
      if (round && round.professionalId === professionalId && pageCursor(round) === pageCursor(position)) rounds.push(round);
    }
    const shown = rounds.slice(0, limit);
    const last = shown.at(-1);
    return { rounds: shown, next: last && rounds.length > limit ? pageCursor(last) : null };
  }

  async *streamAll(): AsyncIterable<Round> {
    for await (const record of this.store.stream<Round>(FileRoundRepository.COLLECTION)) yield record.value;
  }

  async listAwaitingSummary(deadlineBefore: Date): Promise<Round[]> {
    const limit = deadlineBefore.getTime();
    const matches = (round: Round): boolean => awaitsSummary(round) && (round.status === 'complete' || Date.parse(round.deadline) < limit);
    let rounds: Round[];
    if (await this.dueIndexReady()) {
      const buckets = await this.due.awaitingSummaryBuckets(deadlineDay(new Date(limit - 1).toISOString()));
      rounds = await this.roundsInBuckets(buckets, matches, Number.POSITIVE_INFINITY);
    } else {
      rounds = (await this.listEvery()).filter(matches);
    }
    return rounds.sort((a, b) => a.deadline.localeCompare(b.deadline));
  }

  async listAppointmentBefore(date: string, limit: number): Promise<Round[]> {
    const matches = (round: Round): boolean => round.appointmentDate < date;
    const rounds = (await this.dueIndexReady())
      ? await this.roundsInBuckets(await this.due.appointmentBuckets(date), matches, limit)
      : (await this.listEvery()).filter(matches);
    return rounds.sort((a, b) => a.appointmentDate.localeCompare(b.appointmentDate)).slice(0, limit);
  }

  /**
   * Whether the due-time index holds every stored round. On a store without rounds it is built by
   * definition (the marker is written then); after an upgrade `npm run admin -- check-store` builds it,
   * and until then the scheduler's queries read every round, as they did before the index.
   */
  async dueIndexReady(): Promise<boolean> {
    await this.open();
    if (!this.dueIndexBuilt) this.dueIndexBuilt = await this.due.isBuilt();
    return this.dueIndexBuilt;
  }

  /** The rounds of these buckets that match, at most `limit`; entries that no longer fit their round are removed. */
  private async roundsInBuckets(buckets: string[], matches: (round: Round) => boolean, limit: number): Promise<Round[]> {
    const found = new Map<string, Round>();
    for (const bucket of buckets) {
      for (const id of await this.due.idsIn(bucket)) {
        if (found.size >= limit) return [...found.values()];
        if (found.has(id)) continue;
        const round = await this.get(id);
        if (!round || !RoundDueIndex.bucketsOf(round).includes(bucket)) {
          await this.dropStaleDueEntry(id, bucket);
          continue;
        }
        if (matches(round)) found.set(id, round);
      }
    }
    return [...found.values()];
  }

  /** Looks again under the round's lock: a write may have added the entry and not stored the round yet. */
  private async dropStaleDueEntry(id: string, bucket: string): Promise<void> {
    await this.roundLocks.run(id, async () => {
      const round = await this.get(id);
      if (!round || !RoundDueIndex.bucketsOf(round).includes(bucket)) await this.due.remove(id, [bucket]);
    });
  }

  /** Once per repository: a store without any round gets the due-index marker before its first write. */
  private open(): Promise<void> {
    this.opened ??= (async () => {
      if (await this.due.isBuilt()) return;
      if ((await this.store.count(FileRoundRepository.COLLECTION)) === 0) await this.due.markBuilt(new Date());
    })().catch((error: unknown) => {
      this.opened = null; // a failed look (a full disk, say) is tried again by the next call
      throw error;
    });
    return this.opened;
  }

  private async listEvery(): Promise<Round[]> {
    const records = await this.store.list<Round>(FileRoundRepository.COLLECTION);
    return records.map((record) => record.value);
  }

  private async follow(key: string): Promise<Round | undefined> {
    const pointer = await this.store.read<RoundPointer>(FileRoundRepository.INDEX, key);
    return pointer ? this.get(pointer.roundId) : undefined;
  }

  private async followList(key: string): Promise<Round[]> {
    const list = await this.store.read<RoundList>(FileRoundRepository.INDEX, key);
    const rounds: Round[] = [];
    for (const id of list?.roundIds ?? []) {
      const round = await this.get(id);
      if (round) rounds.push(round);
    }
    return rounds;
  }

  private async addToIndex(round: Round, existing: IndexEntry[]): Promise<void> {
    for (const entry of indexEntries(round)) {
      if (existing.some((old) => old.key === entry.key && old.member === entry.member)) continue;
      if (entry.kind === 'pointer') {
        await this.store.write<RoundPointer>(FileRoundRepository.INDEX, entry.key, { roundId: entry.member });
      } else {
        const field = entry.kind === 'list' ? 'roundIds' : 'positions';
        await this.store.update<Record<string, string[]>>(FileRoundRepository.INDEX, entry.key, (list) =>
          list?.[field]?.includes(entry.member) ? list : { [field]: [...(list?.[field] ?? []), entry.member] },
        );
      }
    }
  }

  private async removeFromIndex(oldEntries: IndexEntry[], keep: IndexEntry[]): Promise<void> {
    for (const entry of oldEntries) {
      if (keep.some((kept) => kept.key === entry.key && kept.member === entry.member)) continue;
      if (entry.kind === 'pointer') {
        await this.store.update<RoundPointer>(FileRoundRepository.INDEX, entry.key, (pointer) =>
          pointer?.roundId === entry.member ? undefined : pointer,
        );
      } else {
        const field = entry.kind === 'list' ? 'roundIds' : 'positions';
        await this.store.update<Record<string, string[]>>(FileRoundRepository.INDEX, entry.key, (list) => {
          if (!list?.[field]?.includes(entry.member)) return list;
          const members = list[field].filter((member) => member !== entry.member);
          return members.length > 0 ? { [field]: members } : undefined;
        });
      }
    }
  }
}

export interface IndexEntry {
  key: string;
  /** `pointer`: `{ roundId }`; `list`: `{ roundIds }`; `positions`: `{ positions }` (page positions). */
  kind: 'pointer' | 'list' | 'positions';
  /** What the record holds for this round: its id, or its page position. */
  member: string;
}

/** The `round-index` records a round is found through (`check-store` rebuilds them from the rounds). */
export function indexEntries(round: Round): IndexEntry[] {
  const entries: IndexEntry[] = [
    { key: `code:${round.invitation.codeHash}`, kind: 'pointer', member: round.id },
    { key: `link:${round.invitation.linkTokenHash}`, kind: 'pointer', member: round.id },
    { key: `professional:${round.professionalId}`, kind: 'list', member: round.id },
    { key: `pages:${round.professionalId}`, kind: 'positions', member: pageCursor(round) },
  ];
  if (round.clientUserId !== null) entries.push({ key: `client:${round.clientUserId}`, kind: 'list', member: round.id });
  return entries;
}
