import type { QuestionnaireService } from '../questionnaire/questionnaireService';
import type { ResponseSet } from '../questionnaire/responseSet';
import type { Locale, Register } from '../vocabulary';
import { RoundStateError, type Round } from './round';
import type { RoundProgress } from './roundProgress';
import type { RoundService } from './roundService';

/** How the respondent reads the questions when their set is started. */
export interface Presentation {
  locale: Locale;
  register: Register;
}

/** Who is answering: the channel user, and the professional they are signed in as (if any). */
export interface Respondent {
  channelUserId: string;
  professionalId: string | null;
}

/** What completing a set led to: not complete yet (items open), completed, and for a round what follows. */
export type CompletionOutcome =
  | { kind: 'incomplete'; responseSet: ResponseSet }
  | { kind: 'completed'; responseSet: ResponseSet; round: 'none' | 'summarySent' | 'waiting' | 'notSent' };

/**
 * Taking part in a round: starting (or finding) one side's response set and attaching it, completing
 * it and telling the round, deleting a round with its answers, and who owns a set.
 *
 * @remarks This is the orchestration the dialogs used to do in their steps. Two tabs may start a set
 * at the same moment; only one can be attached, and the other tab then uses that one (its own empty
 * set is removed), so a side never ends up with two sets.
 */
export class RoundParticipation {
  constructor(
    private readonly rounds: RoundService,
    private readonly questionnaire: QuestionnaireService,
    private readonly progress: RoundProgress,
  ) {}

  /** The client's set for `round`, started and attached on first use. */
  clientResponseSet(round: Round, clientUserId: string, presentation: Presentation): Promise<ResponseSet> {
    return this.responseSetFor(round, 'client', clientUserId, presentation);
  }

  /** The professional's own side of `round`, started and attached on first use. */
  professionalResponseSet(round: Round, professionalId: string, presentation: Presentation): Promise<ResponseSet> {
    return this.responseSetFor(round, 'professional', professionalRespondentId(professionalId), presentation);
  }

  /**
   * Completes the set once every item has an answer or a skip, with the respondent's choice about
   * their comments, and tells the round (which may send the summary).
   */
  async complete(responseSetId: string, shareComments: boolean, respondent: Respondent): Promise<CompletionOutcome> {
    const before = await this.questionnaire.get(responseSetId);
    const responseSet = await this.questionnaire.complete(responseSetId, shareComments);
    if (responseSet.status !== 'completed') return { kind: 'incomplete', responseSet };
    // A second "send" click changes nothing and must not tell the round twice.
    if (before?.status === 'completed' || !responseSet.roundId) return { kind: 'completed', responseSet, round: 'none' };
    const round =
      responseSet.perspective === 'client'
        ? await this.rounds.roundForClient(respondent.channelUserId)
        : respondent.professionalId
          ? await this.rounds.getForProfessional(responseSet.roundId, respondent.professionalId)
          : null;
    if (!round || round.id !== responseSet.roundId) return { kind: 'completed', responseSet, round: 'none' };
    return { kind: 'completed', responseSet, round: await this.progress.onResponseSetCompleted(round.id, round.professionalId) };
  }

  /** Deletes a round of this professional and every answer in it; `null` when it is not theirs. */
  async deleteRound(roundId: string, professionalId: string): Promise<{ round: Round; responseSetIds: string[] } | null> {
    const round = await this.rounds.getForProfessional(roundId, professionalId);
    if (!round) return null;
    const result = await this.rounds.delete(roundId, professionalId);
    if (!result.deleted) return null;
    for (const id of result.responseSetIds) await this.questionnaire.delete(id);
    return { round, responseSetIds: result.responseSetIds };
  }

  private async responseSetFor(
    round: Round,
    side: 'client' | 'professional',
    respondentId: string,
    presentation: Presentation,
  ): Promise<ResponseSet> {
    const attachedId = side === 'client' ? round.clientResponseSetId : round.professionalResponseSetId;
    const attached = attachedId ? await this.questionnaire.get(attachedId) : undefined;
    if (attached) return attached;
    const started = await this.questionnaire.start({
      respondentId,
      perspective: side,
      form: round.form,
      locale: presentation.locale,
      register: presentation.register,
      domain: round.domain,
      roundId: round.id,
    });
    try {
      await this.rounds.attachResponseSet(round.id, side, started.id);
      return started;
    } catch (error) {
      if (!(error instanceof RoundStateError) || error.reason !== 'alreadyAttached') throw error;
      // Another tab attached its set first: use that one.
      await this.questionnaire.delete(started.id);
      const fresh = await this.rounds.getForProfessional(round.id, round.professionalId);
      const winnerId = side === 'client' ? fresh?.clientResponseSetId : fresh?.professionalResponseSetId;
      const winner = winnerId ? await this.questionnaire.get(winnerId) : undefined;
      if (!winner) throw error;
      return winner;
    }
  }
}

/** Who answers a professional's side, in response sets: not a channel user, the professional. */
export function professionalRespondentId(professionalId: string): string {
  return `professional:${professionalId}`;
}

/** Whether `responseSet` belongs to this channel user, or to this signed-in professional. */
export function isOwnResponseSet(responseSet: ResponseSet, channelUserId: string, professionalId: string | null): boolean {
  return (
    responseSet.respondentId === channelUserId ||
    (professionalId !== null && responseSet.respondentId === professionalRespondentId(professionalId))
  );
}
