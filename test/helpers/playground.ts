/**
 * @packageDocumentation
 * Microsoft 365 Agents Playground (`@microsoft/m365agentsplayground`) as a child process: a local
 * emulation of the Teams client and connector. It posts Teams-shaped activities to the bot's
 * `/api/messages` and is the bot's `serviceUrl` (`/_connector`) for replies, card updates and
 * proactive messages; its web UI shows the chat.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/local/localMachine';

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** Must be a GUID: the bot's ALLOWED_TENANT_IDS only takes GUIDs. */
  tenantId: string;
  user: { id: string; name: string; aadObjectId: string };
  startTimeoutMs?: number;
}

export interface RunningPlayground {
  /** The web UI, e.g. http://127.0.0.1:56150. */
  url: string;
  /** What the playground printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');

/**
 * The playground's mock Teams context. Its built-in default tenant (`…0000000000001`, 13 digits in
 * the last group) is not a GUID, so the test writes its own; the schema wants at least 5 other users.
 */
function configYaml(options: PlaygroundOptions): string {
  const others = [1, 2, 3, 4, 5]
    .map(
      (n) =>
        `  - id: colleague-${n}\n    name: Collega ${n}\n    userPrincipleName: collega${n}@example.org\n` +
        `    aadObjectId: 00000000-0000-4000-8000-00000000010${n}\n    givenName: Collega\n    surname: "${n}"\n    email: collega${n}@example.org\n`,
    )
    .join('');
  return [
    'version: "0.1.1"',
    `tenantId: ${options.tenantId}`,
    'bot:',
    '  id: 00000000-0000-4000-8000-000000000011',
    '  name: Alliantiemonitor',
    'currentUser:',
    `  id: ${options.user.id}`,
    `  name: ${options.user.name}`,
    '  userPrincipleName: professional@example.org',
    `  aadObjectId: ${options.user.aadObjectId}`,
    '  givenName: Sam',
    '  surname: Jansen',
    '  email: professional@example.org',
    'users:',
    others.trimEnd(),
    'personalChat:',
    '  id: personal-chat-id',
    'groupChat:',
    '  id: group-chat-id',
    '  name: Groepschat',
    'team:',
    '  id: team-id',
    '  name: Team',
    '  aadGroupId: 00000000-0000-4000-8000-000000000031',
    '  channels:',
    '    - id: channel-general-id',
    '      name: Algemeen',
    '',
  ].join('\n');
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'agents-playground-'));
  const configPath = path.join(dir, '.m365agentsplayground.yml');
  await fs.writeFile(configPath, configYaml(options));
  const port = await freePort();

  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, '--app-endpoint', options.botEndpoint, '--channel-id', 'msteams', '--port', String(port), '--disable-telemetry'],
    {
      cwd: dir,
      // Its own process group, so stop() ends the playground and anything it started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // It would otherwise try to open a desktop browser; the test drives its own Chromium.
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dir, 'playground.log'),
      },
    },
  );
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    await endGroup();
    // Jest waits for open pipes; the process is gone, so let go of its output streams.
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  const endGroup = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const group = -child.pid;
    try {
      process.kill(group, 'SIGTERM');
    } catch {
      return;
    }
    if (!(await exitedWithin(5000))) {
      try {
        process.kill(group, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await exitedWithin(2000);
    }
  };
  /** Waits for the exit, at most `ms`; the timer is cleared so it does not keep Jest running. */
  const exitedWithin = async (ms: number): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([exited.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  // "Listening on <port>" comes first; the port may differ if ours was taken meanwhile.
  const deadline = Date.now() + (options.startTimeoutMs ?? 30000);
  let listening: number | null = null;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const match = /Listening on (\d+)/.exec(output);
    if (match) {
      listening = Number(match[1]);
      const ok = await fetch(`http://127.0.0.1:${listening}/`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (listening === null || child.exitCode !== null || Date.now() >= deadline) {
    await stop();
    throw new Error(`the Agents Playground did not start; it printed:\n${output}`);
  }
  return { url: `http://127.0.0.1:${listening}`, output: () => output, stop };
}
