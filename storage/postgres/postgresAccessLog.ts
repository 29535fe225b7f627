import type { Pool } from 'pg';
import { redactEntry, type AccessEntry, type AccessLog, type AccessLogFilter } from '../../services/access/accessLog';
import { inTransaction } from './database';

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE_SIZE = 500;

/**
 * The access log in `access_log`, one row per entry, shared by every instance and the admin tool.
 *
 * @remarks Retention deletes entries older than `retentionDays` (0 keeps everything), at most once
 * a day per process when something is recorded; several instances doing so the same day only
 * repeat a cheap indexed delete. Reading pages by `(at, id)`, so a long log is never held whole.
 */
export class PostgresAccessLog implements AccessLog {
  private lastPrunedDay = '';

  constructor(
    private readonly pool: Pool,
    private readonly retentionDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(entry: AccessEntry): Promise<void> {
    await this.pool.query('INSERT INTO access_log (at, round_id, entry) VALUES ($1, $2, $3)', [
      entry.at,
      entry.roundId,
      JSON.stringify(entry),
    ]);
    await this.pruneOncePerDay();
  }

  async *read(filter: AccessLogFilter): AsyncIterable<AccessEntry> {
    const byRound = filter.roundId !== undefined;
    let after: { at: Date; id: string } | null = null;
    for (;;) {
      const conditions: string[] = [];
      const parameters: unknown[] = [];
      if (byRound) {
        parameters.push(filter.roundId);
        conditions.push(`round_id = $${parameters.length}`);
      }
      if (after) {
        parameters.push(after.at, after.id);
        conditions.push(`(at, id) > ($${parameters.length - 1}, $${parameters.length})`);
      }
      const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
      const page = await this.pool.query<{ id: string; at: Date; entry: AccessEntry }>(
        `SELECT id, at, entry FROM access_log ${where} ORDER BY at, id LIMIT ${PAGE_SIZE}`,
        parameters,
      );
      for (const row of page.rows) yield row.entry;
      if (page.rows.length < PAGE_SIZE) return;
      const last = page.rows[page.rows.length - 1];
      after = { at: last.at, id: last.id };
    }
  }

  /** The database picks the entries that name an erased id; `redactEntry` (the one rule) rewrites them. */
  redact(personIds: ReadonlySet<string>, roundIds: ReadonlySet<string>): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const candidates = await client.query<{ id: string; entry: AccessEntry }>(
        `SELECT id, entry FROM access_log
         WHERE round_id = ANY($2)
            OR entry->>'subjectId' = ANY($1)
            OR substring(entry->>'who' FROM position(':' IN entry->>'who') + 1) = ANY($1)
         FOR UPDATE`,
        [[...personIds], [...roundIds]],
      );
      let changed = 0;
      for (const row of candidates.rows) {
        const redacted = redactEntry(row.entry, personIds, roundIds);
        if (redacted === row.entry) continue;
        await client.query('UPDATE access_log SET round_id = $2, entry = $3 WHERE id = $1', [
          row.id,
          redacted.roundId,
          JSON.stringify(redacted),
        ]);
        changed += 1;
      }
      return changed;
    });
  }

  private async pruneOncePerDay(): Promise<void> {
    const today = this.now().toISOString().slice(0, 10);
    if (this.retentionDays <= 0 || this.lastPrunedDay === today) return;
    this.lastPrunedDay = today;
    await this.pool.query('DELETE FROM access_log WHERE at < $1', [new Date(this.now().getTime() - this.retentionDays * DAY_MS)]);
  }
}
