import { awaitsSummary, pageOf, RoundPage, RoundPageRequest, RoundRepository } from '../services/rounds/roundRepository';
import { Round, RoundNotFoundError } from '../services/rounds/round';
import { JsonFileStore } from './jsonFileStore';

interface RoundPointer {
  roundId: string;
}

interface RoundList {
  roundIds: string[];
}

/**
 * Rounds on the file store, one file each, with small index records in `round-index` so a chat
 * turn reads a few files instead of every round:
 * `code:<hash>` and `link:<hash>` → round id; `professional:<id>` and `client:<user id>` → round ids.
 *
 * @remarks The index is derived data. Entries are added before a new round is written and removed
 * after a round changes or goes, and every lookup checks the round it reaches still matches. So an
 * index entry may point at too much after a crash, never at the wrong round, and a replaced
 * invitation code stops working even if its old entry is still there.
 */
export class FileRoundRepository implements RoundRepository {
  private static readonly COLLECTION = 'rounds';
  private static readonly INDEX = 'round-index';

  constructor(private readonly store: JsonFileStore) {}

  get(id: string): Promise<Round | undefined> {
    return this.store.read<Round>(FileRoundRepository.COLLECTION, id);
  }

  async create(round: Round): Promise<void> {
    // Index first: a crash right after leaves pointers to nothing (ignored), never an unreachable round.
    await this.addToIndex(round, []);
    await this.store.update<Round>(FileRoundRepository.COLLECTION, round.id, (current) => {
      if (current) throw new Error(`round ${round.id} exists already`);
      return round;
    });
  }

  async update(id: string, change: (current: Round) => Round): Promise<Round> {
    let before: Round | undefined;
    const after = await this.store.update<Round>(FileRoundRepository.COLLECTION, id, (current) => {
      if (!current) throw new RoundNotFoundError(id);
      before = structuredClone(current);
      return change(current);
    });
    if (!after) throw new RoundNotFoundError(id);
    const oldKeys = before ? indexEntries(before) : [];
    await this.addToIndex(after, oldKeys);
    await this.removeFromIndex(after.id, oldKeys, indexEntries(after));
    return after;
  }

  async delete(id: string): Promise<void> {
    const round = await this.get(id);
    await this.store.delete(FileRoundRepository.COLLECTION, id);
    if (round) await this.removeFromIndex(id, indexEntries(round), []);
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
    return pageOf(await this.listByProfessional(professionalId), page);
  }

  async *streamAll(): AsyncIterable<Round> {
    for await (const record of this.store.stream<Round>(FileRoundRepository.COLLECTION)) yield record.value;
  }

  // TODO(issue 15): a due-time index instead of reading every round.
  async listAwaitingSummary(deadlineBefore: Date): Promise<Round[]> {
    const limit = deadlineBefore.getTime();
    const rounds = await this.listEvery();
    return rounds
      .filter((round) => awaitsSummary(round) && (round.status === 'complete' || Date.parse(round.deadline) < limit))
      .sort((a, b) => a.deadline.localeCompare(b.deadline));
  }

  async listAppointmentBefore(date: string, limit: number): Promise<Round[]> {
    const rounds = await this.listEvery();
    return rounds
      .filter((round) => round.appointmentDate < date)
      .sort((a, b) => a.appointmentDate.localeCompare(b.appointmentDate))
      .slice(0, limit);
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
      if (existing.some((old) => old.key === entry.key)) continue;
      if (entry.kind === 'pointer') {
        await this.store.write<RoundPointer>(FileRoundRepository.INDEX, entry.key, { roundId: round.id });
      } else {
        await this.store.update<RoundList>(FileRoundRepository.INDEX, entry.key, (list) =>
          list?.roundIds.includes(round.id) ? list : { roundIds: [...(list?.roundIds ?? []), round.id] },
        );
      }
    }
  }

  private async removeFromIndex(roundId: string, oldEntries: IndexEntry[], keep: IndexEntry[]): Promise<void> {
    for (const entry of oldEntries) {
      if (keep.some((kept) => kept.key === entry.key)) continue;
      if (entry.kind === 'pointer') {
        await this.store.update<RoundPointer>(FileRoundRepository.INDEX, entry.key, (pointer) =>
          pointer?.roundId === roundId ? undefined : pointer,
        );
      } else {
        await this.store.update<RoundList>(FileRoundRepository.INDEX, entry.key, (list) => {
          if (!list?.roundIds.includes(roundId)) return list;
          const roundIds = list.roundIds.filter((id) => id !== roundId);
          return roundIds.length > 0 ? { roundIds } : undefined;
        });
      }
    }
  }
}

interface IndexEntry {
  key: string;
  kind: 'pointer' | 'list';
}

function indexEntries(round: Round): IndexEntry[] {
  const entries: IndexEntry[] = [
    { key: `code:${round.invitation.codeHash}`, kind: 'pointer' },
    { key: `link:${round.invitation.linkTokenHash}`, kind: 'pointer' },
    { key: `professional:${round.professionalId}`, kind: 'list' },
  ];
  if (round.clientUserId !== null) entries.push({ key: `client:${round.clientUserId}`, kind: 'list' });
  return entries;
}
