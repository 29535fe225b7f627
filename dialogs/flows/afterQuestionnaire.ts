import { createClientResultsCard } from '../../cards/clientResultsCard';
import { createThanksCard } from '../../cards/messageCards';
import type { QuestionnaireService } from '../../services/questionnaire/questionnaireService';
import type { CompletionOutcome } from '../../services/rounds/roundParticipation';
import type { RoundService } from '../../services/rounds/roundService';
import { clientOwnResults } from '../../services/summary/roundReport';
import type { ConversationTurn } from '../conversationTurn';

/**
 * After a set was sent: thanks, the client's own results when the organisation allows it, and for
 * a professional whether the comparison is still waiting for the client.
 */
export class AfterQuestionnaireFlow {
  constructor(
    private readonly questionnaire: QuestionnaireService,
    private readonly rounds: RoundService,
    private readonly clientSeesSummary: boolean,
  ) {}

  async completed(turn: ConversationTurn, outcome: CompletionOutcome & { kind: 'completed' }): Promise<void> {
    const { responseSet } = outcome;
    if (!responseSet.roundId || responseSet.perspective === 'client') await turn.show(createThanksCard(turn.locale));
    if (!responseSet.roundId) return;
    if (responseSet.perspective === 'client') {
      const round = this.clientSeesSummary ? await this.rounds.roundForClient(turn.userId) : null;
      if (!round) return;
      await turn.say(turn.s.clientThanksWithResults);
      await turn.show(createClientResultsCard(clientOwnResults(this.questionnaire.itemBank, round, responseSet, turn.locale), turn.locale));
      return;
    }
    if (outcome.round === 'waiting') await turn.say(turn.s.proThanksWaiting);
  }
}
