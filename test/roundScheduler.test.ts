import { RoundScheduler } from '../bots/roundScheduler';
import { createLogger } from '../logging/logger';
import type { TickResult } from '../services/rounds/roundProgress';

const quiet = createLogger('silent');
const nothing = (more = false): TickResult => ({ summaries: 0, reminders: 0, professionalReminders: 0, deleted: 0, failures: [], more });

/** A tick that stays in flight until the test lets it finish, and notes whether it was told to stop. */
class HeldTicks {
  readonly started: number[] = [];
  readonly signals: AbortSignal[] = [];
  private release: (() => void) | null = null;
  finished = 0;

  tick = async (options: { signal?: AbortSignal } = {}): Promise<TickResult> => {
    this.started.push(Date.now());
    if (options.signal) this.signals.push(options.signal);
    await new Promise<void>((resolve) => (this.release = resolve));
    this.finished += 1;
    return nothing();
  };

  finish(): void {
    this.release?.();
  }
}

const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('RoundScheduler', () => {
  it('waits in stop() for the tick in flight, and tells it to start nothing new', async () => {
    const ticks = new HeldTicks();
    const scheduler = new RoundScheduler(ticks, quiet, { intervalMs: 10, random: () => 0 });
    scheduler.start();
    await until(() => ticks.started.length === 1);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stopped).toBe(false);
    expect(ticks.signals[0].aborted).toBe(true);
    ticks.finish();
    await stopping;
    expect(ticks.finished).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ticks.started).toHaveLength(1);
  });

  it('starts after a random part of the interval, so instances started together do not tick together', async () => {
    const starts: number[] = [];
    for (const random of [0, 0.9]) {
      const begun = Date.now();
      let first = 0;
      const scheduler = new RoundScheduler(
        {
          tick: async () => {
            first ||= Date.now() - begun;
            return nothing();
          },
        },
        quiet,
        { intervalMs: 200, random: () => random },
      );
      scheduler.start();
      await until(() => first > 0 || Date.now() - begun > 1000);
      await scheduler.stop();
      starts.push(first);
    }
    expect(starts[0]).toBeLessThan(100);
    expect(starts[1]).toBeGreaterThanOrEqual(170);
  });

  it('comes back soon after a tick that left work behind, a whole interval later otherwise', async () => {
    const at: number[] = [];
    const scheduler = new RoundScheduler(
      {
        tick: async () => {
          at.push(Date.now());
          return nothing(at.length === 1);
        },
      },
      quiet,
      { intervalMs: 60_000, random: () => 0 },
    );
    scheduler.start();
    await until(() => at.length >= 2 || Date.now() - (at[0] ?? Date.now()) > 3000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await scheduler.stop();
    // First tick at once (random 0), the backlog tick within the second (jittered down to 0.8 s), then nothing for a minute.
    expect(at).toHaveLength(2);
    expect(at[1] - at[0]).toBeLessThan(1100);
  });
});
