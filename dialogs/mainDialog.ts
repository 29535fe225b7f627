import type { AccessRecorder } from '../services/access/accessRecorder';
import { Activity, ActivityTypes, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogContext, DialogInstance, DialogTurnResult } from 'botbuilder-dialogs';
// Not the package root, which loads every prompt and its text recognizers (see `bots/allianceBot.ts`).
import { Dialog } from 'botbuilder-dialogs/lib/dialog';
import type { ConversationReferenceRepository } from '../services/conversations/conversationReferenceRepository';
import type { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import type { OverviewLinkIssuer } from '../services/professionals/overviewLinks';
import type { QuestionnaireService } from '../services/questionnaire/questionnaireService';
import type { Interpretation } from '../services/replies/replyInterpreter';
import { RoundParticipation } from '../services/rounds/roundParticipation';
import type { RoundProgress } from '../services/rounds/roundProgress';
import type { RoundService } from '../services/rounds/roundService';
import type { Locale } from '../services/vocabulary';
import { ConversationTurn } from './conversationTurn';
import { AfterQuestionnaireFlow } from './flows/afterQuestionnaire';
import { ClientJoinFlow } from './flows/clientJoinFlow';
import { ProfessionalRoundsFlow } from './flows/professionalRoundsFlow';
import { ProfessionalSignInFlow } from './flows/professionalSignInFlow';
import { QuestionnaireFlow } from './flows/questionnaireFlow';
import { WelcomeFlow } from './flows/welcomeFlow';
import { Interruptions } from './interruptions';
import type { ConversationMemory } from './pendingContext';
import { createRoutingTable, route, RoutingTable, TurnIntent } from './routes';
import { meaningOfText } from './textMeaning';
import { readTurnInput } from './turnInput';
import { defaultProfile, localeFromChannel, UserProfile } from './userProfile';

export const MAIN_DIALOG = 'mainDialog';

/** Event names the web page sends after it opens a personal link or an invitation link. */
export const SIGN_IN_EVENT = 'professionalSignIn';
export const JOIN_EVENT = 'joinRound';
/**
 * The web page opened a chat without a personal or invitation link: a new conversation, or a link
 * with a language (`?lang=`, carried as `value.locale`). Take the language, then greet or show this
 * person where they are.
 */
export const PAGE_LOCALE_EVENT = 'pageLocale';

/** Reads a typed reply; `services/replies/replyInterpreter` implements it. */
export interface ReplyInterpreter {
  interpret(text: string, locale: Locale, options?: { scaleLabels?: string[] }): Interpretation;
}

export interface MainDialogDeps {
  questionnaire: QuestionnaireService;
  rounds: RoundService;
  professionals: ProfessionalDirectory;
  progress: RoundProgress;
  references: ConversationReferenceRepository;
  profiles: StatePropertyAccessor<UserProfile>;
  interpreter: ReplyInterpreter;
  publicUrl: string;
  allowedTenantIds: string[];
  clientSeesSummary: boolean;
  maxMessageChars: number;
  now: () => Date;
  /** Notes every summary shown in chat in the access log. */
  access: AccessRecorder;
  /** A fresh one-time id for each card that creates or changes something. */
  newActionId: () => string;
  overviewLink: OverviewLinkIssuer;
  /**
   * Channels on which our web page sends its own opening event (a link's `joinRound` or
   * `professionalSignIn`, else `pageLocale`), so "someone joined" is no reason to greet there. Azure's
   * Direct Line announces every new conversation before the page can say who is there; greeting
   * then would ask "Wie ben jij?" of a client who opened their join link.
   */
  channelsWithPageOpening?: ReadonlySet<string>;
}

/**
 * The conversation engine: one dialog for the whole conversation. Each turn it identifies the
 * person, turns the input into one intent (a card verb, typed text read in the pending context, or
 * a channel event) and runs that intent's handler from the one routing table (`routes.ts`).
 *
 * @remarks Shaped after the Bot Framework samples' `CancelAndHelpDialog` (interruptions handled in
 * one place for every step) and teams-ai's verb → handler table. What the conversation waits for is
 * explicit state (`PendingContext`), never implied by which dialog happens to be on the stack. The
 * flows in `flows/` hold the steps; services decide and store.
 */
export class MainDialog extends Dialog<ConversationMemory> {
  private readonly routes: RoutingTable;
  private readonly signIn: ProfessionalSignInFlow;

  constructor(private readonly deps: MainDialogDeps) {
    super(MAIN_DIALOG);
    const participation = new RoundParticipation(deps.rounds, deps.questionnaire, deps.progress);
    const clientJoin = new ClientJoinFlow(deps.rounds, deps.questionnaire, deps.references);
    const after = new AfterQuestionnaireFlow(deps.questionnaire, deps.rounds, deps.clientSeesSummary);
    // The questionnaire hands back to the welcome flow, which is built after it.
    const greet = (turn: ConversationTurn): Promise<void> => welcome.greet(turn);
    const questions = new QuestionnaireFlow(deps.questionnaire, participation, {
      completed: (turn, outcome) => after.completed(turn, outcome),
      greet,
    });
    const welcome = new WelcomeFlow(deps.questionnaire, participation, clientJoin, questions, deps.overviewLink);
    this.signIn = new ProfessionalSignInFlow(deps.professionals, deps.references, deps.allowedTenantIds, deps.overviewLink);
    const professionalRounds = new ProfessionalRoundsFlow({
      questionnaire: deps.questionnaire,
      rounds: deps.rounds,
      progress: deps.progress,
      participation,
      publicUrl: deps.publicUrl,
      now: deps.now,
      access: deps.access,
      newActionId: deps.newActionId,
      overviewLink: deps.overviewLink,
      notAProfessional: async (turn) => {
        // A professional's card in a client's chat, or a card from a conversation that moved on.
        await turn.say(turn.s.staleCard(null));
        return welcome.greet(turn);
      },
    });
    this.routes = createRoutingTable({
      welcome,
      signIn: this.signIn,
      clientJoin,
      professionalRounds,
      questions,
      interruptions: new Interruptions(deps.questionnaire, (turn) => questions.reprompt(turn)),
      maxMessageChars: deps.maxMessageChars,
    });
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.continueDialog(dc);
  }

  /** In a `DialogSet` (the bot runs it through `runTurn`, without one): the same turn, always waiting for more. */
  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const active = dc.activeDialog;
    if (!active) throw new Error('no active dialog');
    await this.runTurn(dc.context, active);
    return Dialog.EndOfTurn;
  }

  /** One turn of the conversation; `instance.state` is its memory (`ConversationMemory`). */
  async runTurn(context: TurnContext, instance: DialogInstance): Promise<void> {
    const turn = new ConversationTurn(context, await this.profile(context), this.memoryOf(instance));
    if (!(await this.signIn.identify(turn))) return;
    const intent = this.intentOf(turn);
    if (intent) await route(this.routes, turn, intent);
  }

  /** The one intent of this turn, or `null` for something to ignore. */
  private intentOf(turn: ConversationTurn): TurnIntent | null {
    const activity = turn.context.activity;
    const input = readTurnInput(activity, this.deps.maxMessageChars);
    switch (input.kind) {
      case 'joined':
        if (this.deps.channelsWithPageOpening?.has(activity.channelId)) return null;
        return { verb: 'conversationJoined' };
      case 'event':
        return this.eventIntent(turn, activity);
      case 'invalidValue':
        return { verb: 'invalidValue' };
      case 'tooLong':
        return { verb: 'tooLong' };
      case 'action':
        return input.action;
      case 'text': {
        const profile = turn.profile;
        const scaleLabels = this.deps.questionnaire.itemBank.scale(profile.register, profile.locale).map((point) => point.label);
        const reading = this.deps.interpreter.interpret(input.text, profile.locale, { scaleLabels });
        return meaningOfText(turn.pending, input.text, reading, {
          signedInProfessional: profile.professionalId !== null,
          locale: profile.locale,
          scaleLabels,
        });
      }
      case 'none':
        return null;
    }
  }

  private eventIntent(turn: ConversationTurn, activity: Activity): TurnIntent | null {
    if (activity.type !== ActivityTypes.Event) return null;
    const value = (activity.value ?? {}) as { secret?: unknown; token?: unknown; locale?: unknown };
    if (value.locale === 'en' || value.locale === 'nl') turn.profile.locale = value.locale;
    if (activity.name === SIGN_IN_EVENT) return { verb: 'professionalSignIn', secret: value.secret };
    if (activity.name === JOIN_EVENT) return { verb: 'joinRound', token: value.token };
    // The page's own opening (with the link's language, if any): it asked for no greeting before it, so greet now.
    if (activity.name === PAGE_LOCALE_EVENT) return { verb: 'conversationJoined' };
    return null;
  }

  private memoryOf(instance: DialogInstance): ConversationMemory {
    const stored = (instance.state ?? {}) as Partial<ConversationMemory>;
    // State saved before pending contexts existed has none: start with nothing open.
    const memory: ConversationMemory = { ...stored, pending: stored.pending ?? { kind: 'none' } };
    instance.state = memory;
    return memory;
  }

  private async profile(context: TurnContext): Promise<UserProfile> {
    const profile = await this.deps.profiles.get(context, defaultProfile(localeFromChannel(context.activity.locale)));
    // Profiles saved before rounds existed lack these fields.
    profile.professionalId ??= null;
    profile.roundId ??= null;
    return profile;
  }
}
