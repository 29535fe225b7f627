import { CardFactory, MessageFactory } from 'botbuilder';
import type { CardAction } from '../../cards/cardActions';
import { createAnswerEchoCard } from '../../cards/answerEchoCard';
import { createAnswerOrCommentCard } from '../../cards/answerOrCommentCard';
import { createCommentCard } from '../../cards/commentCard';
import { createRestartConfirmCard } from '../../cards/messageCards';
import { createOverviewCard } from '../../cards/overviewCard';
import { AnswerOption, createAnsweredCard, createQuestionCard, optionTitle } from '../../cards/questionCard';
import { createReadingConfirmCard } from '../../cards/readingConfirmCard';
import { Position, QuestionnaireService, versionOf } from '../../services/questionnaire/questionnaireService';
import type { ResponseSet } from '../../services/questionnaire/responseSet';
import type { Interpretation, ReplyReading } from '../../services/replies/replyInterpreter';
import { CompletionOutcome, isOwnResponseSet, RoundParticipation } from '../../services/rounds/roundParticipation';
import type { ScaleValue } from '../../services/vocabulary';
import type { ConversationTurn } from '../conversationTurn';
import { answerableItem, isQuestionnaireContext, type QuestionnaireContext } from '../pendingContext';

/** An answer clicked while no questionnaire was open (after a pause, say). */
interface LateAnswer {
  itemId: string;
  value: number | null;
  typed: boolean;
}

type Action<V extends CardAction['verb']> = Extract<CardAction, { verb: V }>;

export interface QuestionnaireFlowHooks {
  /** The set was sent: thanks, results, the round's next step. */
  completed(turn: ConversationTurn, outcome: CompletionOutcome & { kind: 'completed' }): Promise<void>;
  /** Shows what this person can do when no questionnaire is open. */
  greet(turn: ConversationTurn): Promise<void>;
}

/**
 * One question per card: answering (clicked or typed), back, change ("Change" / overview), skip,
 * the comment prompt after a low answer as its own step, confirming unclear readings, "answer or
 * comment?", start again, the overview and sending.
 *
 * @remarks Flow only. Every answer is a compare-and-set on the item shown and the set's version
 * (`QuestionnaireService.answer`), so of parallel submits one is confirmed and the rest are told
 * what stays. Every turn leaves the person in front of something to do.
 */
export class QuestionnaireFlow {
  constructor(
    private readonly questionnaire: QuestionnaireService,
    private readonly participation: RoundParticipation,
    private readonly hooks: QuestionnaireFlowHooks,
  ) {}

  /** Opens `responseSetId` at its first open question (or the overview). */
  async begin(turn: ConversationTurn, responseSetId: string): Promise<void> {
    const responseSet = await this.questionnaire.get(responseSetId);
    if (!responseSet || responseSet.status === 'completed') {
      turn.pending = { kind: 'none' };
      await turn.say(turn.s.alreadyCompleted);
      return;
    }
    turn.profile.activeResponseSetId = responseSet.id;
    const presented = await this.questionnaire.setPresentation(responseSet.id, turn.profile.locale, turn.profile.register);
    await this.ask(turn, presented, this.questionnaire.firstOpen(presented));
  }

  /** Puts the person back in front of what is open: the question, the prompt, the overview. */
  async reprompt(turn: ConversationTurn): Promise<void> {
    const pending = turn.pending;
    if (!isQuestionnaireContext(pending)) return;
    const responseSet = await this.questionnaire.get(pending.responseSetId);
    if (!responseSet || responseSet.status === 'completed') {
      turn.pending = { kind: 'none' };
      return;
    }
    if (pending.kind === 'commentPrompt') return this.showCommentPrompt(turn, responseSet, pending.itemId, 'followUp');
    if (pending.kind === 'overview') return this.ask(turn, responseSet, this.questionnaire.firstOpen(responseSet));
    const position = this.questionnaire.positionOf(responseSet, pending.itemId) ?? this.questionnaire.firstOpen(responseSet);
    const held = pending.kind === 'asking' ? pending.heldComment : undefined;
    return this.ask(turn, responseSet, position, held);
  }

  // ---- answers ------------------------------------------------------------------------------

  answer(turn: ConversationTurn, action: Action<'answer'>): Promise<void> {
    return this.record(turn, action.responseSetId, action.itemId, action.value, false);
  }

  async typedAnswer(turn: ConversationTurn, value: ScaleValue | null): Promise<void> {
    const itemId = answerableItem(turn.pending);
    if (!isQuestionnaireContext(turn.pending) || !itemId) return this.notUnderstood(turn);
    return this.record(turn, turn.pending.responseSetId, itemId, value, true);
  }

  /** Asks which of the two likeliest readings was meant; nothing is stored until a button is tapped. */
  async confirmReading(turn: ConversationTurn, reading: Interpretation): Promise<void> {
    const pending = turn.pending;
    const itemId = answerableItem(pending);
    if (!isQuestionnaireContext(pending) || !itemId) return this.notUnderstood(turn);
    const scale = this.questionnaire.itemBank.scaleForItem(itemId, turn.profile.register, turn.locale);
    const toChoice = (r: ReplyReading): AnswerOption | 'skip' | null =>
      r.kind === 'skip' ? 'skip' : r.kind === 'answer' ? (scale.find((p) => p.value === r.value) ?? null) : null;
    const choices: (AnswerOption | 'skip')[] = [];
    for (const candidate of [reading, ...reading.alternatives]) {
      const choice = toChoice(candidate);
      if (choice && !choices.some((c) => (c === 'skip' ? choice === 'skip' : choice !== 'skip' && c.value === choice.value)))
        choices.push(choice);
      if (choices.length === 2) break;
    }
    turn.pending = { kind: 'confirmingReading', responseSetId: pending.responseSetId, itemId, version: pending.version };
    await turn.show(createReadingConfirmCard({ responseSetId: pending.responseSetId, itemId, choices, locale: turn.locale }));
  }

  /** "Is this your answer or a comment?": nothing is stored until a tap. */
  async askAnswerOrComment(turn: ConversationTurn, text: string): Promise<void> {
    const pending = turn.pending;
    if (!isQuestionnaireContext(pending) || pending.kind === 'overview') return this.notUnderstood(turn);
    const origin =
      pending.kind === 'commentPrompt' || (pending.kind === 'answerOrComment' && pending.origin === 'commentPrompt')
        ? 'commentPrompt'
        : 'asking';
    turn.pending = {
      kind: 'answerOrComment',
      responseSetId: pending.responseSetId,
      itemId: pending.itemId,
      version: pending.version,
      text,
      origin,
    };
    await turn.show(
      createAnswerOrCommentCard({ responseSetId: pending.responseSetId, itemId: pending.itemId, typed: text, locale: turn.locale }),
    );
  }

  async replyMeant(turn: ConversationTurn, action: Action<'replyMeant'>): Promise<void> {
    const pending = turn.pending;
    if (pending.kind !== 'answerOrComment' || pending.responseSetId !== action.responseSetId || pending.itemId !== action.itemId)
      return this.staleCard(turn, action.responseSetId);
    const { responseSetId, itemId, version, text } = pending;
    if (pending.origin === 'commentPrompt') {
      // Typed for a question not on screen yet: a comment on the low answer, or nothing at all.
      if (action.meant === 'comment') return this.saveComment(turn, responseSetId, itemId, text, 'next');
      await turn.say(turn.s.pickAnswerWithButton);
      return this.askNextAfter(turn, responseSetId, itemId);
    }
    if (action.meant === 'answer') {
      turn.pending = { kind: 'asking', responseSetId, itemId, version };
      await turn.say(turn.s.pickAnswerWithButton);
      return this.reprompt(turn);
    }
    // A comment on the question on screen: kept here and stored with its answer.
    turn.pending = { kind: 'asking', responseSetId, itemId, version, heldComment: text };
    await turn.say(turn.s.commentHeld);
    return this.reprompt(turn);
  }

  // ---- moving around ------------------------------------------------------------------------

  async back(turn: ConversationTurn, action: Action<'back'>): Promise<void> {
    const responseSet = await this.openSet(turn, action.responseSetId);
    if (!responseSet) return;
    const previous = this.questionnaire.previous(responseSet, answerableItem(turn.pending) ?? action.itemId);
    if (!previous) {
      await turn.say(turn.s.noEarlierQuestion);
      return this.reprompt(turn);
    }
    return this.ask(turn, responseSet, previous);
  }

  /** "Change" under a typed answer, or a row of the overview: reopens that question. */
  async edit(turn: ConversationTurn, action: Action<'edit'>): Promise<void> {
    const responseSet = await this.openSet(turn, action.responseSetId);
    if (!responseSet) return;
    const position = this.questionnaire.positionOf(responseSet, action.itemId);
    if (!position) return this.staleCard(turn, action.responseSetId);
    return this.ask(turn, responseSet, position);
  }

  async askRestart(turn: ConversationTurn): Promise<void> {
    const pending = turn.pending;
    if (!isQuestionnaireContext(pending)) return;
    const itemId = pending.kind === 'overview' ? '' : pending.itemId;
    turn.pending = { kind: 'confirmingRestart', responseSetId: pending.responseSetId, itemId, version: pending.version };
    await turn.show(createRestartConfirmCard(pending.responseSetId, turn.locale));
  }

  async restart(turn: ConversationTurn, action: Action<'restartConfirmed'>): Promise<void> {
    const responseSet = await this.openSet(turn, action.responseSetId);
    if (!responseSet) return;
    const cleared = await this.questionnaire.clear(responseSet.id);
    await turn.say(turn.s.restarted);
    return this.ask(turn, cleared, this.questionnaire.firstOpen(cleared));
  }

  async confirm(turn: ConversationTurn, action: Action<'confirm'>): Promise<void> {
    const responseSet = await this.openSet(turn, action.responseSetId);
    if (!responseSet) return;
    const outcome = await this.participation.complete(responseSet.id, action.shareComments ?? false, {
      channelUserId: turn.userId,
      professionalId: turn.profile.professionalId,
    });
    if (outcome.kind === 'incomplete') return this.reprompt(turn);
    turn.pending = { kind: 'none' };
    turn.profile.activeResponseSetId = null;
    return this.hooks.completed(turn, outcome);
  }

  // ---- comments -----------------------------------------------------------------------------

  /** "Comment" on a row of the overview. */
  async commentItem(turn: ConversationTurn, action: Action<'commentItem'>): Promise<void> {
    const responseSet = await this.openSet(turn, action.responseSetId);
    if (!responseSet) return;
    if (!responseSet.answers[action.itemId]) return this.staleCard(turn, action.responseSetId);
    turn.pending = { kind: 'commenting', responseSetId: responseSet.id, itemId: action.itemId, version: versionOf(responseSet) };
    await this.showCommentPrompt(turn, responseSet, action.itemId, 'comment');
  }

  /** "Save comment" on a comment card. */
  async comment(turn: ConversationTurn, action: Action<'comment'>): Promise<void> {
    const after = turn.pending.kind === 'commentPrompt' && turn.pending.itemId === action.itemId ? 'next' : 'reprompt';
    return this.saveComment(turn, action.responseSetId, action.itemId, action.comment, after);
  }

  /** Free text while a comment prompt is open. */
  async commentText(turn: ConversationTurn, text: string): Promise<void> {
    const pending = turn.pending;
    if (pending.kind !== 'commentPrompt' && pending.kind !== 'commenting') return this.notUnderstood(turn);
    return this.saveComment(turn, pending.responseSetId, pending.itemId, text, pending.kind === 'commentPrompt' ? 'next' : 'reprompt');
  }

  /** "No, go on" on a comment card, or "nee" / "verder" typed while it is open. */
  async skipComment(turn: ConversationTurn, action: Action<'skipComment'>): Promise<void> {
    const pending = turn.pending;
    if ((pending.kind === 'commentPrompt' || pending.kind === 'commenting') && pending.itemId === action.itemId) {
      if (pending.kind === 'commentPrompt') return this.askNextAfter(turn, pending.responseSetId, pending.itemId);
      turn.pending = { kind: 'asking', responseSetId: pending.responseSetId, itemId: pending.itemId, version: pending.version };
      const responseSet = await this.questionnaire.get(pending.responseSetId);
      if (responseSet) return this.ask(turn, responseSet, this.questionnaire.firstOpen(responseSet));
    }
    return this.reprompt(turn);
  }

  // ---- outside the questionnaire ------------------------------------------------------------

  /**
   * A questionnaire card clicked while no questionnaire is open here: after sending, after a pause,
   * or from another device. Only an answer on the paused question's own card is recorded (that is
   * where the person stopped, so it goes on there); any other card changes nothing.
   */
  async lateClick(turn: ConversationTurn, responseSetId: string, answer?: LateAnswer): Promise<void> {
    const responseSet = await this.questionnaire.get(responseSetId);
    if (!responseSet || !isOwnResponseSet(responseSet, turn.userId, turn.profile.professionalId)) {
      await turn.say(turn.s.notYours);
      return this.hooks.greet(turn);
    }
    if (responseSet.status === 'completed') {
      await turn.say(turn.s.closedCard);
      return;
    }
    const open = this.questionnaire.firstOpen(responseSet).item;
    if (answer && open) {
      // The paused question counts as shown; the questionnaire decides whether this card still fits it.
      turn.profile.activeResponseSetId = responseSet.id;
      const presented = await this.questionnaire.setPresentation(responseSet.id, turn.profile.locale, turn.profile.register);
      turn.pending = { kind: 'asking', responseSetId: presented.id, itemId: open.id, version: versionOf(presented) };
      return this.record(turn, presented.id, answer.itemId, answer.value, answer.typed);
    }
    await turn.say(turn.s.staleCard(null));
    return this.begin(turn, responseSet.id);
  }

  async notUnderstood(turn: ConversationTurn, quiet = false): Promise<void> {
    if (!quiet) await turn.say(turn.s.notUnderstood);
    if (turn.pending.kind === 'confirmingRestart') {
      await turn.show(createRestartConfirmCard(turn.pending.responseSetId, turn.locale));
      return;
    }
    return this.reprompt(turn);
  }

  // ---- steps --------------------------------------------------------------------------------

  private async record(turn: ConversationTurn, responseSetId: string, itemId: string, value: number | null, typed: boolean): Promise<void> {
    const pending = turn.pending;
    if (!isQuestionnaireContext(pending)) return this.lateClick(turn, responseSetId, { itemId, value, typed });
    if (responseSetId !== pending.responseSetId) return this.staleCard(turn, responseSetId);
    const shown = answerableItem(pending);
    const submitId = turn.context.activity.id;
    const outcome = await this.questionnaire.answer(responseSetId, itemId, value, shown, {
      shownAtVersion: pending.version,
      ...(submitId ? { submitId } : {}),
    });
    const s = turn.s;
    switch (outcome.kind) {
      case 'recorded': {
        const responseSet = outcome.responseSet;
        const stored = responseSet.answers[itemId]?.value ?? null;
        const label = stored === null ? null : this.label(turn, stored, itemId);
        await this.markAnswered(turn, responseSet, itemId, label);
        if (typed) await turn.show(createAnswerEchoCard({ responseSetId, itemId, answerLabel: label, locale: turn.locale }));
        else await turn.say(label === null ? s.youSkipped : s.youAnswered(label));
        let current = responseSet;
        if (pending.kind === 'asking' && pending.heldComment) {
          current = await this.questionnaire.comment(responseSetId, itemId, pending.heldComment);
          await turn.say(s.commentSaved);
        }
        if (
          this.questionnaire.isLowAnswer(itemId, stored) &&
          !current.answers[itemId]?.comment &&
          (await this.questionnaire.claimFollowUp(responseSetId, itemId))
        ) {
          const claimed = (await this.questionnaire.get(responseSetId)) ?? current;
          // The prompt is its own step: the next question follows once the comment is saved or declined.
          turn.pending = { kind: 'commentPrompt', responseSetId, itemId, version: versionOf(claimed) };
          return this.showCommentPrompt(turn, claimed, itemId, 'followUp');
        }
        return this.ask(turn, current, this.questionnaire.nextAfter(current, itemId));
      }
      case 'unchanged':
        if (itemId === shown) return this.ask(turn, outcome.responseSet, this.questionnaire.nextAfter(outcome.responseSet, itemId));
        await turn.say(s.staleCard(this.storedLabel(turn, outcome.responseSet, itemId)));
        return this.reprompt(turn);
      case 'alreadyAnswered':
        // Another submit (a parallel one, another tab) answered this question first: that answer stays.
        await turn.say(s.staleCard(this.storedLabel(turn, outcome.responseSet, itemId)));
        return this.ask(turn, outcome.responseSet, this.questionnaire.nextAfter(outcome.responseSet, itemId));
      case 'stale':
        await turn.say(s.staleCard(this.storedLabel(turn, outcome.responseSet, itemId)));
        return this.reprompt(turn);
      case 'closed':
        turn.pending = { kind: 'none' };
        await turn.say(s.closedCard);
        return;
      case 'invalid':
        await turn.say(s.unknownValue);
        return this.reprompt(turn);
    }
  }

  private async saveComment(
    turn: ConversationTurn,
    responseSetId: string,
    itemId: string,
    comment: string,
    after: 'next' | 'reprompt',
  ): Promise<void> {
    const responseSet = await this.openSet(turn, responseSetId);
    if (!responseSet) return;
    if (!responseSet.answers[itemId]) return this.staleCard(turn, responseSetId);
    const saved = await this.questionnaire.comment(responseSetId, itemId, comment);
    if (comment.trim()) await turn.say(turn.s.commentSaved);
    if (after === 'next') return this.ask(turn, saved, this.questionnaire.nextAfter(saved, itemId));
    return this.ask(turn, saved, this.questionnaire.firstOpen(saved));
  }

  private async askNextAfter(turn: ConversationTurn, responseSetId: string, itemId: string): Promise<void> {
    const responseSet = await this.questionnaire.get(responseSetId);
    if (!responseSet) return;
    return this.ask(turn, responseSet, this.questionnaire.nextAfter(responseSet, itemId));
  }

  /** The set of this conversation's open questionnaire, or `null` after telling the person why not. */
  private async openSet(turn: ConversationTurn, responseSetId: string): Promise<ResponseSet | null> {
    const pending = turn.pending;
    if (!isQuestionnaireContext(pending)) {
      await this.lateClick(turn, responseSetId);
      return null;
    }
    if (pending.responseSetId !== responseSetId) {
      await this.staleCard(turn, responseSetId);
      return null;
    }
    const responseSet = await this.questionnaire.get(responseSetId);
    if (!responseSet) return null;
    if (responseSet.status === 'completed') {
      turn.pending = { kind: 'none' };
      await turn.say(turn.s.closedCard);
      return null;
    }
    return responseSet;
  }

  private async staleCard(turn: ConversationTurn, responseSetId: string): Promise<void> {
    if (!isQuestionnaireContext(turn.pending)) return this.lateClick(turn, responseSetId);
    await turn.say(turn.s.staleCard(null));
    return this.reprompt(turn);
  }

  private async showCommentPrompt(
    turn: ConversationTurn,
    responseSet: ResponseSet,
    itemId: string,
    kind: 'followUp' | 'comment',
  ): Promise<void> {
    await turn.show(
      createCommentCard({
        responseSetId: responseSet.id,
        itemId,
        questionText: this.questionnaire.itemBank.questionText(itemId, {
          register: turn.profile.register,
          locale: turn.locale,
          domain: responseSet.domain,
        }),
        kind,
        current: responseSet.answers[itemId]?.comment ?? null,
        locale: turn.locale,
      }),
    );
  }

  /** Shows the question at `position` (or the overview when all are answered) and remembers it as pending. */
  private async ask(turn: ConversationTurn, responseSet: ResponseSet, position: Position, heldComment?: string): Promise<void> {
    const bank = this.questionnaire.itemBank;
    const profile = turn.profile;
    const wording = { register: profile.register, locale: profile.locale, domain: responseSet.domain };
    const version = versionOf(responseSet);
    if (!position.item) {
      turn.pending = { kind: 'overview', responseSetId: responseSet.id, version };
      const rows = this.questionnaire.items(responseSet).map((item, index) => {
        const stored = responseSet.answers[item.id];
        return {
          itemId: item.id,
          number: index + 1,
          text: bank.questionText(item.id, wording),
          answerLabel: stored && stored.value !== null ? this.label(turn, stored.value, item.id) : null,
          comment: stored?.comment ?? null,
        };
      });
      const roleWord = bank.roleWord(responseSet.domain, profile.locale);
      await turn.show(createOverviewCard({ responseSetId: responseSet.id, rows, locale: profile.locale, roleWord }));
      return;
    }
    const asking: QuestionnaireContext = { kind: 'asking', responseSetId: responseSet.id, itemId: position.item.id, version };
    turn.pending = heldComment ? { ...asking, heldComment } : asking;
    await turn.show(
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

  /**
   * In Teams, replaces the clicked question card with the question and its answer, without buttons.
   * Best effort: the answer is already stored, so a failed update must not fail the turn.
   */
  private async markAnswered(turn: ConversationTurn, responseSet: ResponseSet, itemId: string, label: string | null): Promise<void> {
    const context = turn.context;
    const cardId = context.activity.replyToId;
    if (context.activity.channelId !== 'msteams' || !cardId || context.activity.value === undefined) return;
    const position = this.questionnaire.positionOf(responseSet, itemId);
    if (!position) return;
    const card = createAnsweredCard({
      text: this.questionnaire.itemBank.questionText(itemId, {
        register: turn.profile.register,
        locale: turn.locale,
        domain: responseSet.domain,
      }),
      number: position.number,
      total: position.total,
      answerLabel: label,
      locale: turn.locale,
    });
    const update = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    update.id = cardId;
    try {
      await context.updateActivity(update);
    } catch {
      // Older Teams clients or a deleted card: the old card simply stays as it was.
    }
  }

  private storedLabel(turn: ConversationTurn, responseSet: ResponseSet, itemId: string): string | null {
    const stored = responseSet.answers[itemId];
    if (!stored) return null;
    return stored.value === null ? turn.s.skippedLabel : this.label(turn, stored.value, itemId);
  }

  private label(turn: ConversationTurn, value: ScaleValue, itemId: string): string {
    const scale = this.questionnaire.itemBank.scaleForItem(itemId, turn.profile.register, turn.locale);
    const point = scale.find((p) => p.value === value);
    return point ? optionTitle(point) : String(value);
  }
}
