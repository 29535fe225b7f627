/**
 * SIGTERM with turns in flight, with N stored rounds (default 100,000): 50 clients answer back to
 * back, the bot gets SIGTERM, and the bench counts the turns that were in flight at the signal and
 * how they ended, and how long the process took to exit (and with what code). Target (issue 15):
 * every turn in flight finishes and the process exits within 10 s.
 *
 * Run: `npx ts-node --transpile-only bench/shutdown.bench.ts [--rounds 100000] [--clients 50]`.
 * Prints figures, asserts nothing.
 */
import { AnsweringClient } from './support/answeringClient';
import { dataDirWithRounds, roundsToJoinInFolder } from './support/benchData';
import { EmulatorConnector, EmulatorConversation } from './support/emulatorChannel';
import { numberArgument, printTable } from './support/figures';
import { loadNote, startRealBot, stopProcess } from './support/processes';

async function main(): Promise<void> {
  const rounds = numberArgument('rounds', 100_000);
  const clientCount = numberArgument('clients', 50);
  const dataDir = await dataDirWithRounds(rounds);
  const codes = await roundsToJoinInFolder(dataDir, clientCount);
  const connector = await EmulatorConnector.start();
  const bot = await startRealBot(dataDir, {}, [], 30 * 60_000);
  console.log(`bot listening after ${bot.startMs} ms with ${rounds} stored rounds; ${loadNote()}`);
  const agent = EmulatorConversation.agent(clientCount);
  const clients = codes.map((_, index) => new AnsweringClient(bot.origin, connector, agent, `stop-${index}`));
  for (const [index, client] of clients.entries()) await client.prepare(codes[index]);

  let signalled = false;
  const inFlight = { finished: 0, failed: new Map<string, number>() };
  const after = { accepted: 0, refused: new Map<string, number>() };
  let before = 0;
  const running = clients.map(async (client) => {
    for (;;) {
      const startedBeforeSignal = !signalled;
      try {
        const timing = await client.next();
        if (timing === null) return;
        if (!startedBeforeSignal) {
          after.accepted += 1;
          continue;
        }
        if (signalled) inFlight.finished += 1;
        else before += 1;
      } catch (error) {
        const code = (error as { code?: string }).code ?? (error instanceof Error ? error.message.slice(0, 50) : 'error');
        if (!startedBeforeSignal) {
          after.refused.set(code, (after.refused.get(code) ?? 0) + 1);
          return;
        }
        inFlight.failed.set(code, (inFlight.failed.get(code) ?? 0) + 1);
        if (signalled) return;
      }
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  signalled = true;
  const stopped = await stopProcess(bot.child, 'SIGTERM', 30_000);
  await Promise.all(running);
  await connector.close();
  printTable([
    [
      'stored rounds',
      'turns before',
      'in flight: finished',
      'in flight: failed',
      'after the signal: accepted',
      'refused',
      'exit after (ms)',
      'exit code',
    ],
    [
      String(rounds),
      String(before),
      String(inFlight.finished),
      inFlight.failed.size === 0 ? '0' : [...inFlight.failed].map(([code, count]) => `${count} ${code}`).join(', '),
      String(after.accepted),
      [...after.refused].map(([code, count]) => `${count} ${code}`).join(', ') || '0',
      String(stopped.ms),
      stopped.killed ? 'killed after 30 s' : String(stopped.code),
    ],
  ]);
  console.log(`target: turns in flight finish, exit within 10 s; ${loadNote()}`);
}

void main();
