/**
 * The answer turn against the framework's own turn, over `/api/messages` in one run: the real bot
 * (production composition through `index.ts`, local emulator path) and the baseline bot
 * (`bench/baseline/baselineBot.ts`, bare botbuilder with conversation and user state and an Adaptive
 * Card reply) once on `MemoryStorage` and once on a durable file store, each its own process.
 *
 * Unloaded: answer clicks and baseline clicks interleaved one at a time; first reply (the reply
 * reached the channel) and HTTP response (the bot answered the post) p50/p99. Saturated: 50 and 200
 * clients clicking back to back, the bots taking turns in slices (bot, memory, file, file, memory,
 * bot) so a change in the machine's load hits all alike; answers/s against turns/s, and each
 * process's peak RSS. Targets (issue 15): p50 ≤ 1.5× and p99 ≤ 2× the baseline, saturated ≥ 0.75×.
 *
 * Run: `npx ts-node --transpile-only bench/answerTurn.bench.ts [--rounds 100000] [--turns 1000]
 * [--seconds 6] [--backend postgres [--instances 2]] [--profile]`. Prints figures, asserts nothing.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../config';
import { AnsweringClient, BaselineClient, type MeasuredClient } from './support/answeringClient';
import { seedRounds } from '../scripts/seedRounds';
import { type BenchStores, dataDirWithRounds, fileStores, postgresStores, roundsToJoin } from './support/benchData';
import { summariseCpuProfile } from './support/cpuProfile';
import { EmulatorConnector, EmulatorConversation } from './support/emulatorChannel';
import { argument, fixed, flagArgument, numberArgument, percentile, printTable } from './support/figures';
import {
  type BotUnderTest,
  cpuOf,
  type CpuTime,
  loadNote,
  memoryOf,
  startBaselineBot,
  startRealBot,
  stopProcess,
  temporaryDir,
} from './support/processes';
import { describeErrors, emptySamples, record, recordError, saturate, type TurnSamples } from './support/turnLoad';

const ANSWERS_PER_CLIENT = 19;
/** More than any run here reaches: spare clients for the saturated slices. */
const MAX_ANSWERS_PER_SECOND = 500;

interface Target {
  bot: BotUnderTest;
  unloaded: TurnSamples;
  saturated: Map<number, { samples: TurnSamples; turns: number; ms: number; cpu: CpuTime }>;
  peakMiB: number;
  /** CPU time of the process over the unloaded phase. */
  unloadedCpu: CpuTime;
}

/** Whether the composition on this branch reads DATABASE_URL (the PostgreSQL backend of branch `pg`). */
function configReadsDatabaseUrl(url: string): boolean {
  return JSON.stringify(parseConfig({ DATABASE_URL: url })).includes(url);
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next];
        next += 1;
        await work(item);
      }
    }),
  );
}

async function main(): Promise<void> {
  const rounds = numberArgument('rounds', 0);
  const unloadedTurns = numberArgument('turns', 1000);
  const seconds = numberArgument('seconds', 6);
  const backend = argument('backend', 'file');
  const profile = flagArgument('profile');
  // Several bot processes on one database (PostgreSQL only): clients are spread over them, as a load balancer would.
  const instances = numberArgument('instances', 1);
  const concurrencies = [50, 200];

  const botEnv: Record<string, string> = {};
  let dataDir: string;
  let stores: BenchStores;
  if (backend === 'postgres') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('--backend postgres needs DATABASE_URL (a database of its own: the bench migrates it and adds rounds)');
    if (!configReadsDatabaseUrl(url)) {
      console.log(
        '--backend postgres: config.ts on this branch does not read DATABASE_URL (the PostgreSQL backend is not merged); nothing measured.',
      );
      return;
    }
    botEnv.DATABASE_URL = url;
    dataDir = await temporaryDir('postgres-bot');
    stores = await postgresStores(url);
    if (rounds > 0) {
      console.error(`seeding ${rounds} rounds into the database (on every run: use a fresh database for each size)`);
      await seedRounds({ dataDir, rounds, stores, concurrency: 16 });
    }
  } else if (backend === 'file') {
    dataDir = await dataDirWithRounds(rounds);
    stores = fileStores(dataDir);
  } else throw new Error('--backend is file or postgres');
  if (instances > 1 && backend !== 'postgres') throw new Error('--instances needs --backend postgres (instances share one database)');

  const unloadedClients = Math.ceil(unloadedTurns / ANSWERS_PER_CLIENT) + 2;
  const sparePerSlice = Math.ceil((MAX_ANSWERS_PER_SECOND * seconds) / 2 / ANSWERS_PER_CLIENT);
  const saturatedClients = concurrencies.map((c) => 2 * (c + sparePerSlice));
  const warmUp = 3 * instances;
  let codes: string[];
  try {
    codes = await roundsToJoin(stores, warmUp + unloadedClients + saturatedClients.reduce((a, b) => a + b, 0));
  } finally {
    await stores.close();
  }

  const profileDir = profile ? await temporaryDir('cpu-profile') : null;
  const connector = await EmulatorConnector.start();
  const bot = await startRealBot(dataDir, botEnv, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  const otherInstances: BotUnderTest[] = [];
  for (let instance = 1; instance < instances; instance += 1)
    otherInstances.push(await startRealBot(await temporaryDir('postgres-bot'), botEnv));
  const botOrigins = [bot, ...otherInstances].map((each) => each.origin);
  const memory = await startBaselineBot('memory', await temporaryDir('baseline-memory'));
  const file = await startBaselineBot('file', await temporaryDir('baseline-file'));
  const targets: Target[] = [bot, memory, file].map((b) => ({
    bot: b,
    unloaded: emptySamples(),
    saturated: new Map(),
    peakMiB: 0,
    unloadedCpu: { totalMs: 0, mainMs: 0 },
  }));
  const [botTarget, memoryTarget, fileTarget] = targets;
  console.log(
    `answer turn bench: ${rounds} stored rounds, backend ${backend}, ${instances} bot instance(s), bot started in ${bot.startMs} ms; ${loadNote()}`,
  );

  try {
    let codeIndex = 0;
    let clientNumber = 0;
    const prepareBotClients = async (count: number, sockets: number): Promise<AnsweringClient[]> => {
      const agent = EmulatorConversation.agent(sockets);
      const clients = Array.from({ length: count }, () => {
        clientNumber += 1;
        return new AnsweringClient(botOrigins[clientNumber % botOrigins.length], connector, agent, `bot-${clientNumber}`);
      });
      const assigned = clients.map((client) => ({ client, code: codes[codeIndex++] }));
      await inParallel(assigned, 8, ({ client, code }) => client.prepare(code));
      return clients;
    };
    const prepareBaselineClients = async (target: BotUnderTest, count: number, sockets: number): Promise<BaselineClient[]> => {
      const agent = EmulatorConversation.agent(sockets);
      const clients = Array.from(
        { length: count },
        () => new BaselineClient(target.origin, connector, agent, `${target.name}-${(clientNumber += 1)}`),
      );
      await inParallel(clients, 8, (client) => client.prepare());
      return clients;
    };

    // Warm-up: the first turns compile code paths in every process.
    for (const client of await prepareBotClients(warmUp, 1)) while ((await client.next()) !== null);
    for (const target of [memory, file])
      for (const client of await prepareBaselineClients(target, 1, 1)) for (let i = 0; i < 60; i += 1) await client.next();

    // Unloaded, interleaved: one bot answer, one memory-baseline turn, one file-baseline turn, and again.
    const botClients = await prepareBotClients(unloadedClients, 1);
    const [memoryClient] = await prepareBaselineClients(memory, 1, 1);
    const [fileClient] = await prepareBaselineClients(file, 1, 1);
    const cpuAtStart = await Promise.all(targets.map((target) => cpuOf(target.bot.child.pid ?? 0)));
    let current = botClients.shift();
    for (let turn = 0; turn < unloadedTurns && current; turn += 1) {
      const sequence: [Target, () => Promise<unknown>][] = [
        [
          botTarget,
          async () => {
            let timing = current ? await current.next() : null;
            while (timing === null && current) {
              current = botClients.shift();
              timing = current ? await current.next() : null;
            }
            if (timing) record(botTarget.unloaded, timing);
          },
        ],
        [memoryTarget, async () => record(memoryTarget.unloaded, await memoryClient.next())],
        [fileTarget, async () => record(fileTarget.unloaded, await fileClient.next())],
      ];
      for (const [target, step] of sequence) await step().catch((error: unknown) => recordError(target.unloaded, error));
    }
    for (const [index, target] of targets.entries())
      target.unloadedCpu = minusCpu(await cpuOf(target.bot.child.pid ?? 0), cpuAtStart[index]);
    console.log(`unloaded done; ${loadNote()}`);

    // Saturated: each bot in two slices, in the order bot, memory, file, file, memory, bot.
    for (const concurrency of concurrencies) {
      const prepared = new Map<Target, { clients: MeasuredClient[]; spares: MeasuredClient[] }[]>();
      for (const target of targets) {
        const slices: { clients: MeasuredClient[]; spares: MeasuredClient[] }[] = [];
        for (let slice = 0; slice < 2; slice += 1) {
          if (target === botTarget) {
            const all = await prepareBotClients(concurrency + sparePerSlice, concurrency);
            slices.push({ clients: all.slice(0, concurrency), spares: all.slice(concurrency) });
          } else slices.push({ clients: await prepareBaselineClients(target.bot, concurrency, concurrency), spares: [] });
        }
        prepared.set(target, slices);
        target.saturated.set(concurrency, { samples: emptySamples(), turns: 0, ms: 0, cpu: { totalMs: 0, mainMs: 0 } });
      }
      const order = [botTarget, memoryTarget, fileTarget, fileTarget, memoryTarget, botTarget];
      for (const [index, target] of order.entries()) {
        const slice = prepared.get(target)?.[index < 3 ? 0 : 1];
        const result = target.saturated.get(concurrency);
        if (!slice || !result) continue;
        const pid = target.bot.child.pid ?? 0;
        const cpuBefore = await cpuOf(pid);
        const ran = await saturate(slice.clients, slice.spares, (seconds * 1000) / 2, result.samples);
        result.cpu = plusCpu(result.cpu, minusCpu(await cpuOf(pid), cpuBefore));
        result.turns += ran.turns;
        result.ms += ran.ms;
      }
      console.log(`saturated ${concurrency} done; ${loadNote()}`);
    }
    for (const target of targets) target.peakMiB = (await memoryOf(target.bot.child.pid ?? 0)).peakMiB;
    for (const other of otherInstances)
      console.log(`peak RSS of another bot instance: ${fixed((await memoryOf(other.child.pid ?? 0)).peakMiB)} MiB`);
  } finally {
    for (const target of targets) await stopProcess(target.bot.child);
    for (const other of otherInstances) await stopProcess(other.child);
    await connector.close();
  }

  report(targets, concurrencies);
  if (profileDir) {
    const files = (await fs.readdir(profileDir)).filter((name) => name.endsWith('.cpuprofile'));
    for (const name of files) {
      console.log(`\nCPU profile of the bot (${path.join(profileDir, name)}): top self time`);
      summariseCpuProfile(JSON.parse(await fs.readFile(path.join(profileDir, name), 'utf8')) as never, 25);
    }
  }
  console.log(`\n${loadNote()}`);
}

function minusCpu(a: CpuTime, b: CpuTime): CpuTime {
  return { totalMs: a.totalMs - b.totalMs, mainMs: a.mainMs - b.mainMs };
}

function plusCpu(a: CpuTime, b: CpuTime): CpuTime {
  return { totalMs: a.totalMs + b.totalMs, mainMs: a.mainMs + b.mainMs };
}

function report(targets: Target[], concurrencies: number[]): void {
  const [bot, memory, file] = targets;
  const ratio = (a: number, b: number): string => fixed(a / b, 2);
  console.log('\nunloaded (one turn at a time, interleaved), ms');
  const p = (samples: number[], q: number): number => percentile(samples, q);
  const rows = [['', 'bot', 'baseline memory', 'baseline file', 'bot / memory', 'bot / file']];
  for (const [label, pick, q] of [
    ['first reply p50', (t: Target) => t.unloaded.firstReplyMs, 50],
    ['first reply p99', (t: Target) => t.unloaded.firstReplyMs, 99],
    ['HTTP response p50', (t: Target) => t.unloaded.responseMs, 50],
    ['HTTP response p99', (t: Target) => t.unloaded.responseMs, 99],
  ] as const) {
    const [b, m, f] = [bot, memory, file].map((t) => p(pick(t), q));
    rows.push([label, fixed(b, 2), fixed(m, 2), fixed(f, 2), ratio(b, m), ratio(b, f)]);
  }
  rows.push([
    'turns',
    String(bot.unloaded.responseMs.length),
    String(memory.unloaded.responseMs.length),
    String(file.unloaded.responseMs.length),
    '',
    '',
  ]);
  rows.push(['connection errors', describeErrors(bot.unloaded), describeErrors(memory.unloaded), describeErrors(file.unloaded), '', '']);
  printTable(rows);
  console.log('targets: first reply p50 ≤ 1.5×, p99 ≤ 2× the baseline');

  console.log('\nsaturated (clients clicking back to back)');
  const sat = [
    ['', 'bot answers/s', 'memory turns/s', 'file turns/s', 'bot / memory', 'bot / file', 'bot resp p50/p99 ms', 'errors bot/mem/file'],
  ];
  for (const concurrency of concurrencies) {
    const rate = (t: Target): number => {
      const result = t.saturated.get(concurrency);
      return result && result.ms > 0 ? (result.turns * 1000) / result.ms : Number.NaN;
    };
    const samples = (t: Target): TurnSamples => t.saturated.get(concurrency)?.samples ?? emptySamples();
    const [b, m, f] = [bot, memory, file].map(rate);
    sat.push([
      `${concurrency} clients`,
      fixed(b),
      fixed(m),
      fixed(f),
      ratio(b, m),
      ratio(b, f),
      `${fixed(p(samples(bot).responseMs, 50))}/${fixed(p(samples(bot).responseMs, 99))}`,
      [bot, memory, file].map((t) => describeErrors(samples(t))).join(' / '),
    ]);
  }
  printTable(sat);
  console.log('target: saturated (200 clients) ≥ 0.75× the baseline');
  // What a turn costs the process itself (all its threads), whatever else the machine was doing.
  const cpu = [['CPU per turn, ms (main thread + other threads)', 'bot', 'memory', 'file', 'bot / memory', 'bot / file']];
  const cpuRow = (label: string, pick: (t: Target) => { cpu: CpuTime; turns: number }): string[] => {
    const perTurn = [bot, memory, file].map((t) => {
      const { cpu: used, turns } = pick(t);
      return { total: used.totalMs / Math.max(1, turns), main: used.mainMs / Math.max(1, turns) };
    });
    return [
      label,
      ...perTurn.map(({ total, main }) => `${fixed(total, 2)} (${fixed(main, 2)} + ${fixed(total - main, 2)})`),
      ratio(perTurn[0].total, perTurn[1].total),
      ratio(perTurn[0].total, perTurn[2].total),
    ];
  };
  cpu.push(cpuRow('unloaded', (t) => ({ cpu: t.unloadedCpu, turns: t.unloaded.responseMs.length })));
  for (const concurrency of concurrencies)
    cpu.push(
      cpuRow(`saturated, ${concurrency} clients`, (t) => {
        const result = t.saturated.get(concurrency);
        return { cpu: result?.cpu ?? { totalMs: 0, mainMs: 0 }, turns: result?.turns ?? 0 };
      }),
    );
  console.log('');
  printTable(cpu);
  console.log(
    `\npeak RSS (VmHWM): bot ${fixed(bot.peakMiB)} MiB, baseline memory ${fixed(memory.peakMiB)} MiB, baseline file ${fixed(file.peakMiB)} MiB (bot / memory ${ratio(bot.peakMiB, memory.peakMiB)})`,
  );
}

void main();
