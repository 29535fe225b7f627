/**
 * @packageDocumentation
 * The real bot as its own process, for tests that kill it (`kill -9`) and start it again.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';

export { freePort } from '../../scripts/local/localMachine';

const ROOT = path.resolve(__dirname, '..', '..');

export interface ProcessOptions {
  /** Settings added to (or overriding) the test's environment. */
  env?: Record<string, string>;
  /** Sees the process as soon as it exists, before it is up. */
  onSpawn?: (child: ChildProcess) => void;
  /**
   * `built` runs `dist/index.js` (call {@link buildOnce} first): it starts several times faster than
   * ts-node, which counts when a test starts many processes on a busy machine.
   */
  entry?: 'source' | 'built';
}

/** Compiles `dist/` when a source is newer than it, as `npm start` does. */
export function buildOnce(): void {
  execFileSync(process.execPath, ['scripts/buildIfStale.js'], { cwd: ROOT, stdio: 'pipe' });
}

/** Starts the real bot as its own process, as `npm start` would (by default without the build step), and waits until it answers. */
export async function startProcess(port: number, dataDir: string, options: ProcessOptions = {}): Promise<ChildProcess> {
  const args = options.entry === 'built' ? ['dist/index.js'] : ['-r', 'ts-node/register/transpile-only', 'index.ts'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onSpawn?.(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Generous: other test processes may be using every core.
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bot exited early: ${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`bot did not start: ${output}`);
}
