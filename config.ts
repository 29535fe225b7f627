/**
 * @packageDocumentation
 * The one place that reads the environment. Everything else receives a typed `AppConfig`.
 *
 * @remarks Values are validated once at start-up; a wrong value stops the bot with a message that
 * names the variable, so a mistake in `.env` is found before the first client opens the page.
 */
import path from 'node:path';

export type AppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

export interface BotIdentity {
  appId: string;
  appPassword: string;
  appType: AppType;
  tenantId: string;
}

export interface AppConfig {
  /** `local`: no Azure account, a Direct Line emulator on this machine; `production`: Azure Bot Service. */
  mode: 'local' | 'production';
  port: number;
  host: string;
  /** Set when HOST widens a local-mode server beyond loopback: worth a warning at start-up. */
  hostOverrideWarning: string | null;
  /** The address people open; used in invitation links and the Teams tab. */
  publicUrl: string;
  dataDir: string;
  /**
   * PostgreSQL (`DATABASE_URL`): every store and all state that instances must share live there, so
   * several instances can serve one bot. `null`: the embedded file store under `dataDir` (one instance).
   */
  databaseUrl: string | null;
  /** `null` in local mode. */
  bot: BotIdentity | null;
  directLineSecret: string | null;
  directLineEndpoint: string;
  itemBankPath: string | null;
  allowedTenantIds: string[];
  /**
   * Local mode, development only: `/api/messages` also takes unsigned activities whose `serviceUrl`
   * is on loopback (a channel emulator such as Microsoft 365 Agents Playground on this machine).
   */
  allowLocalEmulator: boolean;
  /** The Teams app's id (`TEAMS_APP_ID`): with it, "Overzicht" in Teams opens the static tab; `null` without. */
  teamsAppId: string | null;
  /** Largest accepted HTTP body, in bytes; larger bodies get 413. */
  maxBodyBytes: number;
  /** Longest typed message the bot reads; longer ones get a kind request to keep it short. */
  maxMessageChars: number;
  /** Local Direct Line: bytes of transcript kept in memory per conversation and over all conversations. */
  transcriptBytesPerConversation: number;
  transcriptBytesTotal: number;
  invitationTtlDays: number;
  reminderDaysBefore: number;
  clientSeesSummary: boolean;
  /** Records older than this are deleted by the retention job; 0 keeps them until deleted by hand. */
  retentionDays: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Seconds between scheduler ticks on each instance (spread by a random part, see `bots/roundScheduler.ts`). */
  schedulerIntervalSeconds: number;
  /** Seconds a claimed job (a summary or reminder being sent, a deletion) is left to its instance before another may take it. */
  jobLeaseSeconds: number;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Setting ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | null {
  const value = env[name];
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (/^(true|1|yes|ja)$/i.test(raw)) return true;
  if (/^(false|0|no|nee)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function url(env: Env, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a full URL such as https://bot.example.org, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(name, `must start with http:// or https://, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function databaseUrl(env: Env): string | null {
  const raw = text(env, 'DATABASE_URL');
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'must be a URL such as postgres://user:password@host:5432/database');
  }
  // Never echo the value: it usually holds a password.
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// or postgresql://, got "${parsed.protocol}//…"`);
  }
  return raw;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
const APP_TYPES: readonly AppType[] = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'];

/**
 * Reads `.env` from the working directory into `process.env` (real environment variables win).
 * The server and `npm run admin` both call this before `parseConfig`, so they see the same settings.
 */
export async function loadDotEnv(): Promise<void> {
  try {
    (await import('dotenv')).config({ quiet: true });
  } catch {
    /* dotenv is optional at run time */
  }
}

/** Turns an environment into a validated configuration; throws `ConfigError` naming the variable. */
export function parseConfig(env: Env, cwd: string = process.cwd()): AppConfig {
  const appId = text(env, 'MicrosoftAppId');
  const mode = appId ? 'production' : 'local';
  // 0 lets the system pick a free port (tests, several bots on one machine).
  const port = integer(env, 'PORT', 3978, 0, 65535);

  const hostSetting = text(env, 'HOST');
  const host = hostSetting ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0');
  const hostOverrideWarning =
    mode === 'local' && !LOOPBACK_HOSTS.has(host)
      ? `HOST=${host}: the local Direct Line has no Azure sign-in, so anyone who can reach this address can chat with the bot. Use it only on a network you trust.`
      : null;

  let bot: BotIdentity | null = null;
  if (appId) {
    const appTypeRaw = text(env, 'MicrosoftAppType') ?? 'MultiTenant';
    const appType = APP_TYPES.find((t) => t.toLowerCase() === appTypeRaw.toLowerCase());
    if (!appType) throw new ConfigError('MicrosoftAppType', `must be one of ${APP_TYPES.join(', ')}, got "${appTypeRaw}"`);
    const appPassword = text(env, 'MicrosoftAppPassword') ?? '';
    if (appType !== 'UserAssignedMSI' && !appPassword) {
      throw new ConfigError('MicrosoftAppPassword', 'is required when MicrosoftAppId is set');
    }
    const tenantId = text(env, 'MicrosoftAppTenantId') ?? '';
    if (appType !== 'MultiTenant' && !tenantId) {
      throw new ConfigError('MicrosoftAppTenantId', `is required when MicrosoftAppType is ${appType}`);
    }
    bot = { appId, appPassword, appType, tenantId };
  }

  const logLevelRaw = (text(env, 'LOG_LEVEL') ?? (env.NODE_ENV === 'test' ? 'warn' : 'info')).toLowerCase();
  const logLevel = LOG_LEVELS.find((l) => l === logLevelRaw);
  if (!logLevel) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevelRaw}"`);

  const tenants = (text(env, 'ALLOWED_TENANT_IDS') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  for (const tenant of tenants) {
    if (!GUID.test(tenant)) {
      throw new ConfigError('ALLOWED_TENANT_IDS', `must be a comma-separated list of tenant GUIDs, got "${tenant}"`);
    }
  }

  const itemBankSetting = text(env, 'ITEM_BANK_PATH');
  const teamsAppId = text(env, 'TEAMS_APP_ID');
  if (teamsAppId !== null && !GUID.test(teamsAppId)) throw new ConfigError('TEAMS_APP_ID', `must be a GUID, got "${teamsAppId}"`);

  return {
    mode,
    port,
    host,
    hostOverrideWarning,
    publicUrl: url(env, 'PUBLIC_URL', `http://localhost:${port}`),
    dataDir: path.resolve(cwd, text(env, 'DATA_DIR') ?? 'data'),
    databaseUrl: databaseUrl(env),
    bot,
    directLineSecret: text(env, 'DIRECT_LINE_SECRET'),
    directLineEndpoint: url(env, 'DIRECT_LINE_ENDPOINT', 'https://directline.botframework.com'),
    itemBankPath: itemBankSetting ? path.resolve(cwd, itemBankSetting) : null,
    allowedTenantIds: tenants,
    allowLocalEmulator: mode === 'local' && flag(env, 'ALLOW_LOCAL_EMULATOR', false),
    teamsAppId,
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 256 * 1024, 1024, 10 * 1024 * 1024),
    maxMessageChars: integer(env, 'MAX_MESSAGE_CHARS', 2000, 50, 100000),
    transcriptBytesPerConversation: integer(env, 'TRANSCRIPT_BYTES_PER_CONVERSATION', 256 * 1024, 16 * 1024, 64 * 1024 * 1024),
    transcriptBytesTotal: integer(env, 'TRANSCRIPT_BYTES_TOTAL', 64 * 1024 * 1024, 1024 * 1024, 4 * 1024 * 1024 * 1024),
    invitationTtlDays: integer(env, 'INVITATION_TTL_DAYS', 14, 1, 365),
    reminderDaysBefore: integer(env, 'REMINDER_DAYS_BEFORE', 2, 0, 60),
    clientSeesSummary: flag(env, 'CLIENT_SEES_SUMMARY', false),
    retentionDays: integer(env, 'RETENTION_DAYS', 365, 0, 3650),
    logLevel,
    schedulerIntervalSeconds: integer(env, 'SCHEDULER_INTERVAL_SECONDS', 60, 1, 3600),
    jobLeaseSeconds: integer(env, 'JOB_LEASE_SECONDS', 300, 1, 86400),
  };
}
