/**
 * A scheduler tick in the running bot with N stored rounds (default 100,000): how long one tick takes, and the answer
 * turn's latency while a tick runs against outside one. The bot runs in this process (the
 * production composition, `startBot`) so the bench can run ticks itself (`runScheduledJobs`);
 * the clients talk to it over `/api/messages` as in the other benches, one turn at a time.
 * (`bench/schedulerTick.bench.ts` times the tick alone, with and without the due-time index.)
 * Targets (issue 15): a tick under 100 ms at 100,000 rounds; p99 during a tick within 1.2× of outside.
 *
 * Run: `npx ts-node --transpile-only bench/answerDuringTick.bench.ts [--rounds 100000] [--ticks 3]
 * [--turns 300]`. Prints figures, asserts nothing.
 */
import { parseConfig } from '../config';
import { startBot } from '../composition/startBot';
import { AnsweringClient } from './support/answeringClient';
import { dataDirWithRounds, roundsToJoinInFolder } from './support/benchData';
import { EmulatorConnector, EmulatorConversation, type TurnTiming } from './support/emulatorChannel';
import { fixed, numberArgument, percentile, printTable } from './support/figures';
import { loadNote } from './support/processes';

async function main(): Promise<void> {
  const rounds = numberArgument('rounds', 100_000);
  const ticks = numberArgument('ticks', 3);
  const turns = numberArgument('turns', 300);
  const dataDir = await dataDirWithRounds(rounds);
  const clientsNeeded = Math.ceil((2 * turns) / 19) + 4;
  const codes = await roundsToJoinInFolder(dataDir, clientsNeeded);
  const startedAt = Date.now();
  const bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'error', ALLOW_LOCAL_EMULATOR: 'true' }));
  console.log(`bot listening after ${Date.now() - startedAt} ms with ${rounds} stored rounds; ${loadNote()}`);
  const connector = await EmulatorConnector.start();
  const agent = EmulatorConversation.agent(1);
  const clients = codes.map((_, index) => new AnsweringClient(bot.origin, connector, agent, `tick-${index}`));
  let clientIndex = 0;
  for (const [index, client] of clients.entries()) await client.prepare(codes[index]);
  const answer = async (): Promise<TurnTiming | null> => {
    while (clientIndex < clients.length) {
      const timing = await clients[clientIndex].next();
      if (timing) return timing;
      clientIndex += 1;
    }
    return null;
  };

  try {
    // The tick started with the bot: let it end, so the next ones are measured from their start.
    const firstStarted = Date.now();
    await bot.runScheduledJobs();
    console.log(`first tick (started with the bot) done ${Date.now() - firstStarted} ms after listening + joining`);
    const tickMs: number[] = [];
    for (let tick = 0; tick < ticks; tick += 1) {
      const started = process.hrtime.bigint();
      await bot.runScheduledJobs();
      tickMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }

    const outside: number[] = [];
    for (let turn = 0; turn < turns; turn += 1) {
      const timing = await answer();
      if (timing) outside.push(timing.responseMs);
    }
    const during: number[] = [];
    let ticksDuring = 0;
    while (during.length < turns && ticksDuring < 50) {
      let ticking = true;
      const tick = bot.runScheduledJobs().finally(() => (ticking = false));
      ticksDuring += 1;
      // Answer while this tick runs (at least one turn starts inside it).
      do {
        const timing = await answer();
        if (!timing) break;
        during.push(timing.responseMs);
      } while (ticking && during.length < turns);
      await tick;
    }
    printTable([
      [
        'stored rounds',
        'tick min ms',
        'tick max ms',
        'answers outside p50/p99 ms',
        'answers during a tick p50/p99 ms',
        'p99 during / outside',
      ],
      [
        String(rounds),
        fixed(Math.min(...tickMs)),
        fixed(Math.max(...tickMs)),
        `${fixed(percentile(outside, 50))}/${fixed(percentile(outside, 99))} (${outside.length})`,
        `${fixed(percentile(during, 50))}/${fixed(percentile(during, 99))} (${during.length} in ${ticksDuring} ticks)`,
        fixed(percentile(during, 99) / percentile(outside, 99), 2),
      ],
    ]);
    console.log(`targets: tick under 100 ms at 100,000 rounds, p99 during within 1.2× of outside; ${loadNote()}`);
  } finally {
    await bot.stop();
    await connector.close();
  }
}

void main();
