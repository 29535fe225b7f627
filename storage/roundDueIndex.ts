import type { Round } from '../services/rounds/round';
import { awaitsSummary } from '../services/rounds/roundRepository';
import type { JsonFileStore } from './jsonFileStore';
import { KeyedLock } from './keyedLock';

interface RoundList {
  roundIds: string[];
}

/** The days that have a bucket, sorted: read instead of listing the folder, whose names are hashes. */
interface DayCatalogue {
  days: string[];
}

type DayKind = 'deadline' | 'appointment';

/** Complete rounds whose summary could not be delivered: due again at once, whatever their deadline. */
const AWAITING_DELIVERY = 'awaiting-delivery';
/** Written once every stored round has its entries (a new store, or `check-store` after an upgrade). */
const BUILT_MARKER = 'built';
/** Where a deadline that does not parse goes: always looked at, and the round's own check decides. */
const UNKNOWN_DAY = '0000-00-00';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The rounds' due-time index on the file store, in its own collection `round-due`, so the scheduler
 * reads a few small records and the rounds they name instead of every round:
 * - `deadline:<YYYY-MM-DD>` → ids of `open` rounds awaiting their summary, by deadline day (UTC);
 * - `awaiting-delivery` → ids of `complete` rounds whose summary is not sent yet;
 * - `appointment:<YYYY-MM-DD>` → ids of every round, by appointment day (retention);
 * - `days:deadline`, `days:appointment` → the days that have a bucket, sorted, so finding the due
 *   buckets reads one record instead of listing a folder of hashed names;
 * - `built` → present once every stored round is in the index.
 *
 * Buckets are days, not months: the boundary bucket of a query then holds only rounds of that one
 * day, and a bucket stays small to rewrite (a day's appointments, not a month's).
 *
 * @remarks The index is derived data and may point at too much, never at too little. The invariant:
 * every stored round is in the bucket of each entry its stored version needs (`bucketsOf`), and every
 * bucket that has ids is named in its catalogue. It holds through crashes because of the order of
 * the steps (`FileRoundRepository` runs a round's steps under that round's lock):
 * - entries are added **before** the round is written (for an update: the write is refused until the
 *   index holds every entry the new version needs, then retried) and removed only **after**; a crash
 *   in between leaves entries of both versions, a stale pointer, never a missing one;
 * - a day goes into its catalogue before the first id goes into its bucket, both under that day's
 *   lock; removing the last id deletes the bucket file but leaves the catalogue alone; only a lookup
 *   that finds a catalogued bucket missing takes the day's lock, looks again and then drops the day.
 *   So no add can slip in between "the bucket is empty" and "forget the day";
 * - every lookup re-checks the round it reaches against the query; an entry whose round is gone or
 *   no longer needs that bucket is removed under the round's lock after reading the round again, so
 *   a write that has added its entry but not yet stored the round does not lose it.
 * Rounds stored before the index existed are added by `npm run admin -- check-store` (it reads every
 * record, which start-up must not do); until its marker is there the repository scans, as before.
 * Locks are per process: another process (the admin tool) only removes entries or rebuilds the index
 * while the bot is stopped.
 */
export class RoundDueIndex {
  static readonly COLLECTION = 'round-due';
  private readonly dayLocks = new KeyedLock();

  constructor(private readonly store: JsonFileStore) {}

  /** The buckets the stored version of `round` must be in. */
  static bucketsOf(round: Round): string[] {
    const buckets = [dayBucket('appointment', DAY.test(round.appointmentDate) ? round.appointmentDate : UNKNOWN_DAY)];
    if (awaitsSummary(round))
      buckets.push(round.status === 'complete' ? AWAITING_DELIVERY : dayBucket('deadline', deadlineDay(round.deadline)));
    return buckets;
  }

  async add(roundId: string, buckets: string[]): Promise<void> {
    for (const bucket of buckets) {
      const day = parseDayBucket(bucket);
      if (!day) {
        await this.addId(bucket, roundId);
        continue;
      }
      await this.dayLocks.run(bucket, async () => {
        await this.store.update<DayCatalogue>(RoundDueIndex.COLLECTION, catalogueKey(day.kind), (catalogue) =>
          catalogue?.days.includes(day.day) ? catalogue : { days: [...(catalogue?.days ?? []), day.day].sort() },
        );
        await this.addId(bucket, roundId);
      });
    }
  }

  async remove(roundId: string, buckets: string[]): Promise<void> {
    for (const bucket of buckets) {
      await this.store.update<RoundList>(RoundDueIndex.COLLECTION, bucket, (list) => {
        if (!list?.roundIds.includes(roundId)) return list;
        const roundIds = list.roundIds.filter((id) => id !== roundId);
        return roundIds.length > 0 ? { roundIds } : undefined;
      });
    }
  }

  /** The buckets of rounds awaiting their summary with a deadline on or before `lastDay`, earliest first. */
  async awaitingSummaryBuckets(lastDay: string): Promise<string[]> {
    const days = await this.days('deadline');
    return [AWAITING_DELIVERY, ...days.filter((day) => day <= lastDay).map((day) => dayBucket('deadline', day))];
  }

  /** The buckets of rounds with an appointment before `beforeDay`, oldest first. */
  async appointmentBuckets(beforeDay: string): Promise<string[]> {
    const days = await this.days('appointment');
    return days.filter((day) => day < beforeDay).map((day) => dayBucket('appointment', day));
  }

  /** The ids in a bucket; a catalogued day whose bucket is gone is dropped from its catalogue. */
  async idsIn(bucket: string): Promise<string[]> {
    const list = await this.store.read<RoundList>(RoundDueIndex.COLLECTION, bucket);
    if (list) return list.roundIds;
    const day = parseDayBucket(bucket);
    if (day) {
      await this.dayLocks.run(bucket, async () => {
        if (await this.store.read<RoundList>(RoundDueIndex.COLLECTION, bucket)) return;
        await this.store.update<DayCatalogue>(RoundDueIndex.COLLECTION, catalogueKey(day.kind), (catalogue) => {
          if (!catalogue?.days.includes(day.day)) return catalogue;
          const days = catalogue.days.filter((each) => each !== day.day);
          return days.length > 0 ? { days } : undefined;
        });
      });
    }
    return [];
  }

  async isBuilt(): Promise<boolean> {
    return (await this.store.read(RoundDueIndex.COLLECTION, BUILT_MARKER)) !== undefined;
  }

  async markBuilt(at: Date): Promise<void> {
    await this.store.write(RoundDueIndex.COLLECTION, BUILT_MARKER, { builtAt: at.toISOString() });
  }

  /**
   * Every record the index should hold for these rounds' buckets (`check-store` compares it with
   * what is stored): bucket key → ids, plus the catalogues.
   */
  static expectedRecords(buckets: Map<string, Set<string>>): Map<string, unknown> {
    const records = new Map<string, unknown>();
    const days: Record<DayKind, string[]> = { deadline: [], appointment: [] };
    for (const [bucket, ids] of buckets) {
      if (ids.size === 0) continue;
      records.set(bucket, { roundIds: [...ids].sort() } satisfies RoundList);
      const day = parseDayBucket(bucket);
      if (day) days[day.kind].push(day.day);
    }
    for (const kind of ['deadline', 'appointment'] as const) {
      if (days[kind].length > 0) records.set(catalogueKey(kind), { days: days[kind].sort() } satisfies DayCatalogue);
    }
    return records;
  }

  /** The marker's key, which `check-store` keeps (it writes it itself once the index is right). */
  static readonly BUILT_MARKER = BUILT_MARKER;

  private async days(kind: DayKind): Promise<string[]> {
    return (await this.store.read<DayCatalogue>(RoundDueIndex.COLLECTION, catalogueKey(kind)))?.days ?? [];
  }

  private async addId(bucket: string, roundId: string): Promise<void> {
    await this.store.update<RoundList>(RoundDueIndex.COLLECTION, bucket, (list) =>
      list?.roundIds.includes(roundId) ? list : { roundIds: [...(list?.roundIds ?? []), roundId] },
    );
  }
}

/** The UTC day of a deadline: rounds due before a moment are in the buckets of that moment's day and earlier. */
export function deadlineDay(deadline: string): string {
  const time = Date.parse(deadline);
  return Number.isNaN(time) ? UNKNOWN_DAY : new Date(time).toISOString().slice(0, 10);
}

function dayBucket(kind: DayKind, day: string): string {
  return `${kind}:${day}`;
}

function parseDayBucket(bucket: string): { kind: DayKind; day: string } | null {
  const [kind, day] = bucket.split(':');
  return (kind === 'deadline' || kind === 'appointment') && day !== undefined && DAY.test(day) ? { kind, day } : null;
}

function catalogueKey(kind: DayKind): string {
  return `days:${kind}`;
}
