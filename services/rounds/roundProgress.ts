/**
 * @packageDocumentation
 * What happens around a round after answers come in: the summary to the professional as soon as
 * both sides are done or at the deadline, one reminder to a client who has not finished, one
 * reminder to a professional whose own side is not done the day before the deadline, and the
 * deletion of rounds (with their answers) once the retention period after the appointment is over.
 *
 * @remarks The sending itself is behind `RoundNotifier` (the bot does it proactively). Several
 * instances may run these jobs on one database, so each job is claimed first as a lease on the
 * round (`RoundService.claimJob`, atomic): one instance gets it, the others skip it. A message
 * counts as sent only once the channel acknowledged it (2xx); then it is recorded at once
 * (`confirmSent`). A send that fails gives the lease back so a later tick tries again; an instance
 * that dies mid-job leaves a lease that expires after a few minutes, and another instance does the
 * job. The one case left: an instance that dies after the channel accepted a message but before
 * the record was written; another instance sends that message again after the lease. That window
 * is one database write long.
 *
 * Why leases on the round and not a job table (or pg-boss / graphile-worker): every job here is
 * derived from the round itself (a deadline, a reminder window, an appointment date) and is done
 * when a field of the round says so. A job table would be a second source of truth to keep in step
 * with every change to a round (completed early, cancelled, deleted, a new deadline), in both
 * storage backends, and a queue library works on PostgreSQL only. The due lists already come from
 * indexed queries, and claiming on the round's own row (the repository's atomic `update`) makes one
 * claim win without anything else to keep consistent.
 *
 * A tick is bounded: at most `batchSize` rounds per job (the result says when more were due, so
 * the scheduler comes back soon), a few sends at a time, and it stops between rounds when asked.
 * A round that fails in a tick (an unreadable record, say) is reported in `failures` and the tick
 * goes on with the next round.
 */
import type { QuestionnaireService } from '../questionnaire/questionnaireService';
import { professionalActor } from '../access/accessLog';
import type { AccessRecorder } from '../access/accessRecorder';
import type { JobClaim, RoundService } from './roundService';
import type { Round, RoundJob } from './round';
import { loadRoundAnswers, type RoundAnswers } from './roundAnswers';
import type { RoundNotifier } from './roundNotifier';

export interface TickFailure {
  roundId: string;
  job: RoundJob;
  error: unknown;
}

export interface TickResult {
  summaries: number;
  reminders: number;
  professionalReminders: number;
  deleted: number;
  failures: TickFailure[];
  /** More was due than one tick takes (`batchSize`): run again soon rather than a whole interval later. */
  more: boolean;
}

/** A send that had not finished when its lease ran out; another instance may take the job now. */
export class SendOutlastedLeaseError extends Error {
  readonly code = 'SEND_OUTLASTED_LEASE';
  constructor(
    readonly roundId: string,
    readonly job: RoundJob,
  ) {
    super(`The ${job} of round ${roundId} was still being sent when its lease ran out`);
    this.name = 'SendOutlastedLeaseError';
  }
}

export interface RoundProgressDeps {
  rounds: RoundService;
  questionnaire: QuestionnaireService;
  notifier: RoundNotifier;
  now: () => Date;
  reminderDaysBefore: number;
  /** 0 (the default) keeps rounds until deleted by hand. */
  retentionDays?: number;
  /** Notes every summary delivered in chat (after it is recorded as sent). */
  access?: AccessRecorder;
  /** Rounds per job per tick at most; default 50. */
  batchSize?: number;
  /** Sends in flight at once within a tick; default 4. */
  parallelSends?: number;
}

export class RoundProgress {
  private readonly rounds: RoundService;
  private readonly questionnaire: QuestionnaireService;
  private readonly notifier: RoundNotifier;
  private readonly now: () => Date;
  private readonly reminderDaysBefore: number;
  private readonly retentionDays: number;
  private readonly access: AccessRecorder | null;
  private readonly batchSize: number;
  private readonly parallelSends: number;

  constructor(deps: RoundProgressDeps) {
    this.rounds = deps.rounds;
    this.questionnaire = deps.questionnaire;
    this.notifier = deps.notifier;
    this.now = deps.now;
    this.reminderDaysBefore = deps.reminderDaysBefore;
    this.retentionDays = deps.retentionDays ?? 0;
    this.access = deps.access ?? null;
    this.batchSize = Math.max(1, deps.batchSize ?? 50);
    this.parallelSends = Math.max(1, deps.parallelSends ?? 4);
  }

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
   * One scheduler tick: deadline summaries, reminders and retention that are due. Safe to run at
   * any time and on several instances at once. With `signal` aborted it starts no further round
   * (the sends in flight finish and are recorded).
   */
  async tick(options: { signal?: AbortSignal } = {}): Promise<TickResult> {
    const now = this.now();
    const result: TickResult = { summaries: 0, reminders: 0, professionalReminders: 0, deleted: 0, failures: [], more: false };
    const eachRound = async (rounds: Round[], job: RoundJob, work: (round: Round) => Promise<boolean>): Promise<number> => {
      if (rounds.length > this.batchSize) result.more = true;
      let done = 0;
      await inParallel(rounds.slice(0, this.batchSize), this.parallelSends, async (round) => {
        if (options.signal?.aborted) return;
        try {
          if (await work(round)) done += 1;
        } catch (error) {
          result.failures.push({ roundId: round.id, job, error });
        }
      });
      return done;
    };
    // A complete round here is a retry of a summary that could not be delivered: both are done, say so.
    result.summaries = await eachRound(await this.rounds.dueForDeadlineSummary(now), 'summary', (round) =>
      this.sendSummaryOnce(round, round.status === 'complete' ? 'bothDone' : 'deadline'),
    );
    const due = await this.rounds.dueForReminder(now, this.reminderDaysBefore, async (round) => {
      try {
        return (await this.answersOf(round)).client?.status === 'completed';
      } catch (error) {
        // Unreadable answers: no reminder (it might be wrong), and the others still get theirs.
        result.failures.push({ roundId: round.id, job: 'reminder', error });
        return true;
      }
    });
    result.reminders = await eachRound(due, 'reminder', (round) =>
      this.deliverOnce(round, 'reminder', () => this.notifier.sendReminder(round)),
    );
    const professionalDue = await this.rounds.dueForProfessionalReminder(now, async (round) => {
      try {
        return (await this.answersOf(round)).professional?.status === 'completed';
      } catch (error) {
        result.failures.push({ roundId: round.id, job: 'professionalReminder', error });
        return true;
      }
    });
    result.professionalReminders = await eachRound(professionalDue, 'professionalReminder', (round) =>
      this.deliverOnce(round, 'professionalReminder', () => this.notifier.sendProfessionalReminder(round).catch(() => false)),
    );
    result.deleted = await eachRound(await this.rounds.pastRetention(now, this.retentionDays), 'retention', (round) =>
      this.deleteOnce(round, now),
    );
    return result;
  }

  private async sendSummaryOnce(round: Round, reason: 'bothDone' | 'deadline'): Promise<boolean> {
    const sent = await this.deliverOnce(round, 'summary', async () =>
      this.notifier.sendSummary(round, await this.answersOf(round), await this.previousAnswers(round), reason),
    );
    // After the record, so the log write does not widen the window in which a crash means a second send.
    if (sent) await this.access?.view(professionalActor(round.professionalId), 'chat-summary', round.id, { detail: reason });
    return sent;
  }

  /**
   * Claims the job, sends, and records the delivery right after the channel's acknowledgement.
   *
   * @remarks The tick waits for a send at most until its lease ends: a channel call that hangs
   * would otherwise stop this instance's jobs (and its shutdown) for good. Such a send is reported
   * as `SendOutlastedLeaseError` and left to finish on its own; if the channel still acknowledges it,
   * it is recorded then. Another instance may have sent it meanwhile: that is the documented limit.
   */
  private async deliverOnce(round: Round, job: Exclude<RoundJob, 'retention'>, send: () => Promise<boolean>): Promise<boolean> {
    const claim = await this.rounds.claimJob(round.id, job, this.now());
    if (!claim) return false;
    const delivery = this.sendAndRecord(claim, send);
    let timer: NodeJS.Timeout | undefined;
    const leaseEnd = new Promise<'outlasted'>((resolve) => {
      timer = setTimeout(() => resolve('outlasted'), Math.max(0, claim.expiresAt.getTime() - this.now().getTime()));
    });
    try {
      const outcome = await Promise.race([delivery, leaseEnd]);
      if (outcome === 'outlasted') throw new SendOutlastedLeaseError(round.id, job);
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  private async sendAndRecord(claim: JobClaim, send: () => Promise<boolean>): Promise<boolean> {
    let sent: boolean;
    try {
      sent = await send();
    } catch (error) {
      // Loading the answers (or sending) failed: nothing went out, so the job goes back.
      await this.rounds.releaseJob(claim);
      throw error;
    }
    if (!sent) {
      await this.rounds.releaseJob(claim);
      return false;
    }
    await this.rounds.confirmSent(claim, this.now());
    return true;
  }

  /**
   * Deletes a round past retention with its answers. The answers go first and the round record last:
   * an instance that dies in between leaves the round to be found (and finished) again after the
   * lease, never answers without their round.
   */
  private async deleteOnce(round: Round, now: Date): Promise<boolean> {
    const claim = await this.rounds.claimJob(round.id, 'retention', now);
    if (!claim) return false;
    const listed = [round.clientResponseSetId, round.professionalResponseSetId].filter((id): id is string => id !== null);
    for (const id of listed) await this.questionnaire.delete(id);
    const removed = await this.rounds.delete(round.id, round.professionalId, 'retention');
    for (const id of removed.responseSetIds) if (!listed.includes(id)) await this.questionnaire.delete(id);
    return removed.deleted;
  }
}

/** Runs `work` over `items`, at most `width` at a time; `work` handles its own errors. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}
