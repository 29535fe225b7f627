/**
 * Start-up to listening: from spawning the real bot (`node dist/index.js`, as `npm start` runs it
 * once built) until `/healthz` answers, on an empty data folder and on one with N stored rounds
 * (default 100,000, seeded once by `scripts/seedRounds.ts`). Target (issue 15): under 2 s at 100,000.
 *
 * Run: `npx ts-node --transpile-only bench/startup.bench.ts [--rounds 100000] [--runs 2]`.
 * Prints figures, asserts nothing.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { dataDirWithRounds } from './support/benchData';
import { fixed, numberArgument, printTable } from './support/figures';
import { loadNote, memoryOf, startRealBot, stopProcess } from './support/processes';

async function filesUnder(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    count += entry.isDirectory() ? await filesUnder(path.join(dir, entry.name)) : 1;
  }
  return count;
}

async function main(): Promise<void> {
  const rounds = numberArgument('rounds', 100_000);
  const runs = numberArgument('runs', 2);
  const rows = [['stored rounds', 'files', 'run', 'to listening (ms)', 'RSS after (MiB)', 'load (1/5/15 min)']];
  for (const size of [0, rounds]) {
    const dataDir = await dataDirWithRounds(size);
    const files = await filesUnder(path.join(dataDir, 'records'));
    for (let run = 1; run <= runs; run += 1) {
      const bot = await startRealBot(dataDir, {}, [], 30 * 60_000);
      const memory = await memoryOf(bot.child.pid ?? 0);
      await stopProcess(bot.child, 'SIGTERM', 60_000);
      rows.push([String(size), String(files), String(run), String(bot.startMs), fixed(memory.rssMiB), loadNote().replace('load ', '')]);
      console.error(`${size} rounds, run ${run}: ${bot.startMs} ms`);
    }
  }
  printTable(rows);
  console.log('target: under 2 s at 100,000 rounds');
}

void main();
