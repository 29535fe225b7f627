import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../config';
import { RunningBot, startBot } from '../composition/startBot';
import { DirectLineTestClient, textsOf } from './helpers/directLineClient';
import { startProductionBot } from './helpers/productionBot';

/** The real server over real HTTP, spoken to the way Web Chat speaks Direct Line. */
describe('server over HTTP (local Direct Line)', () => {
  let bot: RunningBot;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-e2e-'));
    bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', MAX_BODY_BYTES: '8192' }));
  });

  afterAll(async () => {
    await bot.stop();
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${bot.origin}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it("keeps an idle keep-alive connection open past Node's 5 s, so a channel reusing it meets no ECONNRESET", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const socketOfHealthCheck = (): Promise<number | undefined> =>
      new Promise((resolve, reject) => {
        http
          .get(`${bot.origin}/healthz`, { agent }, (response) => {
            const port = response.socket.localPort;
            response.resume();
            response.on('end', () => resolve(port));
          })
          .on('error', reject);
      });
    const first = await socketOfHealthCheck();
    await new Promise((resolve) => setTimeout(resolve, 6000));
    // The same local port: the server did not close the connection while it was idle.
    expect(await socketOfHealthCheck()).toBe(first);
    agent.destroy();
  }, 15000);

  it('serves the web chat page with the Web Chat bundle', async () => {
    const page = await fetch(`${bot.origin}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/vendor/webchat.js');
    expect(html).toContain('lang="nl"');
    const bundle = await fetch(`${bot.origin}/vendor/webchat.js`);
    expect(bundle.status).toBe(200);
  });

  it('serves the privacy page the Teams manifest points to, in Dutch and English, with its stylesheet', async () => {
    const page = await fetch(`${bot.origin}/privacy`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<section id="nl" lang="nl">');
    expect(html).toContain('Wie ziet wat?');
    expect(html).toContain('<section id="en" lang="en">');
    expect(html).toContain('Who sees what?');
    expect((await fetch(`${bot.origin}/assets/privacy.css`)).status).toBe(200);
  });

  it('serves the terms-of-use page the Teams manifest points to, in Dutch and English, linking the privacy page', async () => {
    const page = await fetch(`${bot.origin}/terms`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<section id="nl" lang="nl">');
    expect(html).toContain('Wat het niet is');
    expect(html).toContain('<section id="en" lang="en">');
    expect(html).toContain('What it is not');
    expect(html).toContain('href="/privacy#en"');
  });

  it('greets a new conversation with the welcome card and goes on after a role click', async () => {
    const client = await DirectLineTestClient.open(bot.origin);
    const welcome = await client.waitForCard('chooseRole', 'the welcome card');
    expect(welcome.version).toBe('1.5');
    expect(textsOf(welcome).join(' ')).toContain('Welkom');
    await client.click({ verb: 'chooseRole', role: 'client' });
    const askCode = await client.waitForCard('joinCode', 'the code card');
    expect(textsOf(askCode).join(' ')).toContain('code');
  });

  it("keeps one user out of another user's conversation", async () => {
    const alice = await DirectLineTestClient.open(bot.origin);
    const bob = await DirectLineTestClient.open(bot.origin);
    const peek = await alice.call('GET', `/conversations/${bob.session.conversationId}/activities`);
    expect(peek.status).toBe(403);
    const post = await alice.call('POST', `/conversations/${bob.session.conversationId}/activities`, { type: 'message', text: 'hoi' });
    expect(post.status).toBe(403);
    // A conversation id from another user is not handed out with a token either.
    const stolen = await DirectLineTestClient.open(bot.origin, {
      userToken: alice.session.userToken,
      conversationId: bob.session.conversationId,
    });
    expect(stolen.session.conversationId).not.toBe(bob.session.conversationId);
  });

  it('resumes the same conversation for the same device', async () => {
    const first = await DirectLineTestClient.open(bot.origin);
    const again = await DirectLineTestClient.open(bot.origin, {
      userToken: first.session.userToken,
      conversationId: first.session.conversationId,
    });
    expect(again.session.conversationId).toBe(first.session.conversationId);
    expect(again.session.userId).toBe(first.session.userId);
  });

  it('uses the user id bound to the token, not the one in the activity', async () => {
    const client = await DirectLineTestClient.open(bot.origin);
    await client.waitForCard('chooseRole');
    await client.send({ text: 'help', from: { id: 'someone-else' } });
    const transcript = await client.call('GET', `/conversations/${client.session.conversationId}/activities`);
    const userActivities = (transcript.body as { activities: { from: { id: string; role?: string } }[] }).activities.filter(
      (a) => a.from.role === 'user',
    );
    expect(userActivities.length).toBeGreaterThan(0);
    for (const activity of userActivities) expect(activity.from.id).toBe(client.session.userId);
  });

  describe('bad input gets a clean 4xx and the server keeps running', () => {
    const post = (url: string, body: string, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    it('malformed JSON to /api/messages', async () => {
      expect((await post(`${bot.origin}/api/messages`, '{"type": "message",')).status).toBe(400);
    });

    it('an unknown activity type to /api/messages', async () => {
      const body = JSON.stringify({ type: 'teleport', conversation: { id: 'c' }, serviceUrl: 'http://127.0.0.1:1', from: { id: 'u' } });
      const response = await post(`${bot.origin}/api/messages`, body);
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('Unknown activity type');
    });

    it('a body over the size limit to /api/messages and to Direct Line', async () => {
      const huge = JSON.stringify({ type: 'message', text: 'x'.repeat(20000), conversation: { id: 'c' }, serviceUrl: 'http://x' });
      expect((await post(`${bot.origin}/api/messages`, huge)).status).toBe(413);
      const client = await DirectLineTestClient.open(bot.origin);
      const response = await post(`${client.base}/conversations/${client.session.conversationId}/activities`, huge, {
        authorization: `Bearer ${client.session.token}`,
      });
      expect(response.status).toBe(413);
    });

    it('malformed JSON, a missing token and a client-sent conversationUpdate to Direct Line', async () => {
      const client = await DirectLineTestClient.open(bot.origin);
      const url = `${client.base}/conversations/${client.session.conversationId}/activities`;
      expect((await post(url, '{nope', { authorization: `Bearer ${client.session.token}` })).status).toBe(400);
      expect((await post(url, JSON.stringify({ type: 'message', text: 'hoi' }))).status).toBe(403);
      expect((await post(url, JSON.stringify({ type: 'message', text: 'hoi' }), { authorization: 'Bearer forged.token' })).status).toBe(
        403,
      );
      expect(
        (await client.call('POST', `/conversations/${client.session.conversationId}/activities`, { type: 'conversationUpdate' })).status,
      ).toBe(400);
      expect(
        (await client.call('POST', `/conversations/${client.session.conversationId}/activities`, ['not', 'an', 'activity'])).status,
      ).toBe(400);
    });

    it('a very long typed message gets a kind reply, not a crash', async () => {
      const client = await DirectLineTestClient.open(bot.origin);
      await client.waitForCard('chooseRole');
      await client.say('a'.repeat(3000));
      const reply = await client.waitFor((a) => typeof a.text === 'string' && a.text.includes('te lang'), 'the too-long reply');
      expect(reply.text).toContain('niets veranderd');
    });

    it('an odd card value gets a kind reply and the current card again', async () => {
      const client = await DirectLineTestClient.open(bot.origin);
      await client.waitForCard('chooseRole');
      await client.click({ verb: 'answer', responseSetId: '../../etc', itemId: 'x', value: 99 });
      await client.waitFor((a) => typeof a.text === 'string' && a.text.includes('ken ik niet'), 'the unknown-value reply');
      await client.waitForCard('chooseRole', 'the welcome card again');
    });

    afterAll(async () => {
      expect((await fetch(`${bot.origin}/healthz`)).status).toBe(200);
    });
  });
});

describe('production mode', () => {
  let bot: RunningBot;

  beforeAll(async () => {
    bot = await startProductionBot({ HOST: '127.0.0.1' });
  });

  afterAll(async () => {
    await bot.stop();
  });

  it('refuses /api/messages without a Bot Framework token (401)', async () => {
    const response = await fetch(`${bot.origin}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        text: 'hoi',
        conversation: { id: 'c' },
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
        from: { id: 'u' },
        channelId: 'msteams',
      }),
    });
    expect(response.status).toBe(401);
  });

  it('has no local Direct Line', async () => {
    const response = await fetch(`${bot.origin}/v3/directline/conversations`, { method: 'POST' });
    expect(response.status).toBe(404);
  });
});
