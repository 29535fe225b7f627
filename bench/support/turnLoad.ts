/**
 * @packageDocumentation
 * Driving turns: one at a time (unloaded latency) or from many clients at once for a while
 * (saturated throughput), collecting timings and connection errors.
 */
import type { TurnTiming } from './emulatorChannel';
import type { MeasuredClient } from './answeringClient';

export interface TurnSamples {
  firstReplyMs: number[];
  responseMs: number[];
  errors: Map<string, number>;
}

export function emptySamples(): TurnSamples {
  return { firstReplyMs: [], responseMs: [], errors: new Map() };
}

export function record(samples: TurnSamples, timing: TurnTiming): void {
  samples.firstReplyMs.push(timing.firstReplyMs);
  samples.responseMs.push(timing.responseMs);
}

export function recordError(samples: TurnSamples, error: unknown): void {
  const code = (error as { code?: string }).code ?? (error instanceof Error ? error.message.slice(0, 60) : String(error));
  samples.errors.set(code, (samples.errors.get(code) ?? 0) + 1);
}

export function errorCount(samples: TurnSamples): number {
  return [...samples.errors.values()].reduce((sum, count) => sum + count, 0);
}

export function describeErrors(samples: TurnSamples): string {
  return samples.errors.size === 0 ? '0' : [...samples.errors].map(([code, count]) => `${count} ${code}`).join(', ');
}

/**
 * `concurrency` workers, each with a client, run turns back to back for `ms`. A worker whose
 * client has nothing left takes the next one from `spares`. Returns completed turns and time taken.
 */
export async function saturate(
  clients: MeasuredClient[],
  spares: MeasuredClient[],
  ms: number,
  samples: TurnSamples,
): Promise<{ turns: number; ms: number }> {
  const started = Date.now();
  const stopAt = started + ms;
  let turns = 0;
  const worker = async (first: MeasuredClient): Promise<void> => {
    let client: MeasuredClient | undefined = first;
    while (client && Date.now() < stopAt) {
      try {
        const timing = await client.next();
        if (timing === null) {
          client = spares.shift();
          continue;
        }
        record(samples, timing);
        turns += 1;
      } catch (error) {
        recordError(samples, error);
      }
    }
  };
  await Promise.all(clients.map(worker));
  return { turns, ms: Date.now() - started };
}
