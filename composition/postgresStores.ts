/**
 * @packageDocumentation
 * The PostgreSQL stores (`DATABASE_URL`): every repository, the bot state, the access log, the
 * code-attempt limiter, the web-token signing key, the used tab links and the token endpoint's rate
 * limits on one connection pool, so any number of instances can serve one bot.
 */
import type { Pool } from 'pg';
import type { Logger } from '../logging/logger';
import { DEFAULT_TOKEN_RATE_LIMITS, type TokenRateLimiters } from '../server/webChatTokens';
import type { AccessLog } from '../services/access/accessLog';
import type { SingleUseLinks } from '../services/professionals/singleUseLinks';
import { assertSchemaCurrent, createPool, SchemaNotCurrentError } from '../storage/postgres/database';
import { PostgresAccessLog } from '../storage/postgres/postgresAccessLog';
import { PostgresAttemptLimiter } from '../storage/postgres/postgresAttemptLimiter';
import { PostgresConversationReferenceRepository } from '../storage/postgres/postgresConversationReferenceRepository';
import { PostgresProfessionalRepository } from '../storage/postgres/postgresProfessionalRepository';
import { PostgresRateLimiter } from '../storage/postgres/postgresRateLimiter';
import { PostgresResponseSetRepository } from '../storage/postgres/postgresResponseSetRepository';
import { PostgresRoundRepository } from '../storage/postgres/postgresRoundRepository';
import { PostgresSingleUseLinks } from '../storage/postgres/postgresSingleUseLinks';
import { sharedSecret } from '../storage/postgres/postgresSecrets';
import { PostgresStateStorage } from '../storage/postgres/postgresStateStorage';
import type { BotStores } from './buildBot';

export { SchemaNotCurrentError };

export interface PostgresStores {
  pool: Pool;
  stores: BotStores;
  accessLog: AccessLog;
  /** The key that signs web tokens, the same for every instance. */
  signingKey: Buffer;
  usedLinks: SingleUseLinks;
  tokenLimiters: TokenRateLimiters;
  /** Ends the pool's connections: after the server has drained. */
  close(): Promise<void>;
}

export interface PostgresStoreOptions {
  /** Where the migration files are (`migrations/` at the project root). */
  migrationsDir: string;
  retentionDays: number;
  now: () => Date;
}

/**
 * Connects, checks that every migration has run, and builds the stores.
 *
 * @remarks It refuses to start on an outdated schema instead of migrating by itself: with several
 * instances, the old ones still serve while a new release starts, and a schema change is a step of
 * the release (`npm run db:migrate`, once), not something each starting instance should race to do.
 * @throws SchemaNotCurrentError (logged as `database_schema_not_current` with what to run); the
 * connection error when the database cannot be reached (logged as `database_unreachable`).
 */
export async function openPostgresStores(databaseUrl: string, log: Logger, options: PostgresStoreOptions): Promise<PostgresStores> {
  const pool = createPool(databaseUrl, (error) =>
    log.error('database_idle_connection_failed', { kind: error.name, message: error.message }),
  );
  try {
    await assertSchemaCurrent(pool, options.migrationsDir);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof SchemaNotCurrentError) {
      log.error('database_schema_not_current', {
        pending: error.pending.length,
        first: error.pending[0],
        advice: 'Run `npm run db:migrate` with the same DATABASE_URL, then start again.',
      });
    } else {
      log.error('database_unreachable', { kind: (error as Error).name, code: (error as { code?: string }).code ?? null });
    }
    throw error;
  }
  const { now } = options;
  const signingKey = await sharedSecret(pool, 'web-token-signing-key');
  return {
    pool,
    stores: {
      responseSets: new PostgresResponseSetRepository(pool),
      rounds: new PostgresRoundRepository(pool),
      professionals: new PostgresProfessionalRepository(pool),
      references: new PostgresConversationReferenceRepository(pool, now),
      state: new PostgresStateStorage(pool),
      attempts: new PostgresAttemptLimiter(pool, { now }),
    },
    accessLog: new PostgresAccessLog(pool, options.retentionDays, now),
    signingKey,
    usedLinks: new PostgresSingleUseLinks(pool, now),
    tokenLimiters: {
      newIdentitiesPerAddress: new PostgresRateLimiter(
        pool,
        'new-identities-per-address',
        DEFAULT_TOKEN_RATE_LIMITS.newIdentitiesPerAddress,
      ),
      requestsPerIdentity: new PostgresRateLimiter(pool, 'token-requests-per-identity', DEFAULT_TOKEN_RATE_LIMITS.requestsPerIdentity),
    },
    close: () => pool.end(),
  };
}
