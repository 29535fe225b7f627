/**
 * @packageDocumentation
 * What happens around a round after answers come in: the summary to the professional as soon as
 * both sides are done or at the deadline, one reminder to a client who has not finished, one
 * reminder to a professional whose own side is not done the day before the deadline, and the
 * deletion of rounds (with their answers) once the retention period after the appointment is over.
 *
 * @remarks The sending itself is behind `RoundNotifier` (the bot does it proactively). Each send is
 * claimed first (`markSummarySent` / `markReminderSent` are atomic and survive restarts), so nothing
 * is sent twice; a send that does not happen (it failed, or the answers could not be loaded)
 * releases its claim so the next tick tries again. A round that fails in a tick (an unreadable
 * record, say) is reported in `failures` and the tick goes on with the next round.
 */
import type { QuestionnaireService } from '../questionnaire/questionnaireService';
import type { RoundService } from './roundService';
import type { Round } from './round';
import { loadRoundAnswers, type RoundAnswers } from './roundAnswers';
import type { RoundNotifier } from './roundNotifier';

export interface TickFailure {
  roundId: string;
  job: 'summary' | 'reminder' | 'professionalReminder' | 'retention';
  error: unknown;
}

export interface TickResult {
  summaries: number;
  reminders: number;
  professionalReminders: number;
  deleted: number;
  failures: TickFailure[];
}

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

  /**
   * One scheduler tick: deadline summaries and reminders that are due. Safe to run at any time.
   *
   * @remarks When `stop` aborts, the tick ends soon: the round being worked on is finished (a claim
   * is never left without its send or release), no further round is started, and a listing still
   * being read is not waited for (it changes nothing).
   */
  async tick(stop?: AbortSignal): Promise<TickResult> {
    const now = this.now();
    const result: TickResult = { summaries: 0, reminders: 0, professionalReminders: 0, deleted: 0, failures: [] };
    const eachRound = async (rounds: Round[], job: TickFailure['job'], work: (round: Round) => Promise<boolean>): Promise<number> => {
      let done = 0;
      for (const round of rounds) {
        if (stop?.aborted) break;
        try {
          if (await work(round)) done += 1;
        } catch (error) {
          result.failures.push({ roundId: round.id, job, error });
        }
      }
      return done;
    };
    // A complete round here is a retry of a summary that could not be delivered: both are done, say so.
    result.summaries = await eachRound(await unlessStopped(this.rounds.dueForDeadlineSummary(now), stop), 'summary', (round) =>
      this.sendSummaryOnce(round, round.status === 'complete' ? 'bothDone' : 'deadline'),
    );
    const due = await unlessStopped(
      this.rounds.dueForReminder(now, this.reminderDaysBefore, async (round) => {
        try {
          return (await this.answersOf(round)).client?.status === 'completed';
        } catch (error) {
          // Unreadable answers: no reminder (it might be wrong), and the others still get theirs.
          result.failures.push({ roundId: round.id, job: 'reminder', error });
          return true;
        }
      }),
      stop,
    );
    result.reminders = await eachRound(due, 'reminder', async (round) => {
      if (!(await this.rounds.markReminderSent(round.id, now))) return false;
      if (await this.notifier.sendReminder(round)) return true;
      await this.rounds.releaseClaim(round.id, 'reminder', now);
      return false;
    });
    const professionalDue = await unlessStopped(
      this.rounds.dueForProfessionalReminder(now, async (round) => {
        try {
          return (await this.answersOf(round)).professional?.status === 'completed';
        } catch (error) {
          result.failures.push({ roundId: round.id, job: 'professionalReminder', error });
          return true;
        }
      }),
      stop,
    );
    result.professionalReminders = await eachRound(professionalDue, 'professionalReminder', async (round) => {
      if (!(await this.rounds.markProfessionalReminderSent(round.id, now))) return false;
      if (await this.notifier.sendProfessionalReminder(round).catch(() => false)) return true;
      await this.rounds.releaseClaim(round.id, 'professionalReminder', now);
      return false;
    });
    result.deleted = await eachRound(
      await unlessStopped(this.rounds.pastRetention(now, this.retentionDays), stop),
      'retention',
      async (round) => {
        const removed = await this.rounds.delete(round.id, round.professionalId);
        for (const id of removed.responseSetIds) await this.questionnaire.delete(id);
        return removed.deleted;
      },
    );
    return result;
  }

  private async sendSummaryOnce(round: Round, reason: 'bothDone' | 'deadline'): Promise<boolean> {
    const at = this.now();
    if (!(await this.rounds.markSummarySent(round.id, at))) return false;
    let sent = false;
    try {
      sent = await this.notifier.sendSummary(round, await this.answersOf(round), await this.previousAnswers(round), reason);
    } catch (error) {
      // Loading the answers (or sending) failed: the summary was not sent, so the claim goes back.
      await this.rounds.releaseClaim(round.id, 'summary', at);
      throw error;
    }
    if (!sent) await this.rounds.releaseClaim(round.id, 'summary', at);
    return sent;
  }
}

/** The listing, or none as soon as `stop` aborts: a listing has no effects, so stopping need not wait for it. */
async function unlessStopped(listing: Promise<Round[]>, stop: AbortSignal | undefined): Promise<Round[]> {
  if (!stop) return listing;
  if (stop.aborted) return [];
  let stopped: () => void = () => undefined;
  const whenStopped = new Promise<Round[]>((resolve) => {
    stopped = () => resolve([]);
    stop.addEventListener('abort', stopped, { once: true });
  });
  try {
    return await Promise.race([listing, whenStopped]);
  } finally {
    // One listener per listing, every minute: it must not stay behind.
    stop.removeEventListener('abort', stopped);
  }
}
