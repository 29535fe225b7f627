/**
 * @packageDocumentation
 * Wires the bot from its configuration and its stores: the domain services, the dialogs, the bot
 * and its scheduler jobs. The server (`index.ts` with `server/runServer.ts`) and the test harness
 * (`test/helpers/botHarness.ts`) both build the bot here, so tests run the same wiring as production.
 */
import { ConversationState, Storage, UserState } from 'botbuilder';
import type { AppConfig } from '../config';
import { AllianceBot } from '../bots/allianceBot';
import type { TurnWrites } from '../bots/turnWrites';
import { MainDialog } from '../dialogs/mainDialog';
import type { UserProfile } from '../dialogs/userProfile';
import type { AccessRecorder } from '../services/access/accessRecorder';
import type { ConversationReferenceRepository } from '../services/conversations/conversationReferenceRepository';
import { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import type { ProfessionalRepository } from '../services/professionals/professionalRepository';
import type { OverviewLinkIssuer } from '../services/professionals/overviewLinks';
import type { ItemBank } from '../services/questionnaire/itemBank';
import { QuestionnaireService } from '../services/questionnaire/questionnaireService';
import type { ResponseSetRepository } from '../services/questionnaire/responseSetRepository';
import { ReplyInterpreter } from '../services/replies/replyInterpreter';
import type { AttemptLimiter } from '../services/rounds/attemptLimiter';
import type { RoundNotifier } from '../services/rounds/roundNotifier';
import { RoundProgress } from '../services/rounds/roundProgress';
import type { RoundRepository } from '../services/rounds/roundRepository';
import { RoundService } from '../services/rounds/roundService';
import { ETagCheckedStorage } from '../bots/eTagCheckedStorage';

/** Everything the bot keeps: the domain repositories and botbuilder's state storage. */
export interface BotStores {
  responseSets: ResponseSetRepository;
  rounds: RoundRepository;
  professionals: ProfessionalRepository;
  references: ConversationReferenceRepository;
  state: Storage;
  /** Failed invitation-code attempts: in memory for one instance, in the database for several. */
  attempts: AttemptLimiter;
  /** How a turn's writes reach the disk before its replies (the file store defers and collects them). */
  turnWrites?: TurnWrites;
}

/** What the bot needs from the world outside its stores; tests pass a fake clock and fixed ids. */
export interface BotRuntime {
  itemBank: ItemBank;
  notifier: RoundNotifier;
  now: () => Date;
  newId: () => string;
  random: (bytes: number) => Buffer;
  /** Reused when given: building it reads the lexicon, which is worth doing once per process. */
  interpreter?: ReplyInterpreter;
  /** Notes every summary shown in chat in the access log. */
  access: AccessRecorder;
  /** Links to the professional's tab for "Overzicht"; without it there is no such button. */
  overviewLink?: OverviewLinkIssuer;
  /** Names this process in the job leases it takes, so a database shows which instance holds what. */
  instanceId?: string;
}

export type BotSettings = Pick<
  AppConfig,
  | 'publicUrl'
  | 'allowedTenantIds'
  | 'clientSeesSummary'
  | 'maxMessageChars'
  | 'invitationTtlDays'
  | 'reminderDaysBefore'
  | 'retentionDays'
  | 'jobLeaseSeconds'
> &
  Partial<Pick<AppConfig, 'mode'>>;

export interface BuiltBot {
  bot: AllianceBot;
  conversationState: ConversationState;
  userState: UserState;
  questionnaire: QuestionnaireService;
  rounds: RoundService;
  professionals: ProfessionalDirectory;
  progress: RoundProgress;
}

export function buildBot(config: BotSettings, stores: BotStores, runtime: BotRuntime): BuiltBot {
  const { itemBank, notifier, now, newId, random } = runtime;
  const questionnaire = new QuestionnaireService(itemBank, stores.responseSets, now, newId);
  const rounds = new RoundService({
    rounds: stores.rounds,
    now,
    newId,
    random,
    invitationTtlDays: config.invitationTtlDays,
    limiter: stores.attempts,
    instanceId: runtime.instanceId,
    jobLeaseMs: config.jobLeaseSeconds * 1000,
  });
  const professionals = new ProfessionalDirectory(stores.professionals, now, newId, random);
  const progress = new RoundProgress({
    rounds,
    questionnaire,
    notifier,
    now,
    reminderDaysBefore: config.reminderDaysBefore,
    retentionDays: config.retentionDays,
    access: runtime.access,
  });

  // botbuilder writes state with eTag '*' (last writer wins); this makes it write with the eTag it read.
  const stateStorage = new ETagCheckedStorage(stores.state);
  const conversationState = new ConversationState(stateStorage);
  const userState = new UserState(stateStorage);
  const profiles = userState.createProperty<UserProfile>('profile');
  const interpreter = runtime.interpreter ?? new ReplyInterpreter();
  const mainDialog = new MainDialog({
    questionnaire,
    rounds,
    professionals,
    progress,
    references: stores.references,
    profiles,
    interpreter,
    publicUrl: config.publicUrl,
    allowedTenantIds: config.allowedTenantIds,
    clientSeesSummary: config.clientSeesSummary,
    maxMessageChars: config.maxMessageChars,
    now,
    access: runtime.access,
    newActionId: newId,
    overviewLink: runtime.overviewLink ?? (async () => null),
    // Production: the web page talks to Azure's Direct Line, which announces a new conversation before
    // the page sends its opening event. Local mode's own Direct Line announces only when asked to.
    channelsWithPageOpening: config.mode === 'production' ? new Set(['directline']) : undefined,
  });
  const bot = new AllianceBot(conversationState, userState, mainDialog, stores.turnWrites);
  return { bot, conversationState, userState, questionnaire, rounds, professionals, progress };
}
