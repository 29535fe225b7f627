import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { parseConfig } from '../config';
import { RunningBot, startBot } from '../composition/startBot';
import { DirectLineTestClient } from './helpers/directLineClient';

interface StreamMessage {
  activities: { type: string; from?: { role?: string }; text?: string; attachments?: unknown[] }[];
  watermark: string;
}

/** Opens a stream and collects what it sends. */
function openStream(url: string, options: WebSocket.ClientOptions = {}): Promise<{ socket: WebSocket; messages: StreamMessage[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    const messages: StreamMessage[] = [];
    socket.on('message', (data: WebSocket.RawData) => {
      const text = Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8');
      if (text) messages.push(JSON.parse(text) as StreamMessage);
    });
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('error', reject);
  });
}

/** How an upgrade ends: the refusal's message, or "opened" (then closed again). */
async function upgradeOutcome(url: string, options: WebSocket.ClientOptions): Promise<string> {
  try {
    const { socket } = await openStream(url, options);
    socket.terminate();
    return 'opened';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Direct Line 3.0's WebSocket stream, as Azure serves it and Web Chat reads it. */
describe('local Direct Line stream', () => {
  let bot: RunningBot;

  beforeAll(async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-stream-'));
    bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it('gives a streamUrl on start and on resume; the stream sends the backlog and then each activity at once', async () => {
    const client = await DirectLineTestClient.open(bot.origin);
    const resumed = await client.call('GET', `/conversations/${client.session.conversationId}?watermark=0`);
    const streamUrl = (resumed.body as { streamUrl?: unknown }).streamUrl;
    expect(typeof streamUrl).toBe('string');
    expect(String(streamUrl)).toMatch(/^ws:\/\/.+\/v3\/directline\/conversations\/[a-f0-9]{32}\/stream\?t=.+&watermark=0$/);

    const { socket, messages } = await openStream(String(streamUrl));
    // The welcome card was sent before the stream opened: it comes as the backlog.
    const welcome = await until(() => messages.find((m) => m.activities.some((a) => a.attachments)), 'the backlog');
    expect(Number(welcome.watermark)).toBeGreaterThan(0);

    const before = messages.length;
    await client.send({ text: 'help' });
    const fromBot = await until(
      () => messages.slice(before).find((m) => m.activities.some((a) => a.from?.role === 'bot')),
      "the bot's reply on the stream",
    );
    expect(Number(fromBot.watermark)).toBeGreaterThan(Number(welcome.watermark));
    socket.close();
  });

  it('refuses a stream without a valid token for that conversation', async () => {
    const client = await DirectLineTestClient.open(bot.origin);
    const other = await DirectLineTestClient.open(bot.origin);
    const ws = bot.origin.replace(/^http/, 'ws');
    for (const url of [
      `${ws}/v3/directline/conversations/${client.session.conversationId}/stream`,
      `${ws}/v3/directline/conversations/${client.session.conversationId}/stream?t=${encodeURIComponent(other.session.token)}`,
    ]) {
      await expect(openStream(url)).rejects.toThrow(/403/);
    }
  });

  it('opens a stream only from a page of its own names (Origin) and on its own names (Host)', async () => {
    const client = await DirectLineTestClient.open(bot.origin);
    const resumed = await client.call('GET', `/conversations/${client.session.conversationId}`);
    const streamUrl = String((resumed.body as { streamUrl?: unknown }).streamUrl);
    // A page on another site may open WebSockets anywhere (no CORS): its Origin gives it away.
    expect(await upgradeOutcome(streamUrl, { origin: 'http://evil.example' })).toMatch(/403/);
    expect(await upgradeOutcome(streamUrl, { origin: 'null' })).toMatch(/403/);
    // DNS rebinding: a foreign name pointed at 127.0.0.1, as the HTTP endpoints refuse it.
    expect(await upgradeOutcome(streamUrl, { headers: { host: 'evil.example' } })).toMatch(/421/);
    const own = await openStream(streamUrl, { origin: bot.origin });
    await until(() => (own.messages.length > 0 ? true : undefined), 'the backlog from our own page');
    own.socket.close();
  });
});
