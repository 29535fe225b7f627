import { CardFactory, MessageFactory, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from 'botbuilder-dialogs';
import type { CardAction } from '../cards/cardActions';
import { createHelpCard } from '../cards/helpCard';
import { createRestartConfirmCard } from '../cards/messageCards';
import { createOverviewCard } from '../cards/overviewCard';
import { createAnsweredCard, createQuestionCard, optionTitle } from '../cards/questionCard';
import { createSettingsCard } from '../cards/settingsCard';
import { strings } from '../cards/strings';
import { createCommentCard } from '../cards/commentCard';
import { createReadingConfirmCard } from '../cards/readingConfirmCard';
import type { AnswerOption } from '../cards/questionCard';
import { CONFIDENCE_THRESHOLD, Interpretation, ReplyReading } from '../services/replies/replyInterpreter';
import { Position, QuestionnaireService } from '../services/questionnaire/questionnaireService';
import type { ResponseSet } from '../services/questionnaire/responseSet';
import { Locale, Register, ScaleValue } from '../services/vocabulary';
import { sendCard } from './replies';
import { readTurnInput, requestedLocale, wantsSimpleWords } from './turnInput';
import { defaultProfile, localeFromChannel, UserProfile } from './userProfile';
import { activeState, setActiveState } from './activeState';

export const QUESTIONNAIRE_DIALOG = 'questionnaireDialog';

/** Reads a typed reply; `services/replies/replyInterpreter.ts` implements it. */
export interface ReplyInterpreter {
  interpret(text: string, locale: Locale, options?: { scaleLabels?: string[] }): Interpretation;
}

export interface QuestionnaireDialogOptions {
  responseSetId: string;
}

/**
 * How the questionnaire ended: completed (confirmed), paused (answers kept), or handed back
 * because the person clicked something that belongs to the main flow.
 */
export type QuestionnaireResult =
  | { outcome: 'completed'; responseSetId: string }
  | { outcome: 'paused'; responseSetId: string }
  | { outcome: 'handoff'; responseSetId: string; action: CardAction };

type Phase = 'asking' | 'overview' | 'confirmRestart';

interface QuestionnaireState {
  responseSetId: string;
  phase: Phase;
  /** The item whose card was shown last: only that item can be answered. */
  shownItemId: string | null;
  /** After a "what would help?" follow-up, free text is taken as the comment on this item. */
  pendingCommentItemId?: string | null;
}

export interface QuestionnaireDialogDeps {
  questionnaire: QuestionnaireService;
  profiles: StatePropertyAccessor<UserProfile>;
  interpreter: ReplyInterpreter;
  maxMessageChars: number;
}

const QUESTIONNAIRE_VERBS = new Set<CardAction['verb']>([
  'answer',
  'back',
  'edit',
  'confirm',
  'pause',
  'restart',
  'restartConfirmed',
  'help',
  'settings',
  'start',
  'resume',
  'comment',
  'commentItem',
]);

/**
 * One question per card: answer, back, skip ("don't know"), pause, start again, the overview with
 * changes, and the confirmation.
 *
 * @remarks Flow only: `QuestionnaireService` decides what an answer does and stores it before the
 * bot replies. Every turn ends with the respondent in front of a question (or the overview), so a
 * confusing input never leaves them stuck. A click on an old card, a replayed click or a value off
 * the scale changes nothing and is explained.
 */
export class QuestionnaireDialog extends Dialog<QuestionnaireState> {
  constructor(private readonly deps: QuestionnaireDialogDeps) {
    super(QUESTIONNAIRE_DIALOG);
  }

  override async beginDialog(dc: DialogContext, options?: QuestionnaireDialogOptions): Promise<DialogTurnResult> {
    if (!options?.responseSetId) throw new Error('QuestionnaireDialog needs a responseSetId');
    const state: QuestionnaireState = { responseSetId: options.responseSetId, phase: 'asking', shownItemId: null };
    setActiveState(dc, state);
    const profile = await this.profile(dc.context);
    const responseSet = await this.deps.questionnaire.get(state.responseSetId);
    if (!responseSet || responseSet.status === 'completed')
      return dc.endDialog({ outcome: 'completed', responseSetId: state.responseSetId } satisfies QuestionnaireResult);
    await this.deps.questionnaire.setPresentation(responseSet.id, profile.locale, profile.register);
    await this.ask(dc.context, state, profile, responseSet, this.deps.questionnaire.firstOpen(responseSet));
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = activeState<QuestionnaireState>(dc);
    const context = dc.context;
    const profile = await this.profile(context);
    const s = strings(profile.locale);
    const input = readTurnInput(context.activity, this.deps.maxMessageChars);
    switch (input.kind) {
      case 'joined':
        await this.showWhereWeAre(context, state, profile);
        return Dialog.EndOfTurn;
      case 'invalidValue':
      case 'tooLong':
        await context.sendActivity(input.kind === 'tooLong' ? s.tooLong(this.deps.maxMessageChars) : s.unknownValue);
        await this.showWhereWeAre(context, state, profile);
        return Dialog.EndOfTurn;
      case 'action':
        if (!QUESTIONNAIRE_VERBS.has(input.action.verb)) {
          return dc.endDialog({
            outcome: 'handoff',
            responseSetId: state.responseSetId,
            action: input.action,
          } satisfies QuestionnaireResult);
        }
        return this.onAction(dc, state, profile, input.action);
      case 'text':
        break;
      default:
        return Dialog.EndOfTurn;
    }
    const text = input.text;
    const scaleLabels = this.deps.questionnaire.itemBank.scale(profile.register, profile.locale).map((point) => point.label);
    return this.onReply(dc, state, profile, this.deps.interpreter.interpret(text, profile.locale, { scaleLabels }));
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance<QuestionnaireState>): Promise<void> {
    await this.showWhereWeAre(context, instance.state, await this.profile(context));
  }

  // ---- inputs -----------------------------------------------------------------------------

  private async onAction(
    dc: DialogContext,
    state: QuestionnaireState,
    profile: UserProfile,
    action: CardAction,
  ): Promise<DialogTurnResult> {
    const context = dc.context;
    switch (action.verb) {
      case 'answer':
        return this.answer(dc, state, profile, action.responseSetId, action.itemId, action.value);
      case 'back':
        await this.back(context, state, profile, action.responseSetId);
        return Dialog.EndOfTurn;
      case 'edit':
        await this.edit(context, state, profile, action.responseSetId, action.itemId);
        return Dialog.EndOfTurn;
      case 'confirm':
        return this.confirm(dc, state, profile, action.responseSetId, action.shareComments ?? false);
      case 'comment':
        await this.saveComment(context, state, profile, action.responseSetId, action.itemId, action.comment);
        return Dialog.EndOfTurn;
      case 'commentItem':
        await this.offerComment(context, state, profile, action.responseSetId, action.itemId, 'comment');
        return Dialog.EndOfTurn;
      case 'pause':
        return this.pause(dc, state, profile);
      case 'restart':
        await this.askRestart(context, state, profile);
        return Dialog.EndOfTurn;
      case 'restartConfirmed':
        await this.restart(context, state, profile, action.responseSetId);
        return Dialog.EndOfTurn;
      case 'help':
        await sendCard(context, createHelpCard(profile.locale));
        return Dialog.EndOfTurn;
      case 'settings':
        await this.changeSettings(context, state, profile, action.locale, action.register);
        return Dialog.EndOfTurn;
      default:
        // `start` / `resume` from an earlier card: simply show where we are.
        await this.showWhereWeAre(context, state, profile);
        return Dialog.EndOfTurn;
    }
  }

  private async onReply(
    dc: DialogContext,
    state: QuestionnaireState,
    profile: UserProfile,
    reading: Interpretation,
  ): Promise<DialogTurnResult> {
    const context = dc.context;
    const s = strings(profile.locale);
    const pendingComment = state.pendingCommentItemId ?? null;
    state.pendingCommentItemId = null;
    if (pendingComment && reading.kind === 'unknown') {
      // Right after "what would help?", words that are not an answer are the comment.
      await this.saveComment(context, state, profile, state.responseSetId, pendingComment, reading.text);
      return Dialog.EndOfTurn;
    }
    if (
      (reading.kind === 'answer' || reading.kind === 'skip') &&
      reading.confidence < CONFIDENCE_THRESHOLD &&
      state.phase === 'asking' &&
      state.shownItemId
    ) {
      await this.confirmReading(context, state, profile, state.shownItemId, reading);
      return Dialog.EndOfTurn;
    }
    switch (reading.kind) {
      case 'help':
        await sendCard(context, createHelpCard(profile.locale));
        return Dialog.EndOfTurn;
      case 'pause':
        return this.pause(dc, state, profile);
      case 'restart':
        await this.askRestart(context, state, profile);
        return Dialog.EndOfTurn;
      case 'settings':
        if (reading.setting === 'language')
          await this.changeSettings(context, state, profile, requestedLocale(profile.locale, reading.text), undefined);
        else if (reading.setting === 'simpleWords')
          await this.changeSettings(context, state, profile, undefined, wantsSimpleWords(reading.text) ? 'simple' : 'standard');
        else await sendCard(context, createSettingsCard(profile.locale, profile.register));
        return Dialog.EndOfTurn;
      case 'back':
        await this.back(context, state, profile, state.responseSetId);
        return Dialog.EndOfTurn;
      case 'answer':
      case 'skip':
        if (state.phase === 'asking' && state.shownItemId) {
          return this.answer(dc, state, profile, state.responseSetId, state.shownItemId, reading.kind === 'skip' ? null : reading.value);
        }
        await context.sendActivity(s.notUnderstood);
        await this.showWhereWeAre(context, state, profile);
        return Dialog.EndOfTurn;
      default:
        if (!/^(verder|ga verder|doorgaan|continue|go on|resume)$/i.test(reading.text.trim())) await context.sendActivity(s.notUnderstood);
        await this.showWhereWeAre(context, state, profile);
        return Dialog.EndOfTurn;
    }
  }

  // ---- steps ------------------------------------------------------------------------------

  private async answer(
    dc: DialogContext,
    state: QuestionnaireState,
    profile: UserProfile,
    responseSetId: string,
    itemId: string,
    value: number | null,
  ): Promise<DialogTurnResult> {
    const context = dc.context;
    const s = strings(profile.locale);
    if (responseSetId !== state.responseSetId) {
      await context.sendActivity(s.staleCard(null));
      await this.showWhereWeAre(context, state, profile);
      return Dialog.EndOfTurn;
    }
    const shown = state.phase === 'asking' ? state.shownItemId : null;
    const outcome = await this.deps.questionnaire.answer(responseSetId, itemId, value, shown);
    switch (outcome.kind) {
      case 'recorded': {
        await this.markAnswered(context, profile, outcome.responseSet, itemId, value);
        await context.sendActivity(value === null ? s.youSkipped : s.youAnswered(this.label(profile, value as ScaleValue, itemId)));
        const stored = outcome.responseSet.answers[itemId]?.value ?? null;
        if (
          this.deps.questionnaire.isLowAnswer(itemId, stored) &&
          !outcome.responseSet.answers[itemId]?.comment &&
          (await this.deps.questionnaire.claimFollowUp(responseSetId, itemId))
        ) {
          await sendCard(context, this.commentCard(outcome.responseSet, itemId, profile, 'followUp'));
          state.pendingCommentItemId = itemId;
        }
        await this.ask(context, state, profile, outcome.responseSet, this.deps.questionnaire.nextAfter(outcome.responseSet, itemId));
        return Dialog.EndOfTurn;
      }
      case 'unchanged':
        if (itemId === shown) {
          await this.ask(context, state, profile, outcome.responseSet, this.deps.questionnaire.nextAfter(outcome.responseSet, itemId));
          return Dialog.EndOfTurn;
        }
        await context.sendActivity(s.alreadySaved);
        break;
      case 'stale':
        await context.sendActivity(
          s.staleCard(
            outcome.storedValue === undefined
              ? null
              : outcome.storedValue === null
                ? s.skippedLabel
                : this.label(profile, outcome.storedValue, itemId),
          ),
        );
        break;
      case 'closed':
        await context.sendActivity(s.closedCard);
        return dc.endDialog({ outcome: 'completed', responseSetId } satisfies QuestionnaireResult);
      case 'invalid':
        await context.sendActivity(s.unknownValue);
        break;
    }
    await this.showWhereWeAre(context, state, profile);
    return Dialog.EndOfTurn;
  }

  private async back(context: TurnContext, state: QuestionnaireState, profile: UserProfile, responseSetId: string): Promise<void> {
    const responseSet = await this.current(state);
    if (!responseSet || responseSet.id !== responseSetId) {
      await context.sendActivity(strings(profile.locale).staleCard(null));
      return this.showWhereWeAre(context, state, profile);
    }
    const previous = this.deps.questionnaire.previous(responseSet, state.phase === 'asking' ? state.shownItemId : null);
    if (!previous) {
      await context.sendActivity(strings(profile.locale).noEarlierQuestion);
      return this.showWhereWeAre(context, state, profile);
    }
    return this.ask(context, state, profile, responseSet, previous);
  }

  private async edit(
    context: TurnContext,
    state: QuestionnaireState,
    profile: UserProfile,
    responseSetId: string,
    itemId: string,
  ): Promise<void> {
    const responseSet = await this.current(state);
    const position = responseSet && responseSet.id === responseSetId ? this.deps.questionnaire.positionOf(responseSet, itemId) : null;
    if (!responseSet || !position) {
      await context.sendActivity(strings(profile.locale).staleCard(null));
      return this.showWhereWeAre(context, state, profile);
    }
    return this.ask(context, state, profile, responseSet, position);
  }

  private async saveComment(
    context: TurnContext,
    state: QuestionnaireState,
    profile: UserProfile,
    responseSetId: string,
    itemId: string,
    comment: string,
  ): Promise<void> {
    const s = strings(profile.locale);
    const responseSet = await this.current(state);
    if (!responseSet || responseSet.id !== responseSetId || !responseSet.answers[itemId]) {
      await context.sendActivity(s.staleCard(null));
      return this.showWhereWeAre(context, state, profile);
    }
    await this.deps.questionnaire.comment(responseSetId, itemId, comment);
    if (comment.trim()) await context.sendActivity(s.commentSaved);
    return this.showWhereWeAre(context, state, profile);
  }

  private async offerComment(
    context: TurnContext,
    state: QuestionnaireState,
    profile: UserProfile,
    responseSetId: string,
    itemId: string,
    kind: 'followUp' | 'comment',
  ): Promise<void> {
    const responseSet = await this.current(state);
    if (!responseSet || responseSet.id !== responseSetId || !responseSet.answers[itemId]) {
      await context.sendActivity(strings(profile.locale).staleCard(null));
      return this.showWhereWeAre(context, state, profile);
    }
    await sendCard(context, this.commentCard(responseSet, itemId, profile, kind));
  }

  private commentCard(responseSet: ResponseSet, itemId: string, profile: UserProfile, kind: 'followUp' | 'comment') {
    return createCommentCard({
      responseSetId: responseSet.id,
      itemId,
      questionText: this.deps.questionnaire.itemBank.questionText(itemId, {
        register: profile.register,
        locale: profile.locale,
        domain: responseSet.domain,
      }),
      kind,
      current: responseSet.answers[itemId]?.comment ?? null,
      locale: profile.locale,
    });
  }

  /** Asks which of the two likeliest readings was meant; nothing is stored until a button is clicked. */
  private async confirmReading(
    context: TurnContext,
    state: QuestionnaireState,
    profile: UserProfile,
    itemId: string,
    reading: Interpretation,
  ): Promise<void> {
    const scale = this.deps.questionnaire.itemBank.scaleForItem(itemId, profile.register, profile.locale);
    const toChoice = (r: ReplyReading): AnswerOption | 'skip' | null =>
      r.kind === 'skip' ? 'skip' : r.kind === 'answer' ? (scale.find((p) => p.value === r.value) ?? null) : null;
    const choices: (AnswerOption | 'skip')[] = [];
    for (const candidate of [reading, ...reading.alternatives]) {
      const choice = toChoice(candidate);
      if (choice && !choices.some((c) => (c === 'skip' ? choice === 'skip' : choice !== 'skip' && c.value === choice.value)))
        choices.push(choice);
      if (choices.length === 2) break;
    }
    await sendCard(context, createReadingConfirmCard({ responseSetId: state.responseSetId, itemId, choices, locale: profile.locale }));
  }

  private async confirm(
    dc: DialogContext,
    state: QuestionnaireState,
    profile: UserProfile,
    responseSetId: string,
    shareComments: boolean,
  ): Promise<DialogTurnResult> {
    if (responseSetId !== state.responseSetId) {
      await dc.context.sendActivity(strings(profile.locale).staleCard(null));
      await this.showWhereWeAre(dc.context, state, profile);
      return Dialog.EndOfTurn;
    }
    const completed = await this.deps.questionnaire.complete(responseSetId, shareComments);
    if (completed.status !== 'completed') {
      await this.showWhereWeAre(dc.context, state, profile);
      return Dialog.EndOfTurn;
    }
    return dc.endDialog({ outcome: 'completed', responseSetId } satisfies QuestionnaireResult);
  }

  private async pause(dc: DialogContext, state: QuestionnaireState, profile: UserProfile): Promise<DialogTurnResult> {
    await dc.context.sendActivity(strings(profile.locale).paused);
    return dc.endDialog({ outcome: 'paused', responseSetId: state.responseSetId } satisfies QuestionnaireResult);
  }

  private async askRestart(context: TurnContext, state: QuestionnaireState, profile: UserProfile): Promise<void> {
    state.phase = 'confirmRestart';
    await sendCard(context, createRestartConfirmCard(state.responseSetId, profile.locale));
  }

  private async restart(context: TurnContext, state: QuestionnaireState, profile: UserProfile, responseSetId: string): Promise<void> {
    if (responseSetId !== state.responseSetId) {
      await context.sendActivity(strings(profile.locale).staleCard(null));
      return this.showWhereWeAre(context, state, profile);
    }
    const cleared = await this.deps.questionnaire.clear(responseSetId);
    await context.sendActivity(strings(profile.locale).restarted);
    return this.ask(context, state, profile, cleared, this.deps.questionnaire.firstOpen(cleared));
  }

  private async changeSettings(
    context: TurnContext,
    state: QuestionnaireState,
    profile: UserProfile,
    locale: Locale | undefined,
    register: Register | undefined,
  ): Promise<void> {
    profile.locale = locale ?? profile.locale;
    profile.register = register ?? profile.register;
    const s = strings(profile.locale);
    await context.sendActivity(s.settingsSaved(s.languageName, profile.register === 'simple'));
    await this.deps.questionnaire.setPresentation(state.responseSetId, profile.locale, profile.register);
    return this.showWhereWeAre(context, state, profile);
  }

  /**
   * In Teams, replaces the clicked question card with the question and its answer, without buttons.
   * Best effort: the answer is already stored, so a failed update must not fail the turn.
   */
  private async markAnswered(
    context: TurnContext,
    profile: UserProfile,
    responseSet: ResponseSet,
    itemId: string,
    value: number | null,
  ): Promise<void> {
    const cardId = context.activity.replyToId;
    if (context.activity.channelId !== 'msteams' || !cardId) return;
    const position = this.deps.questionnaire.positionOf(responseSet, itemId);
    if (!position) return;
    const card = createAnsweredCard({
      text: this.deps.questionnaire.itemBank.questionText(itemId, {
        register: profile.register,
        locale: profile.locale,
        domain: responseSet.domain,
      }),
      number: position.number,
      total: position.total,
      answerLabel: value === null ? null : this.label(profile, value as ScaleValue, itemId),
      locale: profile.locale,
    });
    const update = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    update.id = cardId;
    try {
      await context.updateActivity(update);
    } catch {
      // Older Teams clients or a deleted card: the old card simply stays as it was.
    }
  }

  /** Shows the question at `position`, or the overview when every item has an answer. */
  private async ask(
    context: TurnContext,
    state: QuestionnaireState,
    profile: UserProfile,
    responseSet: ResponseSet,
    position: Position,
  ): Promise<void> {
    const questionnaire = this.deps.questionnaire;
    const bank = questionnaire.itemBank;
    const wording = { register: profile.register, locale: profile.locale, domain: responseSet.domain };
    if (!position.item) {
      state.phase = 'overview';
      state.shownItemId = null;
      const rows = questionnaire.items(responseSet).map((item, index) => {
        const stored = responseSet.answers[item.id];
        return {
          itemId: item.id,
          number: index + 1,
          text: bank.questionText(item.id, wording),
          answerLabel: stored && stored.value !== null ? this.label(profile, stored.value, item.id) : null,
          comment: stored?.comment ?? null,
        };
      });
      await sendCard(context, createOverviewCard({ responseSetId: responseSet.id, rows, locale: profile.locale }));
      return;
    }
    state.phase = 'asking';
    state.shownItemId = position.item.id;
    await sendCard(
      context,
      createQuestionCard({
        responseSetId: responseSet.id,
        itemId: position.item.id,
        text: bank.questionText(position.item.id, wording),
        number: position.number,
        total: position.total,
        answered: position.answered,
        // Friction items run the faces the other way: "yes, it feels like a fight" gets no smile.
        options: bank.scaleForItem(position.item.id, profile.register, profile.locale),
        current: responseSet.answers[position.item.id]?.value,
        locale: profile.locale,
        canGoBack: position.number > 1,
      }),
    );
  }

  /** Puts the respondent back in front of what they were doing. */
  private async showWhereWeAre(context: TurnContext, state: QuestionnaireState, profile: UserProfile): Promise<void> {
    const responseSet = await this.current(state);
    if (!responseSet) return;
    if (state.phase === 'confirmRestart') state.phase = 'asking';
    const position =
      state.phase === 'asking' && state.shownItemId
        ? (this.deps.questionnaire.positionOf(responseSet, state.shownItemId) ?? this.deps.questionnaire.firstOpen(responseSet))
        : this.deps.questionnaire.firstOpen(responseSet);
    return this.ask(context, state, profile, responseSet, position);
  }

  private async current(state: QuestionnaireState): Promise<ResponseSet | undefined> {
    return this.deps.questionnaire.get(state.responseSetId);
  }

  private async profile(context: TurnContext): Promise<UserProfile> {
    return this.deps.profiles.get(context, defaultProfile(localeFromChannel(context.activity.locale)));
  }

  private label(profile: UserProfile, value: ScaleValue, itemId?: string): string {
    const bank = this.deps.questionnaire.itemBank;
    const scale = itemId ? bank.scaleForItem(itemId, profile.register, profile.locale) : bank.scale(profile.register, profile.locale);
    const point = scale.find((p) => p.value === value);
    return point ? optionTitle(point) : String(value);
  }
}
