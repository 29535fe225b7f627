import type { RoundProgress } from '../services/rounds/roundProgress';
import { describeError, Logger } from '../logging/logger';

export interface SchedulerTiming {
  /** Time between ticks; default one minute. */
  intervalMs?: number;
  /** Each wait is spread by up to this fraction either way; default 0.2. */
  jitter?: number;
  /** Between 0 and 1; tests pass a fixed one. */
  random?: () => number;
}

/** A tick that left work behind (more due than one batch) is followed this soon, not a whole interval later. */
const BACKLOG_PAUSE_MS = 1000;

/**
 * Runs the round jobs (deadline summaries, reminders, retention) on every instance, about once a
 * minute.
 *
 * @remarks Nothing is kept in memory between ticks: what is due is read from the stored rounds, and
 * each job is claimed as a lease in storage first (`RoundProgress`), so jobs survive a restart, run
 * once across instances, and one instance's dead jobs are taken by another. The first tick comes
 * after a random part of the interval and every wait is spread, so instances started together
 * (a deployment) do not all ask the database at the same moments. A tick is bounded
 * (`RoundProgress` batches); when it says more was due, the next one follows within a second.
 * `stop()` lets the tick in flight finish its sends (and record them) but start no new round.
 */
export class RoundScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<boolean> | null = null;
  private abort: AbortController | null = null;
  private started = false;
  private readonly intervalMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(
    private readonly progress: Pick<RoundProgress, 'tick'>,
    private readonly log: Logger,
    timing: SchedulerTiming = {},
  ) {
    this.intervalMs = timing.intervalMs ?? 60000;
    this.jitter = timing.jitter ?? 0.2;
    this.random = timing.random ?? Math.random;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(this.random() * this.intervalMs);
  }

  /** Runs one tick now (or joins the one running). */
  async runOnce(): Promise<void> {
    await this.tick();
  }

  /** Stops ticking and waits for the tick in flight; its sends in flight finish and are recorded. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort?.abort();
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.tickAndReschedule(), delayMs);
    this.timer.unref();
  }

  private async tickAndReschedule(): Promise<void> {
    this.timer = null;
    const more = await this.tick();
    if (!this.started) return;
    const base = more ? Math.min(BACKLOG_PAUSE_MS, this.intervalMs) : this.intervalMs;
    this.schedule(base * (1 - this.jitter + 2 * this.jitter * this.random()));
  }

  /** `true` when more was due than the tick took. */
  private tick(): Promise<boolean> {
    if (this.running) return this.running;
    const abort = new AbortController();
    this.abort = abort;
    this.running = this.progress
      .tick({ signal: abort.signal })
      .then(({ failures, more, ...done }) => {
        for (const failure of failures)
          this.log.error('scheduler_round_failed', { roundId: failure.roundId, job: failure.job, ...describeError(failure.error) });
        if (done.summaries > 0 || done.reminders > 0 || done.professionalReminders > 0 || done.deleted > 0)
          this.log.info('scheduler_done', { ...done, more });
        return more;
      })
      .catch((error: unknown) => {
        this.log.error('scheduler_failed', describeError(error));
        return false;
      })
      .finally(() => {
        this.running = null;
        this.abort = null;
      });
    return this.running;
  }
}
