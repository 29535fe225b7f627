/**
 * Memory with many open conversations, and connection errors: 1,000 clients (by default) join a
 * round each and then answer one question every 4.5–5.5 s for a while, over keep-alive connections
 * as a channel keeps them. Idle gaps around 5 s are where a server that closes idle connections
 * after Node's default 5 s races the client reusing them (ECONNRESET). Prints RSS (now and peak)
 * and every connection error by code. Target (issue 15): under 300 MB, 0 errors.
 *
 * Run: `npx ts-node --transpile-only bench/openConversations.bench.ts [--conversations 1000]
 * [--seconds 40] [--rounds 0]`. Prints figures, asserts nothing.
 */
import { AnsweringClient } from './support/answeringClient';
import { dataDirWithRounds, roundsToJoinInFolder } from './support/benchData';
import { EmulatorConnector, EmulatorConversation } from './support/emulatorChannel';
import { fixed, numberArgument, percentile, printTable } from './support/figures';
import { loadNote, memoryOf, startRealBot, stopProcess } from './support/processes';
import { describeErrors, emptySamples, errorCount, record, recordError } from './support/turnLoad';

async function main(): Promise<void> {
  const conversations = numberArgument('conversations', 1000);
  const seconds = numberArgument('seconds', 40);
  const rounds = numberArgument('rounds', 0);
  const dataDir = await dataDirWithRounds(rounds);
  const codes = await roundsToJoinInFolder(dataDir, conversations);
  const connector = await EmulatorConnector.start();
  const bot = await startRealBot(dataDir);
  const pid = bot.child.pid ?? 0;
  const agent = EmulatorConversation.agent(conversations);
  const samples = emptySamples();
  let peakSeen = 0;
  const sampler = setInterval(() => {
    void memoryOf(pid)
      .then((memory) => (peakSeen = Math.max(peakSeen, memory.rssMiB)))
      .catch(() => undefined);
  }, 500);
  try {
    const idleBefore = await memoryOf(pid);
    const clients = codes.map((_, index) => new AnsweringClient(bot.origin, connector, agent, `open-${index}`));
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < clients.length) {
          const index = next;
          next += 1;
          await clients[index].prepare(codes[index]).catch((error: unknown) => recordError(samples, error));
        }
      }),
    );
    const preparedErrors = errorCount(samples);
    const afterJoin = await memoryOf(pid);
    console.log(`${conversations} conversations at their first question; ${loadNote()}`);
    const stopAt = Date.now() + seconds * 1000;
    await Promise.all(
      clients.map(async (client) => {
        // Spread the first clicks so the gaps, not a stampede, decide what happens.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5000));
        while (Date.now() < stopAt) {
          try {
            const timing = await client.next();
            if (timing === null) return;
            record(samples, timing);
          } catch (error) {
            recordError(samples, error);
          }
          await new Promise((resolve) => setTimeout(resolve, 4500 + Math.random() * 1000));
        }
      }),
    );
    const end = await memoryOf(pid);
    printTable([
      ['open conversations', 'turns', 'errors while joining', 'errors while answering', 'resp p50 ms', 'resp p99 ms'],
      [
        String(conversations),
        String(samples.responseMs.length),
        String(preparedErrors),
        describeErrors(samples),
        fixed(percentile(samples.responseMs, 50)),
        fixed(percentile(samples.responseMs, 99)),
      ],
    ]);
    console.log(
      `RSS: ${fixed(idleBefore.rssMiB)} MiB idle, ${fixed(afterJoin.rssMiB)} MiB after joining, ${fixed(end.rssMiB)} MiB at the end, peak ${fixed(Math.max(end.peakMiB, peakSeen))} MiB (target < 300 MB); ${loadNote()}`,
    );
  } finally {
    clearInterval(sampler);
    await stopProcess(bot.child);
    await connector.close();
  }
}

void main();
