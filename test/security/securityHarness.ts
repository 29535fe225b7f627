import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../config';
import { RunningBot, startBot } from '../../composition/startBot';
import { ProfessionalDirectory } from '../../services/professionals/professionalDirectory';
import { FileProfessionalRepository } from '../../storage/fileProfessionalRepository';
import { JsonFileStore } from '../../storage/jsonFileStore';
import { DirectLineTestClient } from '../helpers/directLineClient';

/** A real local-mode bot on a free port with its own data folder. */
export async function startLocalBot(env: Record<string, string> = {}): Promise<{ bot: RunningBot; dataDir: string }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-security-'));
  const bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }));
  return { bot, dataDir };
}

/** Where the file store keeps a record (the key's sha256, as `JsonFileStore` names files). */
export function recordFile(dataDir: string, collection: string, key: string): string {
  return path.join(dataDir, 'records', collection, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`);
}

/** The admin tool's view of the same data folder, from outside the running bot. */
export function adminDirectory(dataDir: string): ProfessionalDirectory {
  const store = new JsonFileStore(path.join(dataDir, 'records'));
  return new ProfessionalDirectory(
    new FileProfessionalRepository(store),
    () => new Date(),
    () => randomUUID(),
    randomBytes,
  );
}

/** A professional signed in over the local Direct Line with their personal link. */
export async function signedInProfessional(origin: string, secret: string): Promise<DirectLineTestClient> {
  const pro = await DirectLineTestClient.open(origin);
  await pro.waitForCard('chooseRole');
  expect(await pro.send({ type: 'event', name: 'professionalSignIn', value: { secret } })).toBe(200);
  await pro.waitFor((a) => typeof a.text === 'string' && a.text.startsWith('Welkom'), 'the sign-in greeting');
  return pro;
}

export async function tabSession(origin: string, secret: string): Promise<string> {
  const response = await fetch(`${origin}/api/tab/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accessSecret: secret }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

export async function healthy(origin: string): Promise<boolean> {
  try {
    return (await fetch(`${origin}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

/** One HTTP request with exactly these headers (fetch would add or refuse some, such as Host). */
export function rawRequest(
  origin: string,
  request: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}
