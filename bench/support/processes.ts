/**
 * @packageDocumentation
 * The bots under measurement as their own processes: the real bot as `npm start` runs it (through
 * `index.ts`, with the local emulator path open) and the baseline bot. Reads their memory from /proc.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/local/localMachine';
import { argument } from './figures';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Where the measured bot's code comes from: this checkout, or `--bot-root DIR`, another checkout
 * (a worktree at an earlier commit, built with `node scripts/buildIfStale.js`) for before/after figures.
 */
const BOT_ROOT = path.resolve(argument('bot-root', PROJECT_ROOT));

/**
 * The node flags the real bot runs with: those `npm start` gives it (the checkout's `package.json`), or
 * `--bot-node-args "…"` instead, to measure what a flag changes.
 */
const BOT_NODE_ARGS = argument('bot-node-args', startFlags(BOT_ROOT).join(' '))
  .split(' ')
  .filter((flag) => flag !== '');

/** The flags between `node` and the entry in a checkout's `start` script. */
export function startFlags(root: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const [command, ...words] = (manifest.scripts?.start ?? '').split(/\s+/);
  if (command !== 'node') throw new Error(`the start script of ${root} does not run node: cannot start the bot as it does`);
  return words.filter((word) => word.startsWith('--'));
}

export interface BotUnderTest {
  name: string;
  child: ChildProcess;
  origin: string;
  /** Milliseconds from spawning until `/healthz` answered. */
  startMs: number;
  output(): string;
}

export interface StartOptions {
  name: string;
  /** The checkout it runs from (its working directory). */
  root?: string;
  /** A compiled JavaScript file, relative to the project root. */
  entry: string;
  env: Record<string, string>;
  nodeArgs?: string[];
  timeoutMs?: number;
}

/**
 * Compiles what is measured, once per bench process: the bot as `npm start` does (`dist/`, only when
 * a source is newer) and the baseline into `build/baseline/`. Measured code runs compiled, never
 * through ts-node, whose compiler would add seconds to start-up and a hundred MB to memory.
 */
let compiled = false;
export function compileBots(): void {
  if (compiled) return;
  execFileSync(process.execPath, [path.join('scripts', 'buildIfStale.js')], { cwd: BOT_ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join('bench', 'baseline', 'tsconfig.json')], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
  compiled = true;
}

/** Spawns `entry` with node and waits until `/healthz` answers. */
export async function startBotProcess(options: StartOptions): Promise<BotUnderTest> {
  compileBots();
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.entry], {
    cwd: options.root ?? PROJECT_ROOT,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const origin = `http://127.0.0.1:${port}`;
  const deadline = started + (options.timeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited early: ${output}`);
    try {
      if ((await fetch(`${origin}/healthz`)).ok)
        return { name: options.name, child, origin, startMs: Date.now() - started, output: () => output };
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`${options.name} did not start within the time: ${output}`);
}

/** The real bot, production composition, local mode with the emulator path on `/api/messages`. */
export function startRealBot(
  dataDir: string,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
  timeoutMs?: number,
): Promise<BotUnderTest> {
  return startBotProcess({
    name: 'bot',
    root: BOT_ROOT,
    entry: path.join('dist', 'index.js'),
    env: { DATA_DIR: dataDir, ALLOW_LOCAL_EMULATOR: 'true', ...extraEnv },
    nodeArgs: [...BOT_NODE_ARGS, ...nodeArgs],
    timeoutMs,
  });
}

/** The bare botbuilder baseline (`bench/baseline/baselineBot.ts`). */
export function startBaselineBot(store: 'memory' | 'file', dataDir: string): Promise<BotUnderTest> {
  return startBotProcess({
    name: `baseline-${store}`,
    entry: path.join('build', 'baseline', 'bench', 'baseline', 'baselineBot.js'),
    env: { BASELINE_STORE: store, DATA_DIR: dataDir },
  });
}

/** Resident memory now and at its peak (VmRSS, VmHWM), in MiB. */
export async function memoryOf(pid: number): Promise<{ rssMiB: number; peakMiB: number }> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 'NaN');
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

/** CPU time a process has used so far, in ms: all threads, and its main thread (the event loop) alone. */
export interface CpuTime {
  totalMs: number;
  mainMs: number;
}

/** utime + stime of one `/proc/.../stat` file, in ms (clock ticks of 10 ms). */
async function statCpuMs(file: string): Promise<number> {
  const stat = await fs.readFile(file, 'utf8');
  // Fields after the command name (which may hold spaces), counted from field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * How much CPU a process has used: the whole process (libuv's pool doing file calls, V8's helper
 * threads for GC and compiling) and its main thread, whose thread id is the process id.
 */
export async function cpuOf(pid: number): Promise<CpuTime> {
  const [totalMs, mainMs] = await Promise.all([statCpuMs(`/proc/${pid}/stat`), statCpuMs(`/proc/${pid}/task/${pid}/stat`)]);
  return { totalMs, mainMs };
}

/** Ends a process this bench started and waits for it; returns how long it took and its exit code. */
export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 15_000,
): Promise<{ ms: number; code: number | null; killed: boolean }> {
  if (child.exitCode !== null) return { ms: 0, code: child.exitCode, killed: false };
  const started = Date.now();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs));
  const first = await Promise.race([exited, timer]);
  if (first === 'late') {
    child.kill('SIGKILL');
    await exited;
    return { ms: Date.now() - started, code: null, killed: true };
  }
  return { ms: Date.now() - started, code: first, killed: false };
}

export async function temporaryDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `bench-${prefix}-`));
}

/** The machine's load averages, printed beside every figure (2 cores, other work running). */
export function loadNote(): string {
  return `load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
}
