import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../config';
import { startBot } from '../composition/startBot';

/** One request over `agent`; resolves with the status once the body is read. */
function request(agent: http.Agent, url: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      { method: payload ? 'POST' : 'GET', agent, headers: payload ? { 'content-type': 'application/json' } : {} },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('stopping the server (SIGTERM)', () => {
  it('lets the turn in flight finish and refuses a new request on its kept-alive connection with 503', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-drain-'));
    const bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ALLOW_LOCAL_EMULATOR: 'true' }));
    // The channel holds the bot's reply until told, so the turn is still running when stopping starts.
    let releaseReply: () => void = () => undefined;
    let replyArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (replyArrived = resolve));
    let holding = true;
    const channel = http.createServer((req, res) => {
      req.resume();
      const answer = (): void => {
        res.setHeader('content-type', 'application/json');
        res.end('{"id":"1"}');
      };
      if (!holding) return answer();
      replyArrived();
      releaseReply = () => {
        holding = false;
        answer();
      };
    });
    await new Promise<void>((resolve) => channel.listen(0, '127.0.0.1', () => resolve()));
    const serviceUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    const turn = request(agent, `${bot.origin}/api/messages`, {
      type: 'conversationUpdate',
      id: 'a-1',
      channelId: 'directline',
      serviceUrl,
      conversation: { id: 'drain-1' },
      from: { id: 'drain-user' },
      recipient: { id: 'bot' },
      membersAdded: [{ id: 'drain-user' }],
    });
    await arrived;
    const stopped = bot.stop();
    // Queued behind the turn on the same connection: it reaches the server after stopping began.
    const late = request(agent, `${bot.origin}/healthz`);
    releaseReply();
    expect(await turn).toBe(200);
    expect(await late).toBe(503);
    await stopped;
    agent.destroy();
    channel.closeAllConnections();
    await new Promise((resolve) => channel.close(resolve));
  }, 20000);
});
