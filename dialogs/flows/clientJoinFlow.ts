import { createIntroCard, createResumeCard } from '../../cards/messageCards';
import { createJoinCodeCard } from '../../cards/roundCards';
import { createSettingsCard } from '../../cards/settingsCard';
import type { ConversationReferenceRepository } from '../../services/conversations/conversationReferenceRepository';
import { clientReferenceKey } from '../../services/conversations/conversationReferenceRepository';
import type { QuestionnaireService } from '../../services/questionnaire/questionnaireService';
import type { Round } from '../../services/rounds/round';
import type { JoinResult, RoundService } from '../../services/rounds/roundService';
import type { ConversationTurn } from '../conversationTurn';
import { saveConversationReference } from '../conversationReferences';

/**
 * A client joining a round with a typed code or an invitation link, and what they see next: the
 * settings (simple words), the explanation, or "welcome back" with where they were.
 */
export class ClientJoinFlow {
  constructor(
    private readonly rounds: RoundService,
    private readonly questionnaire: QuestionnaireService,
    private readonly references: ConversationReferenceRepository,
  ) {}

  async joinWithCode(turn: ConversationTurn, code: string): Promise<void> {
    turn.profile.role = 'client';
    return this.afterJoin(turn, await this.rounds.joinWithCode(code, turn.userId));
  }

  async joinWithLink(turn: ConversationTurn, token: unknown): Promise<void> {
    return this.afterJoin(turn, await this.rounds.joinWithLink(token, turn.userId));
  }

  async askForCode(turn: ConversationTurn): Promise<void> {
    turn.pending = { kind: 'enteringCode' };
    await turn.show(createJoinCodeCard(turn.locale));
  }

  /** The round this client joined, remembered in their profile. */
  async clientRound(turn: ConversationTurn): Promise<Round | null> {
    const round = await this.rounds.roundForClient(turn.userId);
    if (round) turn.profile.roundId = round.id;
    return round;
  }

  /** Where a client who joined stands: sent already, halfway (welcome back), or not started. */
  async greetClient(turn: ConversationTurn, round: Round): Promise<void> {
    const responseSet = round.clientResponseSetId ? await this.questionnaire.get(round.clientResponseSetId) : undefined;
    if (responseSet?.status === 'completed') {
      turn.pending = { kind: 'none' };
      await turn.say(turn.s.alreadyCompleted);
      return;
    }
    turn.pending = { kind: 'intro' };
    if (responseSet && Object.keys(responseSet.answers).length > 0) {
      const position = this.questionnaire.firstOpen(responseSet);
      await turn.show(createResumeCard(position.answered, position.total, turn.locale));
      return;
    }
    const bank = this.questionnaire.itemBank;
    const count = bank.items(round.form, 'client').length;
    const roleWord = bank.roleWord(round.domain, turn.locale);
    await turn.show(createIntroCard(turn.s.introLines(count, turn.s.minutesFor(count), roleWord), turn.locale));
  }

  private async afterJoin(turn: ConversationTurn, result: JoinResult): Promise<void> {
    const s = turn.s;
    if (result.kind === 'rejected') {
      // The round's own role word where the person is its client; else the word of no field.
      const roleWord = this.questionnaire.itemBank.roleWord(
        result.reason === 'rateLimited' ? null : (result.ownRoundDomain ?? null),
        turn.locale,
      );
      await turn.say(
        result.reason === 'rateLimited' ? s.joinRateLimited(result.retryAfterMinutes) : s.joinRejected[result.reason](roleWord),
      );
      turn.pending = { kind: 'enteringCode' };
      if (result.reason !== 'rateLimited' && result.reason !== 'cancelled') await turn.show(createJoinCodeCard(turn.locale));
      return;
    }
    const profile = turn.profile;
    profile.role = 'client';
    profile.roundId = result.round.id;
    await saveConversationReference(this.references, turn.context, clientReferenceKey(turn.userId), profile.locale);
    if (result.kind === 'joined') await turn.say(s.joined);
    if (result.kind === 'joined' && profile.register === 'simple') {
      turn.pending = { kind: 'settings' };
      await turn.show(createSettingsCard(profile.locale, profile.register));
      return;
    }
    return this.greetClient(turn, result.round);
  }
}
