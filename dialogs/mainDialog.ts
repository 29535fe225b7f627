import { Activity, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogReason, DialogTurnResult } from 'botbuilder-dialogs';
import type { CardAction } from '../cards/cardActions';
import { createClientResultsCard } from '../cards/clientResultsCard';
import { createHelpCard } from '../cards/helpCard';
import { createIntroCard, createResumeCard, createThanksCard } from '../cards/messageCards';
import {
  createDeleteRoundCard,
  createInvitationCard,
  createJoinCodeCard,
  createProfessionalMenuCard,
  createRoundFormCard,
  createRoundListCard,
  RoundListEntry,
} from '../cards/roundCards';
import { createSettingsCard } from '../cards/settingsCard';
import { strings } from '../cards/strings';
import { createSummaryCard } from '../cards/summaryCard';
import { createWelcomeCard } from '../cards/welcomeCard';
import { professionalActor } from '../services/access/accessLog';
import type { AccessRecorder } from '../services/access/accessRecorder';
import type { ConversationReferenceRepository } from '../services/conversations/conversationReferenceRepository';
import { clientReferenceKey, professionalReferenceKey } from '../services/conversations/conversationReferenceRepository';
import type { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import { credentialGeneration } from '../services/professionals/professional';
import type { QuestionnaireService } from '../services/questionnaire/questionnaireService';
import type { ResponseSet } from '../services/questionnaire/responseSet';
import type { RoundProgress } from '../services/rounds/roundProgress';
import { clientOwnResults, professionalSummary } from '../services/summary/roundReport';
import { RoundService } from '../services/rounds/roundService';
import { Round, RoundInputError } from '../services/rounds/round';
import { isDomain, isForm, Locale, Register } from '../services/vocabulary';
import { QUESTIONNAIRE_DIALOG, QuestionnaireDialogOptions, QuestionnaireResult, ReplyInterpreter } from './questionnaireDialog';
import { sendCard } from './replies';
import { readTurnInput, requestedLocale, wantsSimpleWords } from './turnInput';
import { defaultProfile, localeFromChannel, UserProfile } from './userProfile';
import { activeState, setActiveState } from './activeState';

export const MAIN_DIALOG = 'mainDialog';

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
}

type Phase = 'welcome' | 'code' | 'menu' | 'intro' | 'settings' | 'idle';

interface MainState {
  phase: Phase;
}

/** Event names the web page sends after it opens a personal link or an invitation link. */
export const SIGN_IN_EVENT = 'professionalSignIn';
export const JOIN_EVENT = 'joinRound';

const CODE_PATTERN = /^\s*[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4}\s*$/;
const GREETING_PATTERN = /^(hi|hoi|hallo|hello|hey|hee|goedemorgen|goedemiddag|goedenavond|good (morning|afternoon|evening))[\s!.]*$/i;

/**
 * Who is this and what do they want: welcome and role, professional sign-in (Teams identity or
 * personal link), a client joining with a code or link, the professional's rounds, and handing
 * over to the questionnaire. When the questionnaire ends, it decides what comes next (thanks,
 * the client's own results, the summary).
 *
 * @remarks Flow only: rounds, identities and answers are decided and stored by services.
 */
export class MainDialog extends Dialog<MainState> {
  constructor(private readonly deps: MainDialogDeps) {
    super(MAIN_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    setActiveState<MainState>(dc, { phase: 'welcome' });
    return this.onTurn(dc);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.onTurn(dc);
  }

  /** The questionnaire ended: completed, paused or handed an action back. */
  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: QuestionnaireResult): Promise<DialogTurnResult> {
    const state = activeState<MainState>(dc);
    const profile = await this.profile(dc.context);
    if (!result) return Dialog.EndOfTurn;
    if (result.outcome === 'handoff') {
      await this.onAction(dc, state, profile, result.action);
      return Dialog.EndOfTurn;
    }
    if (result.outcome === 'paused') {
      state.phase = 'idle';
      return Dialog.EndOfTurn;
    }
    await this.afterCompletion(dc, state, profile, result.responseSetId);
    return Dialog.EndOfTurn;
  }

  private async onTurn(dc: DialogContext): Promise<DialogTurnResult> {
    const context = dc.context;
    const state = activeState<MainState>(dc);
    const profile = await this.profile(context);
    const activity = context.activity;
    const s = strings(profile.locale);

    if (!(await this.identify(context, profile))) return Dialog.EndOfTurn;

    const input = readTurnInput(activity, this.deps.maxMessageChars);
    switch (input.kind) {
      case 'event':
        await this.onEvent(dc, state, profile, activity);
        break;
      case 'joined':
        await this.greet(dc, state, profile);
        break;
      case 'invalidValue':
        await context.sendActivity(s.unknownValue);
        await this.greet(dc, state, profile);
        break;
      case 'tooLong':
        await context.sendActivity(s.tooLong(this.deps.maxMessageChars));
        break;
      case 'action':
        await this.onAction(dc, state, profile, input.action);
        break;
      case 'text':
        await this.onText(dc, state, profile, input.text);
        break;
      case 'none':
        break;
    }
    return Dialog.EndOfTurn;
  }

  // ---- identity ---------------------------------------------------------------------------

  /**
   * Teams users are professionals of an allowed tenant; a web professional must still be valid
   * (not revoked). Returns false when the turn should stop here.
   */
  private async identify(context: TurnContext, profile: UserProfile): Promise<boolean> {
    const activity = context.activity;
    const s = strings(profile.locale);
    if (activity.channelId === 'msteams' && activity.from?.aadObjectId) {
      const tenantId =
        activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? '';
      const professional = await this.deps.professionals.authenticateTeamsUser(
        activity.from.aadObjectId,
        tenantId,
        this.deps.allowedTenantIds,
        activity.from.name ?? '',
      );
      if (!professional) {
        await context.sendActivity(s.tenantNotAllowed);
        return false;
      }
      if (profile.professionalId !== professional.id) {
        profile.role = 'professional';
        profile.professionalId = professional.id;
        profile.register = 'standard';
      }
      // Teams signs the person in on every turn: the session follows the current generation.
      profile.professionalGeneration = credentialGeneration(professional);
      await this.saveReference(context, professionalReferenceKey(professional.id), profile.locale);
      return true;
    }
    if (profile.professionalId) {
      const session = await this.deps.professionals.activeSession(profile.professionalId, profile.professionalGeneration);
      if (!session) {
        const professional = await this.deps.professionals.get(profile.professionalId);
        profile.professionalId = null;
        profile.professionalGeneration = undefined;
        profile.role = null;
        await context.sendActivity(professional && !professional.revokedAt ? s.proLinkReplaced : s.proRevoked);
        return false;
      }
    }
    return true;
  }

  private async onEvent(dc: DialogContext, state: MainState, profile: UserProfile, activity: Activity): Promise<void> {
    const context = dc.context;
    const s = strings(profile.locale);
    const value = (activity.value ?? {}) as { secret?: unknown; token?: unknown; locale?: unknown };
    if (value.locale === 'en' || value.locale === 'nl') profile.locale = value.locale;
    if (activity.name === SIGN_IN_EVENT) {
      const professional = await this.deps.professionals.authenticateBySecret(value.secret);
      if (!professional) {
        await context.sendActivity(s.proLinkInvalid);
        return;
      }
      profile.role = 'professional';
      profile.professionalId = professional.id;
      profile.professionalGeneration = credentialGeneration(professional);
      profile.register = 'standard';
      await this.saveReference(context, professionalReferenceKey(professional.id), profile.locale);
      await context.sendActivity(strings(profile.locale).proSignedIn(professional.displayName));
      state.phase = 'menu';
      await sendCard(context, createProfessionalMenuCard(profile.locale));
      return;
    }
    if (activity.name === JOIN_EVENT) {
      const result = await this.deps.rounds.joinWithLink(value.token, this.userId(context));
      await this.afterJoin(dc, state, profile, result);
      return;
    }
  }

  // ---- greeting and text ------------------------------------------------------------------

  private async greet(dc: DialogContext, state: MainState, profile: UserProfile): Promise<void> {
    const context = dc.context;
    if (profile.professionalId) {
      state.phase = 'menu';
      await sendCard(context, createProfessionalMenuCard(profile.locale));
      return;
    }
    if (profile.role === 'client') {
      const round = await this.clientRound(context, profile);
      if (round) return this.greetClient(dc, state, profile, round);
      state.phase = 'code';
      await sendCard(context, createJoinCodeCard(profile.locale));
      return;
    }
    state.phase = 'welcome';
    await sendCard(context, createWelcomeCard(profile.locale));
  }

  private async greetClient(dc: DialogContext, state: MainState, profile: UserProfile, round: Round): Promise<void> {
    const responseSet = round.clientResponseSetId ? await this.deps.questionnaire.get(round.clientResponseSetId) : undefined;
    if (responseSet?.status === 'completed') {
      state.phase = 'idle';
      await dc.context.sendActivity(strings(profile.locale).alreadyCompleted);
      return;
    }
    if (responseSet && Object.keys(responseSet.answers).length > 0) {
      const position = this.deps.questionnaire.firstOpen(responseSet);
      state.phase = 'intro';
      await sendCard(dc.context, createResumeCard(position.answered, position.total, profile.locale));
      return;
    }
    return this.showIntro(dc.context, state, profile, round);
  }

  private async onText(dc: DialogContext, state: MainState, profile: UserProfile, text: string): Promise<void> {
    const context = dc.context;
    const s = strings(profile.locale);
    if (!profile.professionalId && CODE_PATTERN.test(text) && !/^\s*(verder|opnieuw|continue)\s*$/i.test(text)) {
      profile.role = 'client';
      const result = await this.deps.rounds.joinWithCode(text, this.userId(context));
      return this.afterJoin(dc, state, profile, result);
    }
    if (profile.professionalId) {
      if (/\b(nieuwe monitor|new monitor|nieuwe ronde|new round)\b/i.test(text))
        return this.onAction(dc, state, profile, { verb: 'newRound' });
      if (/\b(mijn rondes|my rounds|rondes|rounds|overzicht)\b/i.test(text))
        return this.onAction(dc, state, profile, { verb: 'listRounds' });
    }
    // A greeting is not a misunderstanding: answer it with what this person can do.
    if (GREETING_PATTERN.test(text)) return this.greet(dc, state, profile);
    const reading = this.deps.interpreter.interpret(text, profile.locale);
    switch (reading.kind) {
      case 'help':
        await sendCard(context, createHelpCard(profile.locale));
        return;
      case 'settings':
        if (reading.setting === 'language') profile.locale = requestedLocale(profile.locale, text);
        if (reading.setting === 'simpleWords') profile.register = wantsSimpleWords(text) ? 'simple' : 'standard';
        state.phase = state.phase === 'welcome' ? 'welcome' : 'settings';
        await sendCard(context, createSettingsCard(profile.locale, profile.register));
        return;
      case 'pause':
        await context.sendActivity(s.paused);
        return;
      case 'restart':
      case 'back':
      case 'answer':
      case 'skip':
      case 'unknown':
      default:
        if (/^(verder|ga verder|doorgaan|continue|go on|resume|start|beginnen)$/i.test(text))
          return this.onAction(dc, state, profile, { verb: 'resume' });
        if (reading.kind === 'restart') return this.onAction(dc, state, profile, { verb: 'resume' });
        await context.sendActivity(s.notUnderstood);
        await this.greet(dc, state, profile);
    }
  }

  // ---- card actions -----------------------------------------------------------------------

  private async onAction(dc: DialogContext, state: MainState, profile: UserProfile, action: CardAction): Promise<void> {
    const context = dc.context;
    const s = strings(profile.locale);
    switch (action.verb) {
      case 'chooseRole':
        if (action.role === 'professional') {
          if (profile.professionalId) return this.greet(dc, state, profile);
          await context.sendActivity(s.proNeedsLink);
          return;
        }
        if (!profile.professionalId) profile.role = 'client';
        await context.sendActivity(s.chosenRole(s.roleClient));
        return this.greet(dc, state, profile);
      case 'help':
        await sendCard(context, createHelpCard(profile.locale));
        return;
      case 'settings':
        return this.changeSettings(dc, state, profile, action.locale, action.register);
      case 'start':
        // "Done" on the settings card leads to the explanation, which has its own start button.
        if (state.phase === 'settings' && !profile.professionalId) {
          const round = await this.clientRound(context, profile);
          if (round) return this.greetClient(dc, state, profile, round);
        }
        return this.startQuestionnaire(dc, state, profile);
      case 'resume':
        return this.startQuestionnaire(dc, state, profile);
      case 'joinCode': {
        profile.role = 'client';
        const result = await this.deps.rounds.joinWithCode(action.code, this.userId(context));
        return this.afterJoin(dc, state, profile, result);
      }
      case 'pause':
        await context.sendActivity(s.paused);
        return;
      case 'answer':
      case 'back':
      case 'edit':
      case 'confirm':
      case 'restartConfirmed':
        return this.lateQuestionnaireClick(dc, state, profile, action.responseSetId);
      default:
        if (!profile.professionalId) {
          // A professional's card, or a questionnaire card from a conversation that moved on.
          await context.sendActivity(s.staleCard(null));
          return this.greet(dc, state, profile);
        }
        return this.onProfessionalAction(dc, state, profile, profile.professionalId, action);
    }
  }

  private async onProfessionalAction(
    dc: DialogContext,
    state: MainState,
    profile: UserProfile,
    professionalId: string,
    action: CardAction,
  ): Promise<void> {
    const context = dc.context;
    const s = strings(profile.locale);
    const bank = this.deps.questionnaire.itemBank;
    switch (action.verb) {
      case 'proMenu':
        state.phase = 'menu';
        await sendCard(context, createProfessionalMenuCard(profile.locale));
        return;
      case 'newRound':
        await sendCard(
          context,
          createRoundFormCard(
            profile.locale,
            { full: bank.items('full', 'client').length, short: bank.items('short', 'client').length },
            this.deps.now().toISOString().slice(0, 10),
          ),
        );
        return;
      case 'createRound': {
        const domain = action.domain === 'none' || action.domain === '' ? null : action.domain;
        if ((domain !== null && !isDomain(domain)) || !isForm(action.form)) {
          await context.sendActivity(s.roundInputProblem(domain !== null && !isDomain(domain) ? 'domain' : 'form'));
          return;
        }
        try {
          const created = await this.deps.rounds.create({
            professionalId,
            clientLabel: action.clientLabel,
            domain,
            form: action.form,
            appointmentDate: action.appointmentDate,
          });
          await sendCard(
            context,
            createInvitationCard(profile.locale, {
              roundId: created.round.id,
              clientLabel: created.round.clientLabel,
              code: created.code,
              link: `${this.deps.publicUrl}/?join=${encodeURIComponent(created.linkToken)}`,
              expires: formatDate(created.round.invitation.expiresAt, profile.locale),
            }),
          );
        } catch (error) {
          if (error instanceof RoundInputError) {
            await context.sendActivity(s.roundInputProblem(error.field));
            return;
          }
          throw error;
        }
        return;
      }
      case 'listRounds':
        await sendCard(context, createRoundListCard(profile.locale, await this.roundList(professionalId)));
        return;
      case 'answerOwnSide': {
        const round = await this.deps.rounds.getForProfessional(action.roundId, professionalId);
        if (!round || round.status !== 'open') {
          await context.sendActivity(round ? s.closedCard : s.roundNotFound);
          return;
        }
        let responseSetId = round.professionalResponseSetId;
        if (!responseSetId) {
          const responseSet = await this.deps.questionnaire.start({
            respondentId: professionalRespondentId(professionalId),
            perspective: 'professional',
            form: round.form,
            locale: profile.locale,
            register: profile.register,
            domain: round.domain,
            roundId: round.id,
          });
          await this.deps.rounds.attachResponseSet(round.id, 'professional', responseSet.id);
          responseSetId = responseSet.id;
        }
        profile.activeResponseSetId = responseSetId;
        const count = this.deps.questionnaire.itemBank.items(round.form, 'professional').length;
        state.phase = 'intro';
        await sendCard(context, createIntroCard(s.introProfessionalLines(count, s.minutesFor(count)), profile.locale));
        return;
      }
      case 'showSummary': {
        const round = await this.deps.rounds.getForProfessional(action.roundId, professionalId);
        if (!round) {
          await context.sendActivity(s.roundNotFound);
          return;
        }
        if (!this.deps.rounds.canReveal(round, this.deps.now())) {
          await context.sendActivity(s.summaryNotYet(formatDate(round.deadline, profile.locale)));
          return;
        }
        const answers = await this.deps.progress.answersOf(round);
        const previous = await this.deps.progress.previousAnswers(round);
        await sendCard(context, createSummaryCard(professionalSummary(bank, answers, previous, profile.locale), profile.locale));
        await this.deps.access.view(professionalActor(professionalId), 'chat-summary', round.id, { detail: 'onRequest' });
        return;
      }
      case 'resendInvitation': {
        const fresh = await this.deps.rounds.resendInvitation(action.roundId, professionalId);
        if (!fresh) {
          await context.sendActivity(s.cannotResend);
          return;
        }
        await sendCard(
          context,
          createInvitationCard(profile.locale, {
            roundId: fresh.round.id,
            clientLabel: fresh.round.clientLabel,
            code: fresh.code,
            link: `${this.deps.publicUrl}/?join=${encodeURIComponent(fresh.linkToken)}`,
            expires: formatDate(fresh.round.invitation.expiresAt, profile.locale),
          }),
        );
        return;
      }
      case 'cancelRound': {
        const round = await this.deps.rounds.cancel(action.roundId, professionalId);
        await context.sendActivity(round ? s.roundCancelled(round.clientLabel) : s.roundNotFound);
        return;
      }
      case 'deleteRound': {
        const round = await this.deps.rounds.getForProfessional(action.roundId, professionalId);
        if (!round) {
          await context.sendActivity(s.roundNotFound);
          return;
        }
        await sendCard(context, createDeleteRoundCard(profile.locale, round.id, round.clientLabel));
        return;
      }
      case 'deleteRoundConfirmed': {
        const round = await this.deps.rounds.getForProfessional(action.roundId, professionalId);
        const result = await this.deps.rounds.delete(action.roundId, professionalId);
        if (!round || !result.deleted) {
          await context.sendActivity(s.roundNotFound);
          return;
        }
        for (const id of result.responseSetIds) await this.deps.questionnaire.delete(id);
        if (profile.activeResponseSetId && result.responseSetIds.includes(profile.activeResponseSetId)) profile.activeResponseSetId = null;
        await context.sendActivity(s.roundDeleted(round.clientLabel));
        return;
      }
      default:
        await context.sendActivity(s.staleCard(null));
        await this.greet(dc, state, profile);
    }
  }

  // ---- rounds for clients -----------------------------------------------------------------

  private async afterJoin(
    dc: DialogContext,
    state: MainState,
    profile: UserProfile,
    result: Awaited<ReturnType<RoundService['joinWithCode']>>,
  ): Promise<void> {
    const context = dc.context;
    const s = strings(profile.locale);
    if (result.kind === 'rejected') {
      await context.sendActivity(
        result.reason === 'rateLimited' ? s.joinRateLimited(result.retryAfterMinutes) : s.joinRejected[result.reason],
      );
      state.phase = 'code';
      if (result.reason !== 'rateLimited' && result.reason !== 'cancelled') await sendCard(context, createJoinCodeCard(profile.locale));
      return;
    }
    profile.role = 'client';
    profile.roundId = result.round.id;
    await this.saveReference(context, clientReferenceKey(this.userId(context)), profile.locale);
    if (result.kind === 'joined') await context.sendActivity(s.joined);
    if (result.kind === 'joined' && profile.register === 'simple') {
      state.phase = 'settings';
      await sendCard(context, createSettingsCard(profile.locale, profile.register));
      return;
    }
    return this.greetClient(dc, state, profile, result.round);
  }

  private async clientRound(context: TurnContext, profile: UserProfile): Promise<Round | null> {
    const round = await this.deps.rounds.roundForClient(this.userId(context));
    if (round) profile.roundId = round.id;
    return round;
  }

  private async showIntro(context: TurnContext, state: MainState, profile: UserProfile, round: Round): Promise<void> {
    const s = strings(profile.locale);
    const bank = this.deps.questionnaire.itemBank;
    const count = bank.items(round.form, 'client').length;
    const roleWord = bank.roleWord(round.domain, profile.locale);
    state.phase = 'intro';
    await sendCard(context, createIntroCard(s.introLines(count, s.minutesFor(count), roleWord), profile.locale));
  }

  private async startQuestionnaire(dc: DialogContext, state: MainState, profile: UserProfile): Promise<void> {
    const context = dc.context;
    if (profile.professionalId) {
      const responseSet = profile.activeResponseSetId ? await this.deps.questionnaire.get(profile.activeResponseSetId) : undefined;
      if (!responseSet || responseSet.status === 'completed') {
        state.phase = 'menu';
        await sendCard(context, createProfessionalMenuCard(profile.locale));
        return;
      }
      await dc.beginDialog(QUESTIONNAIRE_DIALOG, { responseSetId: responseSet.id } satisfies QuestionnaireDialogOptions);
      return;
    }
    const round = await this.clientRound(context, profile);
    if (!round) {
      state.phase = 'code';
      await sendCard(context, createJoinCodeCard(profile.locale));
      return;
    }
    let responseSet: ResponseSet | undefined = round.clientResponseSetId
      ? await this.deps.questionnaire.get(round.clientResponseSetId)
      : undefined;
    if (!responseSet) {
      responseSet = await this.deps.questionnaire.start({
        respondentId: this.userId(context),
        perspective: 'client',
        form: round.form,
        locale: profile.locale,
        register: profile.register,
        domain: round.domain,
        roundId: round.id,
      });
      await this.deps.rounds.attachResponseSet(round.id, 'client', responseSet.id);
    }
    if (responseSet.status === 'completed') {
      await context.sendActivity(strings(profile.locale).alreadyCompleted);
      return;
    }
    profile.activeResponseSetId = responseSet.id;
    await dc.beginDialog(QUESTIONNAIRE_DIALOG, { responseSetId: responseSet.id } satisfies QuestionnaireDialogOptions);
  }

  /**
   * A questionnaire card clicked while no questionnaire is running: after sending, after a pause,
   * or from another device. It never changes an answer here; it says what is the case.
   */
  private async lateQuestionnaireClick(dc: DialogContext, state: MainState, profile: UserProfile, responseSetId: string): Promise<void> {
    const s = strings(profile.locale);
    const responseSet = await this.deps.questionnaire.get(responseSetId);
    const mine =
      !!responseSet &&
      (responseSet.respondentId === this.userId(dc.context) ||
        (profile.professionalId !== null && responseSet.respondentId === professionalRespondentId(profile.professionalId)));
    if (!responseSet || !mine) {
      await dc.context.sendActivity(s.notYours);
      return this.greet(dc, state, profile);
    }
    if (responseSet.status === 'completed') {
      await dc.context.sendActivity(s.closedCard);
      return;
    }
    await dc.context.sendActivity(s.staleCard(null));
    profile.activeResponseSetId = responseSet.id;
    await dc.beginDialog(QUESTIONNAIRE_DIALOG, { responseSetId: responseSet.id } satisfies QuestionnaireDialogOptions);
  }

  private async afterCompletion(dc: DialogContext, state: MainState, profile: UserProfile, responseSetId: string): Promise<void> {
    const context = dc.context;
    const s = strings(profile.locale);
    state.phase = 'idle';
    profile.activeResponseSetId = null;
    const responseSet = await this.deps.questionnaire.get(responseSetId);
    if (!responseSet?.roundId) {
      await sendCard(context, createThanksCard(profile.locale));
      return;
    }
    if (responseSet.perspective === 'client') {
      await sendCard(context, createThanksCard(profile.locale));
      const round = await this.deps.rounds.roundForClient(this.userId(context));
      const roundForResults = round ?? null;
      if (this.deps.clientSeesSummary && roundForResults) {
        await context.sendActivity(s.clientThanksWithResults);
        await sendCard(
          context,
          createClientResultsCard(
            clientOwnResults(this.deps.questionnaire.itemBank, roundForResults, responseSet, profile.locale),
            profile.locale,
          ),
        );
      }
      if (roundForResults) await this.deps.progress.onResponseSetCompleted(roundForResults.id, roundForResults.professionalId);
      return;
    }
    if (!profile.professionalId) return;
    const result = await this.deps.progress.onResponseSetCompleted(responseSet.roundId, profile.professionalId);
    if (result === 'waiting') await context.sendActivity(s.proThanksWaiting);
  }

  private async changeSettings(
    dc: DialogContext,
    state: MainState,
    profile: UserProfile,
    locale: Locale | undefined,
    register: Register | undefined,
  ): Promise<void> {
    profile.locale = locale ?? profile.locale;
    profile.register = register ?? profile.register;
    const s = strings(profile.locale);
    if (locale || register) await dc.context.sendActivity(s.settingsSaved(s.languageName, profile.register === 'simple'));
    state.phase = 'settings';
    await sendCard(dc.context, createSettingsCard(profile.locale, profile.register));
  }

  // ---- helpers ----------------------------------------------------------------------------

  private async roundList(professionalId: string): Promise<RoundListEntry[]> {
    const now = this.deps.now();
    const rounds = await this.deps.rounds.roundsForProfessional(professionalId);
    return Promise.all(
      rounds.slice(0, 15).map(async (round): Promise<RoundListEntry> => {
        // One unreadable answer file fails that round's line only, not the whole list.
        const answers = await this.deps.progress.answersOf(round).catch(() => null);
        if (!answers) return unreadableEntry(round);
        return {
          roundId: round.id,
          clientLabel: round.clientLabel,
          appointmentDate: round.appointmentDate,
          status: round.status,
          clientJoined: round.clientUserId !== null,
          clientDone: answers.client?.status === 'completed',
          ownSideDone: answers.professional?.status === 'completed',
          summaryAvailable: this.deps.rounds.canReveal(round, now),
          canResend: round.status === 'open' && round.clientUserId === null,
        };
      }),
    );
  }

  /** Keeps where to reach this person later; without a display name and without the activity id. */
  private async saveReference(context: TurnContext, key: string, locale: Locale): Promise<void> {
    const reference = TurnContext.getConversationReference(context.activity);
    const { activityId: _activityId, user, ...rest } = reference;
    // Plain JSON (no undefined fields), so an unchanged reference compares equal and is not rewritten.
    const stored = JSON.parse(
      JSON.stringify({ ...rest, user: user ? { id: user.id, role: user.role, aadObjectId: user.aadObjectId } : undefined, locale }),
    ) as Record<string, unknown>;
    const existing = await this.deps.references.get(key);
    if (existing && JSON.stringify(existing) === JSON.stringify(stored)) return;
    await this.deps.references.save(key, stored);
  }

  private userId(context: TurnContext): string {
    return `${context.activity.channelId}:${context.activity.from?.id ?? 'unknown'}`;
  }

  private async profile(context: TurnContext): Promise<UserProfile> {
    const profile = await this.deps.profiles.get(context, defaultProfile(localeFromChannel(context.activity.locale)));
    // Profiles saved before rounds existed lack these fields.
    profile.professionalId ??= null;
    profile.roundId ??= null;
    return profile;
  }
}

/** A round of "mijn rondes" whose answers cannot be read: shown, with no actions that need them. */
function unreadableEntry(round: Round): RoundListEntry {
  return {
    roundId: round.id,
    clientLabel: round.clientLabel,
    appointmentDate: round.appointmentDate,
    status: round.status,
    clientJoined: round.clientUserId !== null,
    clientDone: false,
    ownSideDone: false,
    summaryAvailable: false,
    canResend: false,
    unreadable: true,
  };
}

/** Who answers a professional's side, in response sets: not a channel user, the professional. */
function professionalRespondentId(professionalId: string): string {
  return `professional:${professionalId}`;
}

function formatDate(iso: string, locale: Locale): string {
  const date = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  return date.toLocaleDateString(locale === 'en' ? 'en-GB' : 'nl-NL', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Amsterdam',
  });
}
