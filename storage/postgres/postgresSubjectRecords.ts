import type { ClientBase, Pool } from 'pg';
import type { StoredConversationReference } from '../../services/conversations/conversationReferenceRepository';
import type { Professional } from '../../services/professionals/professional';
import type { ResponseSet } from '../../services/questionnaire/responseSet';
import type { Round } from '../../services/rounds/round';
import {
  ErasureIncompleteError,
  type ErasureMentions,
  type FoundSubject,
  type IdMentions,
  type LimiterRecord,
  type StoreErasure,
  type StoredRecord,
  type SubjectRecordStore,
} from '../../services/subjects/subjectRecords';
import { inTransaction, MIGRATIONS_TABLE } from './database';
import { redactAccessLog } from './postgresAccessLog';
import { PostgresProfessionalRepository } from './postgresProfessionalRepository';
import { PostgresResponseSetRepository } from './postgresResponseSetRepository';
import { PostgresRoundRepository } from './postgresRoundRepository';

const PAGE_SIZE = 500;

/**
 * The limiter rows keyed by a person (`$1`, their ids) or by one of their rounds (`$2`): failed
 * invitation-code attempts per identity and per round, and the token endpoint's requests per
 * identity. The per-address windows are keyed by network address, which names no one we know, and
 * empty themselves within minutes.
 */
const LIMITER_ROWS = [
  {
    table: 'code_attempt_failures',
    select: 'scope AS limiter, key, failed_at AS at',
    where: "(scope = 'identity' AND key = ANY($1)) OR (scope = 'round' AND key = ANY($2))",
    byRound: true,
  },
  { table: 'rate_limit_events', select: 'limiter, key, at', where: 'key = ANY($1)', byRound: false },
] as const;

/**
 * Tables the final sweep reads, and whether their rows belong to rounds (then the erased rounds' and
 * sets' ids count too). The access log is redacted, never swept: its entries keep the fact that
 * something was viewed. `used_link_nonces` holds random nonces and `secrets` keys, naming no one.
 */
const SWEPT_TABLES: readonly { table: string; roundRecords: boolean }[] = [
  { table: 'rounds', roundRecords: true },
  { table: 'response_sets', roundRecords: true },
  { table: 'code_attempt_failures', roundRecords: true },
  { table: 'professionals', roundRecords: false },
  { table: 'conversation_references', roundRecords: false },
  { table: 'bot_state', roundRecords: false },
  { table: 'rate_limit_events', roundRecords: false },
];
/** Besides the swept ones, the tables the check after the erasure reads with the rounds' ids as well. */
const ROUND_NAMING_TABLES = new Set(['access_log', ...SWEPT_TABLES.filter((swept) => swept.roundRecords).map((swept) => swept.table)]);

/** Rows of `table` whose jsonb text holds one of `$1`, the needles of `IdMentions`. */
function mentionedIn(table: string): string {
  return `${table} AS candidate WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS needle WHERE strpos(to_jsonb(candidate)::text, needle) > 0)`;
}

/**
 * A person's records in PostgreSQL, for services/subjects/subjectRecords.ts.
 *
 * @remarks `erase` is one transaction: the deletes, the access-log redaction, the sweep and then a
 * check of every table in the schema (a table added later and not yet known here included). When
 * that check still finds the person, it throws and the transaction rolls back, so the database is
 * either without the person or exactly as before.
 */
export class PostgresSubjectRecords implements SubjectRecordStore {
  private readonly professionals: PostgresProfessionalRepository;
  private readonly roundRepository: PostgresRoundRepository;
  private readonly responseRepository: PostgresResponseSetRepository;

  constructor(private readonly pool: Pool) {
    this.professionals = new PostgresProfessionalRepository(pool);
    this.roundRepository = new PostgresRoundRepository(pool);
    this.responseRepository = new PostgresResponseSetRepository(pool);
  }

  professional(id: string): Promise<Professional | undefined> {
    return this.professionals.get(id);
  }

  async conversationReference(key: string): Promise<StoredConversationReference | undefined> {
    const result = await this.pool.query<{ reference: Record<string, unknown>; updated_at: Date }>(
      'SELECT reference, updated_at FROM conversation_references WHERE key = $1',
      [key],
    );
    const row = result.rows[0];
    return row && { key, reference: row.reference, updatedAt: row.updated_at.toISOString() };
  }

  async *botState(): AsyncIterable<StoredRecord> {
    let after = '';
    for (;;) {
      const page = await this.pool.query<{ key: string; document: unknown }>(
        `SELECT key, document FROM bot_state WHERE key > $1 ORDER BY key LIMIT ${PAGE_SIZE}`,
        [after],
      );
      for (const row of page.rows) yield { key: row.key, value: row.document };
      if (page.rows.length < PAGE_SIZE) return;
      after = page.rows[page.rows.length - 1].key;
    }
  }

  rounds(): AsyncIterable<Round> {
    return this.roundRepository.streamAll();
  }

  responseSets(): AsyncIterable<ResponseSet> {
    return this.responseRepository.streamAll();
  }

  async limiterRecords(personIds: readonly string[], roundIds: readonly string[]): Promise<LimiterRecord[]> {
    const result = await this.pool.query<{ limiter: string; key: string; at: Date }>(
      `${LIMITER_ROWS.map(({ table, select, where }) => `SELECT ${select} FROM ${table} WHERE ${where}`).join(' UNION ALL ')} ORDER BY at`,
      [personIds, roundIds],
    );
    return result.rows.map((row) => ({ limiter: row.limiter, key: row.key, at: row.at.toISOString() }));
  }

  erase(found: FoundSubject, mentions: ErasureMentions): Promise<StoreErasure> {
    const roundIds = found.rounds.map((round) => round.id);
    const setIds = [...found.responseSets.map((set) => set.id), ...found.linkedResponseSetIds];
    return inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM rounds WHERE id = ANY($1)', [roundIds]);
      await client.query('DELETE FROM response_sets WHERE id = ANY($1)', [setIds]);
      await client.query('DELETE FROM conversation_references WHERE key = ANY($1)', [found.conversationReferences.map((r) => r.key)]);
      await client.query('DELETE FROM bot_state WHERE key = ANY($1)', [found.botState.map((record) => record.key)]);
      if (found.professional) await client.query('DELETE FROM professionals WHERE id = $1', [found.professional.id]);
      for (const { table, where, byRound } of LIMITER_ROWS) {
        await client.query(`DELETE FROM ${table} WHERE ${where}`, byRound ? [found.personIds, roundIds] : [found.personIds]);
      }
      const accessLogEntriesRedacted = await redactAccessLog(client, new Set(found.personIds), new Set(roundIds));
      let strayRecords = 0;
      for (const { table, roundRecords } of SWEPT_TABLES) {
        const swept = await client.query(`DELETE FROM ${mentionedIn(table)}`, [
          (roundRecords ? mentions.personOrRound : mentions.person).needles,
        ]);
        strayRecords += swept.rowCount ?? 0;
      }
      await assertNothingLeft(client, mentions);
      return { accessLogEntriesRedacted, strayRecords };
    });
  }
}

/** Reads every table of the schema (but the migration history) for the person, within the erasure's transaction. */
async function assertNothingLeft(client: ClientBase, { person, personOrRound }: ErasureMentions): Promise<void> {
  const tables = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> $1 ORDER BY table_name`,
    [MIGRATIONS_TABLE],
  );
  const left: string[] = [];
  for (const { name } of tables.rows) {
    const mentions: IdMentions = ROUND_NAMING_TABLES.has(name) ? personOrRound : person;
    const counted = await client.query<{ count: string }>(`SELECT count(*) AS count FROM ${mentionedIn(`"${name}"`)}`, [mentions.needles]);
    const count = Number(counted.rows[0].count);
    if (count > 0) left.push(`${name}: ${count}`);
  }
  if (left.length > 0) throw new ErasureIncompleteError(left);
}
