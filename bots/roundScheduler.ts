import type { RoundProgress } from '../services/rounds/roundProgress';
import { describeError, Logger } from '../logging/logger';

/**
 * Runs the round jobs (deadline summaries, reminders) once a minute.
 *
 * @remarks Nothing is kept in memory between ticks: what is due is read from the stored rounds, and
 * each send is claimed in storage first, so jobs survive a restart and never send twice.
 */
export class RoundScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly stopping = new AbortController();

  constructor(
    private readonly progress: RoundProgress,
    private readonly log: Logger,
    private readonly intervalMs = 60000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
    void this.runOnce();
  }

  async runOnce(): Promise<void> {
    if (this.running) return this.running;
    if (this.stopping.signal.aborted) return;
    this.running = this.progress
      .tick(this.stopping.signal)
      .then(({ failures, ...done }) => {
        for (const failure of failures)
          this.log.error('scheduler_round_failed', { roundId: failure.roundId, job: failure.job, ...describeError(failure.error) });
        if (done.summaries > 0 || done.reminders > 0 || done.deleted > 0) this.log.info('scheduler_done', done);
      })
      .catch((error: unknown) => this.log.error('scheduler_failed', describeError(error)))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Stops the timer and a tick in progress: the round being worked on is finished, nothing more is started. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopping.abort();
    await this.running;
  }
}
