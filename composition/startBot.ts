/**
 * @packageDocumentation
 * The running server: file stores, the Bot Framework adapter, the bot from `buildBot`, the web
 * chat tokens and local Direct Line, the tab API and the scheduler, on one HTTP server.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
  TurnContext,
} from 'botbuilder';
import { ProactiveNotifier } from '../bots/proactiveNotifier';
import { ReusedClientsAuthentication } from '../bots/reusedClientsAuthentication';
import { RoundScheduler } from '../bots/roundScheduler';
import { strings } from '../cards/strings';
import type { AppConfig } from '../config';
import { localeFromChannel } from '../dialogs/userProfile';
import { createLogger, describeError, Logger } from '../logging/logger';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../services/questionnaire/itemBank';
import { createHttpServer } from '../server/httpServer';
import { LocalDirectLine } from '../server/localDirectLine';
import { listen } from '../server/serverLifecycle';
import { AzureAdSsoTokenValidator, HttpJwksProvider } from '../server/ssoTokenValidator';
import { overviewLinks, registerTabRoutes } from '../server/tabApi';
import { TokenSigner } from '../server/tokenSigner';
import { localHostNames } from '../server/requestGuards';
import { AzureWebChatTokens, LocalWebChatTokens, RateLimitedWebChatTokens, WebChatTokenIssuer } from '../server/webChatTokens';
import { AccessRecorder } from '../services/access/accessRecorder';
import { CorruptRecordError, JsonFileStore } from '../storage/jsonFileStore';
import { buildBot } from './buildBot';
import { logCorruptFile, openFileStores, openTranscriptStore, type FileStores } from './fileStores';
import { openPostgresStores } from './postgresStores';

export interface RunningBot {
  /** Where people open the chat, e.g. http://localhost:3978. */
  url: string;
  /** This server's address on this machine (with the real port when PORT=0). */
  origin: string;
  store: JsonFileStore;
  /** Runs the deadline and reminder jobs now (they also run once a minute). */
  runScheduledJobs(): Promise<void>;
  stop(): Promise<void>;
}

const BOT_ID = 'alliance-monitor-bot';

export async function startBot(config: AppConfig, log: Logger = createLogger(config.logLevel)): Promise<RunningBot> {
  const now = (): Date => new Date();
  const { store, transcriptStore, stores, accessLog, signer, usedLinks, tokenLimiters, closeStores } = await openStores(config, log, now);
  const itemBank = loadItemBank(config.itemBankPath ?? DEFAULT_ITEM_BANK_PATH);

  const authOptions: ConfigurationBotFrameworkAuthenticationOptions = config.bot
    ? {
        MicrosoftAppId: config.bot.appId,
        MicrosoftAppPassword: config.bot.appPassword,
        MicrosoftAppType: config.bot.appType,
        MicrosoftAppTenantId: config.bot.tenantId,
      }
    : {};
  let origin = '';
  const directLine =
    config.mode === 'local'
      ? new LocalDirectLine({
          origin: () => origin,
          botId: BOT_ID,
          store,
          transcriptStore,
          signer,
          log,
          allowedHostNames: localHostNames(config.publicUrl),
          budget: {
            maxClientTextChars: config.maxMessageChars,
            perConversationBytes: config.transcriptBytesPerConversation,
            totalBytes: config.transcriptBytesTotal,
          },
        })
      : null;
  // Local mode: the adapter's connector calls carry the local Direct Line's per-process key.
  const adapter = new CloudAdapter(
    new ReusedClientsAuthentication(new ConfigurationBotFrameworkAuthentication(authOptions, directLine?.connectorCredentials())),
  );
  const access = new AccessRecorder(accessLog, now, (error) => log.error('access_log_failed', describeError(error)));
  // With PORT=0 the real address is known only after listening; links are made later than that.
  let publicBase = config.publicUrl;
  const overviewLink = (professionalId: string, channelId: string): Promise<string | null> =>
    overviewLinks(signer, publicBase, config.teamsAppId, stores.professionals)(professionalId, channelId);
  const notifier = new ProactiveNotifier(adapter, config.bot?.appId ?? '', stores.references, itemBank, log, overviewLink);
  // Several instances may share one database: each names itself in the job leases it takes.
  const instanceId = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const built = buildBot(config, stores, {
    itemBank,
    notifier,
    now,
    newId: () => randomUUID(),
    random: randomBytes,
    access,
    overviewLink,
    instanceId,
  });
  const scheduler = new RoundScheduler(built.progress, log, { intervalMs: config.schedulerIntervalSeconds * 1000 });

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const unreadable = unreadableRecordIn(error);
    log.error(unreadable ? 'turn_failed_unreadable_record' : 'turn_failed', {
      channel: context.activity.channelId,
      activityType: context.activity.type,
      file: unreadable?.filePath,
      ...describeError(unreadable ?? error),
    });
    // The dialog position may be what failed; answers live in their own records and stay.
    await built.conversationState.delete(context).catch(() => undefined);
    const s = strings(localeFromChannel(context.activity.locale));
    // Never "your answers are safe" when they are what cannot be read.
    await context.sendActivity(unreadable ? s.recordUnreadable : s.errorKind).catch(() => undefined);
  };

  const tokens: WebChatTokenIssuer = new RateLimitedWebChatTokens(
    directLine
      ? new LocalWebChatTokens(directLine, signer)
      : new AzureWebChatTokens(config.directLineSecret ?? '', config.directLineEndpoint, signer),
    signer,
    tokenLimiters,
  );

  const publicDir = path.join(projectRoot(), 'public');
  const ssoValidator = config.bot
    ? new AzureAdSsoTokenValidator({ appId: config.bot.appId, domain: new URL(config.publicUrl).host, jwks: new HttpJwksProvider() })
    : null;
  const { server, inFlight, refuseNewRequests } = createHttpServer({
    adapter,
    runTurn: (context) => built.bot.run(context),
    tokens,
    directLine,
    log,
    publicDir,
    maxBodyBytes: config.maxBodyBytes,
    // Local mode answers only to its own names (DNS rebinding); production sits behind Azure's front door.
    allowedHostNames: config.mode === 'local' ? localHostNames(config.publicUrl) : null,
    allowLocalEmulator: config.allowLocalEmulator,
    extraRoutes: (routes) =>
      registerTabRoutes(routes, {
        rounds: built.rounds,
        professionals: built.professionals,
        questionnaire: built.questionnaire,
        itemBank,
        signer,
        ssoValidator,
        allowedTenantIds: config.allowedTenantIds,
        publicDir,
        now,
        log,
        access,
        usedLinks,
      }),
  });

  const listening = await listen(server, {
    port: config.port,
    host: config.host,
    publicUrl: config.publicUrl,
    inFlight,
    refuseNewRequests,
  });
  origin = listening.origin;
  publicBase = listening.url;
  scheduler.start();
  directLine?.startSweeping();

  return {
    url: listening.url,
    origin,
    store,
    runScheduledJobs: () => scheduler.runOnce(),
    stop: async () => {
      await scheduler.stop();
      directLine?.stopSweeping();
      // Open streams would keep the server from closing; pages reconnect by themselves.
      directLine?.closeStreams();
      await listening.drain();
      await directLine?.flush();
      await store.flush();
      await closeStores();
    },
  };
}

/** What either backend gives; `store` holds every record without a database, with one only the local Direct Line's transcripts. */
interface OpenedStores extends FileStores {
  closeStores: () => Promise<void>;
}

/** PostgreSQL when `DATABASE_URL` is set, else the embedded file store. */
async function openStores(config: AppConfig, log: Logger, now: () => Date): Promise<OpenedStores> {
  if (config.databaseUrl === null) {
    const files = await openFileStores(config.dataDir, log, { retentionDays: config.retentionDays, now });
    // The journal is checkpointed and emptied: the next start has nothing to replay.
    return { ...files, closeStores: () => files.store.close() };
  }
  const database = await openPostgresStores(config.databaseUrl, log, {
    migrationsDir: path.join(projectRoot(), 'migrations'),
    retentionDays: config.retentionDays,
    now,
  });
  // The local Direct Line keeps its transcripts in files: it serves one instance only.
  const recordsDir = path.join(config.dataDir, 'records');
  return {
    store: new JsonFileStore(recordsDir, undefined, logCorruptFile(log)),
    transcriptStore: openTranscriptStore(recordsDir, log),
    stores: database.stores,
    accessLog: database.accessLog,
    signer: new TokenSigner(database.signingKey),
    usedLinks: database.usedLinks,
    tokenLimiters: database.tokenLimiters,
    closeStores: () => database.close(),
  };
}

/** The unreadable record behind a turn error; botbuilder-dialogs wraps errors (`DialogContextError.error`). */
function unreadableRecordIn(error: unknown): CorruptRecordError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    if (current instanceof CorruptRecordError) return current;
    const wrapper = current as { error?: unknown; cause?: unknown };
    current = wrapper.error ?? wrapper.cause;
  }
  return null;
}

/** `dist/composition/startBot.js` and `composition/startBot.ts` both sit one level below the project root (or two, in dist). */
function projectRoot(): string {
  const parent = path.dirname(__dirname);
  return path.basename(parent) === 'dist' ? path.dirname(parent) : parent;
}
