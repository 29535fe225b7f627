import type { Round } from './round';

/** Where rounds are kept; `FileRoundRepository` and `InMemoryRoundRepository` implement it. */
export interface RoundRepository {
  get(id: string): Promise<Round | undefined>;
  /** Throws when a round with this id exists already. */
  create(round: Round): Promise<void>;
  /**
   * Applies `change` atomically (no other update of this round runs in between); returning the
   * very object it was given means "no change". Throws `RoundNotFoundError` when there is none.
   * `change` may run more than once (an adapter may retry it on the record as it is then, as the
   * file adapter does to put index entries first, and the PostgreSQL adapter after another writer
   * got there first): only its last run counts.
   */
  update(id: string, change: (current: Round) => Round): Promise<Round>;
  delete(id: string): Promise<void>;
  /**
   * Every round of one professional (any order): for the domain's own lookups (the previous round
   * of a client, rounds pointing at a deleted one). Screens use `pageByProfessional`.
   */
  listByProfessional(professionalId: string): Promise<Round[]>;
  /**
   * One page of a professional's rounds, newest appointment first (then newest created, then id);
   * `cursor` is the previous page's `next`. What people see is paged, so a long career stays quick.
   */
  pageByProfessional(professionalId: string, page: RoundPageRequest): Promise<RoundPage>;
  /** Only a round whose *current* invitation has this code hash. */
  findByCodeHash(hash: string): Promise<Round | undefined>;
  /** Only a round whose *current* invitation has this link-token hash. */
  findByLinkTokenHash(hash: string): Promise<Round | undefined>;
  findByClientUser(userId: string): Promise<Round[]>;
  /**
   * The scheduler's work list: rounds whose summary is not sent yet, that are `open` with a deadline
   * before `deadlineBefore`, or `complete` (a summary whose delivery failed), earliest deadline first.
   * It must not read rounds outside that set: it grows with the rounds in progress, never with all
   * rounds ever stored.
   */
  listAwaitingSummary(deadlineBefore: Date): Promise<Round[]>;
  /**
   * At most `limit` rounds (any status) whose appointment date (YYYY-MM-DD) is before `date`, oldest
   * first: the retention clean-up deletes them, so the next call gets the next ones.
   */
  listAppointmentBefore(date: string, limit: number): Promise<Round[]>;
  /** Every round, one at a time (exports of any size); the order is not defined. */
  streamAll(): AsyncIterable<Round>;
}

export interface RoundPageRequest {
  limit: number;
  /** The `next` of the previous page; absent or `null` for the first page. */
  cursor?: string | null;
}

export interface RoundPage {
  rounds: Round[];
  /** Pass as `cursor` for the next page; `null` when this was the last. */
  next: string | null;
}

/** The order of a professional's pages: newest appointment first, then newest created, then id. */
type PagePosition = Pick<Round, 'appointmentDate' | 'createdAt' | 'id'>;

export function professionalPageOrder(a: PagePosition, b: PagePosition): number {
  return b.appointmentDate.localeCompare(a.appointmentDate) || b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);
}

/** The position of a round in `professionalPageOrder`, as a cursor: a page still continues right after it when that round is gone. */
export function pageCursor(round: PagePosition): string {
  return [round.appointmentDate, round.createdAt, round.id].join('|');
}

/** The parts of a cursor from `pageCursor`; `null` when it is not one (then the first page is given). */
export function parsePageCursor(cursor: string | null | undefined): PagePosition | null {
  const parts = cursor?.split('|');
  if (!parts || parts.length !== 3 || parts.some((part) => part.length === 0)) return null;
  const [appointmentDate, createdAt, id] = parts as [string, string, string];
  return { appointmentDate, createdAt, id };
}

/** A page of `rounds` (any order) after the cursor: for adapters that hold one professional's rounds at once (in memory, the file index). */
export function pageOf(rounds: Round[], page: RoundPageRequest): RoundPage {
  const after = parsePageCursor(page.cursor);
  const sorted = [...rounds].sort(professionalPageOrder);
  const rest = after ? sorted.filter((round) => professionalPageOrder(round, after) > 0) : sorted;
  const limit = Math.max(1, Math.floor(page.limit));
  const slice = rest.slice(0, limit);
  const last = slice.at(-1);
  return { rounds: slice, next: last && rest.length > limit ? pageCursor(last) : null };
}

/** Whether the scheduler has anything left to do for this round before retention (see `listAwaitingSummary`). */
export function awaitsSummary(round: Round): boolean {
  return round.summarySentAt === null && (round.status === 'open' || round.status === 'complete');
}
