/**
 * @packageDocumentation
 * What happens around a round after answers come in: the summary to the professional as soon as
 * both sides are done or at the deadline, one reminder to a client who has not finished, and the
 * deletion of rounds (with their answers) once the retention period after the appointment is over.
 *
 * @remarks The sending itself is behind `RoundNotifier` (the bot does it proactively). Each send is
 * claimed first (`markSummarySent` / `markReminderSent` are atomic and survive restarts), so nothing
 * is sent twice; a send that fails releases its claim so the next tick tries again.
 */
import type { QuestionnaireService } from '../questionnaire/questionnaireService';
import type { RoundService } from './roundService';
import type { Round } from './round';
import { loadRoundAnswers, type RoundAnswers } from './roundAnswers';
import type { RoundNotifier } from './roundNotifier';

export class RoundProgress {
  constructor(
    private readonly rounds: RoundService,
    private readonly questionnaire: QuestionnaireService,
    private readonly notifier: RoundNotifier,
    private readonly now: () => Date,
    private readonly reminderDaysBefore: number,
    private readonly retentionDays = 0,
  ) {}

  async answersOf(round: Round): Promise<RoundAnswers> {
    return loadRoundAnswers(round, (id) => this.questionnaire.get(id));
  }

  /** The previous round's answers when they may be shown (for the trend). */
  async previousAnswers(round: Round): Promise<RoundAnswers | null> {
    if (!round.previousRoundId) return null;
    const previous = await this.rounds.getForProfessional(round.previousRoundId, round.professionalId);
    if (!previous || !this.rounds.canReveal(previous, this.now())) return null;
    return this.answersOf(previous);
  }

  /** Call after a response set of a round was completed: sends the summary once both sides are done. */
  async onResponseSetCompleted(roundId: string, professionalId: string): Promise<'summarySent' | 'waiting' | 'notSent'> {
    const round = await this.rounds.getForProfessional(roundId, professionalId);
    if (!round || round.status === 'cancelled') return 'waiting';
    const answers = await this.answersOf(round);
    if (answers.client?.status !== 'completed' || answers.professional?.status !== 'completed') return 'waiting';
    const completed = round.status === 'open' ? await this.rounds.markComplete(round.id) : round;
    return (await this.sendSummaryOnce(completed, 'bothDone')) ? 'summarySent' : 'notSent';
  }

  /** One scheduler tick: deadline summaries and reminders that are due. Safe to run at any time. */
  async tick(): Promise<{ summaries: number; reminders: number; deleted: number }> {
    const now = this.now();
    let summaries = 0;
    let reminders = 0;
    let deleted = 0;
    for (const round of await this.rounds.dueForDeadlineSummary(now)) {
      if (await this.sendSummaryOnce(round, 'deadline')) summaries += 1;
    }
    const due = await this.rounds.dueForReminder(
      now,
      this.reminderDaysBefore,
      async (round) => (await this.answersOf(round)).client?.status === 'completed',
    );
    for (const round of due) {
      if (!(await this.rounds.markReminderSent(round.id, now))) continue;
      if (await this.notifier.sendReminder(round)) reminders += 1;
      else await this.rounds.releaseClaim(round.id, 'reminder', now);
    }
    for (const round of await this.rounds.pastRetention(now, this.retentionDays)) {
      const result = await this.rounds.delete(round.id, round.professionalId);
      for (const id of result.responseSetIds) await this.questionnaire.delete(id);
      if (result.deleted) deleted += 1;
    }
    return { summaries, reminders, deleted };
  }

  private async sendSummaryOnce(round: Round, reason: 'bothDone' | 'deadline'): Promise<boolean> {
    const at = this.now();
    if (!(await this.rounds.markSummarySent(round.id, at))) return false;
    const sent = await this.notifier
      .sendSummary(round, await this.answersOf(round), await this.previousAnswers(round), reason)
      .catch(() => false);
    if (!sent) await this.rounds.releaseClaim(round.id, 'summary', at);
    return sent;
  }
}
