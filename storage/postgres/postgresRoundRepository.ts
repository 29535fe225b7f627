import type { Pool } from 'pg';
import { RoundNotFoundError, type Round } from '../../services/rounds/round';
import {
  parsePageCursor,
  pageCursor,
  type RoundPage,
  type RoundPageRequest,
  type RoundRepository,
} from '../../services/rounds/roundRepository';
import { RecordTable } from './recordTable';

/** Ids compare byte by byte, as in the indexes, whatever the database's collation. */
const ID = 'id COLLATE "C"';

/**
 * Rounds in `rounds`: the record as jsonb, with the fields the lookups select on (professional,
 * current code and link hashes, client user, status, deadline, summary sent, appointment date,
 * created) as indexed columns, so every query reads only the rounds it returns.
 *
 * @remarks The columns are rewritten with the record on every change, in the same statement, so a
 * replaced invitation code stops matching at once.
 */
export class PostgresRoundRepository extends RecordTable<Round> implements RoundRepository {
  constructor(pool: Pool) {
    super(pool, {
      table: 'rounds',
      columns: {
        professional_id: (round) => round.professionalId,
        code_hash: (round) => round.invitation.codeHash,
        link_token_hash: (round) => round.invitation.linkTokenHash,
        client_user_id: (round) => round.clientUserId,
        status: (round) => round.status,
        deadline: (round) => round.deadline,
        summary_sent_at: (round) => round.summarySentAt ?? null,
        appointment_date: (round) => round.appointmentDate,
        created_at: (round) => round.createdAt,
      },
      notFound: (id) => new RoundNotFoundError(id),
    });
  }

  listByProfessional(professionalId: string): Promise<Round[]> {
    return this.select('professional_id = $1', [professionalId], ID);
  }

  async pageByProfessional(professionalId: string, page: RoundPageRequest): Promise<RoundPage> {
    const limit = Math.max(1, Math.floor(page.limit));
    const after = databasePosition(parsePageCursor(page.cursor));
    const order = `appointment_date DESC, created_at DESC, ${ID}`;
    // One more than asked tells whether another page follows.
    const rounds = after
      ? await this.select(
          `professional_id = $1 AND (appointment_date < $2::date
             OR (appointment_date = $2::date AND (created_at < $3::timestamptz OR (created_at = $3::timestamptz AND ${ID} > $4))))`,
          [professionalId, after.appointmentDate, after.createdAt, after.id],
          order,
          limit + 1,
        )
      : await this.select('professional_id = $1', [professionalId], order, limit + 1);
    const slice = rounds.slice(0, limit);
    const last = slice.at(-1);
    return { rounds: slice, next: last && rounds.length > limit ? pageCursor(last) : null };
  }

  async findByCodeHash(hash: string): Promise<Round | undefined> {
    const [found] = await this.select('code_hash = $1', [hash], ID, 1);
    return found;
  }

  async findByLinkTokenHash(hash: string): Promise<Round | undefined> {
    const [found] = await this.select('link_token_hash = $1', [hash], ID, 1);
    return found;
  }

  findByClientUser(userId: string): Promise<Round[]> {
    return this.select('client_user_id = $1', [userId], ID);
  }

  listAwaitingSummary(deadlineBefore: Date): Promise<Round[]> {
    // The condition repeats the partial index's, so the planner reads only that index.
    return this.select(
      `summary_sent_at IS NULL AND status IN ('open', 'complete') AND (status = 'complete' OR deadline < $1)`,
      [deadlineBefore.toISOString()],
      `deadline, ${ID}`,
    );
  }

  listAppointmentBefore(date: string, limit: number): Promise<Round[]> {
    return this.select('appointment_date < $1::date', [date], `appointment_date, ${ID}`, limit);
  }

  streamAll(): AsyncIterable<Round> {
    return this.stream();
  }
}

/**
 * A cursor whose date and time the database can read, or `null` (the first page): a cursor comes
 * back from the client, and one that was tampered with must not become a database error.
 */
function databasePosition(position: ReturnType<typeof parsePageCursor>): ReturnType<typeof parsePageCursor> {
  if (!position) return null;
  const day = Date.parse(`${position.appointmentDate}T00:00:00.000Z`);
  const created = Date.parse(position.createdAt);
  if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== position.appointmentDate) return null;
  if (Number.isNaN(created) || !/^\d{4}-\d{2}-\d{2}T/.test(position.createdAt)) return null;
  return position;
}
