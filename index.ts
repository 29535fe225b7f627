import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
  ConversationState,
  TurnContext,
  UserState,
} from 'botbuilder';
import { AllianceBot } from './bots/allianceBot';
import { strings } from './cards/strings';
import { AppConfig, ConfigError, parseConfig } from './config';
import { ProactiveNotifier } from './bots/proactiveNotifier';
import { RoundScheduler } from './bots/roundScheduler';
import { MainDialog } from './dialogs/mainDialog';
import { QuestionnaireDialog } from './dialogs/questionnaireDialog';
import { localeFromChannel, UserProfile } from './dialogs/userProfile';
import { ReplyInterpreter } from './services/replies/replyInterpreter';
import { DEFAULT_ITEM_BANK_PATH, ItemBankError, loadItemBank } from './services/questionnaire/itemBank';
import { ProfessionalDirectory } from './services/professionals/professionalDirectory';
import { QuestionnaireService } from './services/questionnaire/questionnaireService';
import { RoundProgress } from './services/rounds/roundProgress';
import { RoundService } from './services/rounds/roundService';
import { createHttpServer } from './server/httpServer';
import { LocalDirectLine } from './server/localDirectLine';
import { createLogger, describeError, Logger } from './logging/logger';
import { AzureAdSsoTokenValidator, HttpJwksProvider } from './server/ssoTokenValidator';
import { registerTabRoutes } from './server/tabApi';
import { TokenSigner } from './server/tokenSigner';
import { AzureWebChatTokens, LocalWebChatTokens, WebChatTokenIssuer } from './server/webChatTokens';
import { FileConversationReferenceRepository } from './storage/fileConversationReferenceRepository';
import { FileProfessionalRepository } from './storage/fileProfessionalRepository';
import { FileResponseSetRepository } from './storage/fileResponseSetRepository';
import { FileRoundRepository } from './storage/fileRoundRepository';
import { FileStateStorage } from './storage/fileStateStorage';
import { JsonFileStore } from './storage/jsonFileStore';

/**
 * Composition root: builds every part from the configuration and hands them to each other.
 * Nothing else constructs its own dependencies.
 */

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
  const store = new JsonFileStore(path.join(config.dataDir, 'records'));
  const corrupt = await store.scanForCorruption();
  for (const file of corrupt) {
    log.error('storage_corrupt_file', { file: file.filePath, problem: file.problem.slice(0, 200) });
  }
  if (corrupt.length > 0) {
    log.error('storage_corrupt_summary', {
      count: corrupt.length,
      advice:
        'These files were left untouched. Restore them from a backup or remove them; until then the records in them cannot be read or changed.',
    });
  }

  const now = (): Date => new Date();
  const itemBank = loadItemBank(config.itemBankPath ?? DEFAULT_ITEM_BANK_PATH);
  const questionnaire = new QuestionnaireService(itemBank, new FileResponseSetRepository(store), now, () => randomUUID());
  const rounds = new RoundService({
    rounds: new FileRoundRepository(store),
    now,
    newId: () => randomUUID(),
    random: randomBytes,
    invitationTtlDays: config.invitationTtlDays,
  });
  const professionals = new ProfessionalDirectory(new FileProfessionalRepository(store), now, () => randomUUID(), randomBytes);
  const references = new FileConversationReferenceRepository(store);

  const authOptions: ConfigurationBotFrameworkAuthenticationOptions = config.bot
    ? {
        MicrosoftAppId: config.bot.appId,
        MicrosoftAppPassword: config.bot.appPassword,
        MicrosoftAppType: config.bot.appType,
        MicrosoftAppTenantId: config.bot.tenantId,
      }
    : {};
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(authOptions));
  const notifier = new ProactiveNotifier(adapter, config.bot?.appId ?? '', references, itemBank, log);
  const progress = new RoundProgress(rounds, questionnaire, notifier, now, config.reminderDaysBefore, config.retentionDays);
  const scheduler = new RoundScheduler(progress, log);

  const stateStorage = new FileStateStorage(store);
  const conversationState = new ConversationState(stateStorage);
  const userState = new UserState(stateStorage);
  const profiles = userState.createProperty<UserProfile>('profile');
  const interpreter = new ReplyInterpreter();
  const mainDialog = new MainDialog({
    questionnaire,
    rounds,
    professionals,
    progress,
    references,
    profiles,
    interpreter,
    publicUrl: config.publicUrl,
    allowedTenantIds: config.allowedTenantIds,
    clientSeesSummary: config.clientSeesSummary,
    maxMessageChars: config.maxMessageChars,
    now,
  });
  const questionnaireDialog = new QuestionnaireDialog({ questionnaire, profiles, interpreter, maxMessageChars: config.maxMessageChars });
  const bot = new AllianceBot(conversationState, userState, mainDialog, [questionnaireDialog]);

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error('turn_failed', { channel: context.activity.channelId, activityType: context.activity.type, ...describeError(error) });
    // The dialog position may be what failed; answers live in their own records and stay.
    await conversationState.delete(context).catch(() => undefined);
    await context.sendActivity(strings(localeFromChannel(context.activity.locale)).errorKind).catch(() => undefined);
  };

  const signer = await TokenSigner.fromDataDir(config.dataDir);
  let origin = '';
  const directLine = config.mode === 'local' ? new LocalDirectLine({ origin: () => origin, botId: BOT_ID, store, signer, log }) : null;
  const tokens: WebChatTokenIssuer = directLine
    ? new LocalWebChatTokens(directLine, signer)
    : new AzureWebChatTokens(config.directLineSecret ?? '', config.directLineEndpoint, signer);

  const publicDir = path.join(projectRoot(), 'public');
  const ssoValidator = config.bot
    ? new AzureAdSsoTokenValidator({ appId: config.bot.appId, domain: new URL(config.publicUrl).host, jwks: new HttpJwksProvider() })
    : null;
  const { server, inFlight } = createHttpServer({
    adapter,
    runTurn: (context) => bot.run(context),
    tokens,
    directLine,
    log,
    publicDir,
    maxBodyBytes: config.maxBodyBytes,
    extraRoutes: (routes) =>
      registerTabRoutes(routes, {
        rounds,
        professionals,
        questionnaire,
        itemBank,
        signer,
        ssoValidator,
        allowedTenantIds: config.allowedTenantIds,
        publicDir,
        now,
        log,
      }),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const loopbackHost = config.host === '0.0.0.0' || config.host === '::' || config.host === 'localhost' ? '127.0.0.1' : config.host;
  origin = `http://${loopbackHost.includes(':') ? `[${loopbackHost}]` : loopbackHost}:${port}`;
  const url = config.port === 0 ? `http://localhost:${port}` : config.publicUrl;
  scheduler.start();

  return {
    url,
    origin,
    store,
    runScheduledJobs: () => scheduler.runOnce(),
    stop: async () => {
      await scheduler.stop();
      server.close();
      const deadline = Date.now() + 10000;
      while (inFlight() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await store.flush();
    },
  };
}

/** `dist/index.js` and `index.ts` both sit one level from the project root or at it. */
function projectRoot(): string {
  return path.basename(__dirname) === 'dist' ? path.dirname(__dirname) : __dirname;
}

async function main(): Promise<void> {
  // A .env file is optional; real environment variables win.
  try {
    (await import('dotenv')).config({ quiet: true });
  } catch {
    /* dotenv is optional at run time */
  }
  let config: AppConfig;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}. See .env.example and the settings table in README.md.`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  if (config.hostOverrideWarning) log.warn('host_override', { message: config.hostOverrideWarning });
  let running: RunningBot;
  try {
    running = await startBot(config, log);
  } catch (error) {
    if (error instanceof ItemBankError) {
      console.error(`Item bank error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  log.info('started', { mode: config.mode, url: running.url });
  console.log(`\nThe alliance monitor bot is running (${config.mode} mode).\nOpen ${running.url} in your browser to chat with it.\n`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    await running.stop();
    log.info('stopped', {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('The bot could not start:', error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
