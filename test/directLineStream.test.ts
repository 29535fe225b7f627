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
function openStream(url: string): Promise<{ socket: WebSocket; messages: StreamMessage[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
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
});
