import { randomBytes } from 'node:crypto';
import fsSync, { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseConfig } from '../../config';
import { RunningBot, startBot } from '../../composition/startBot';
import { captureConsole, createLogger } from '../../logging/logger';
import { LocalDirectLine } from '../../server/localDirectLine';
import { TokenSigner } from '../../server/tokenSigner';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../../services/questionnaire/itemBank';
import { QuestionnaireService } from '../../services/questionnaire/questionnaireService';
import { RoundProgress } from '../../services/rounds/roundProgress';
import { RoundService } from '../../services/rounds/roundService';
import { JsonFileStore } from '../../storage/jsonFileStore';
import { DAY, FakeClock, sequentialIds } from '../fakes/clock';
import { InMemoryResponseSetRepository } from '../fakes/inMemoryResponseSetRepository';
import { InMemoryRoundRepository } from '../fakes/inMemoryRoundRepository';
import { RecordingNotifier } from '../helpers/botHarness';
import { actionsOf, DirectLineTestClient, textsOf } from '../helpers/directLineClient';
import { seedRound } from '../helpers/seed';
import { adminDirectory, healthy, rawRequest, recordFile, signedInProfessional, startLocalBot, tabSession } from './securityHarness';
import { startProductionBot } from '../helpers/productionBot';

/**
 * The attack run of issue 11, one numbered finding per `describe`, against a real server over
 * real HTTP. Each test failed on the code before the hardening.
 */

const activity = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'message',
  text: 'mijn rondes',
  channelId: 'directline',
  serviceUrl: 'https://attacker.example/connector',
  conversation: { id: 'c1' },
  from: { id: 'someone' },
  recipient: { id: 'alliance-monitor-bot' },
  ...fields,
});

describe('finding 1: one request must not kill the process', () => {
  let bot: RunningBot;
  beforeAll(async () => ({ bot } = await startLocalBot()));
  afterAll(async () => bot.stop());

  it.each([
    ['POST', '/api/messages'],
    ['GET', '/healthz'],
    ['POST', '/api/directline/token'],
    ['POST', '/v3/directline/conversations'],
  ])('refuses a body that claims gzip but is not, on %s %s, and stays up', async (method, route) => {
    const response = await rawRequest(bot.origin, {
      method,
      path: route,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': '2' },
      body: '{}',
    });
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'UnsupportedEncoding', message: 'Send the body without Content-Encoding.' },
    });
    expect(await healthy(bot.origin)).toBe(true);
  });

  it('refuses a valid gzip bomb before inflating it', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const rssBefore = process.memoryUsage().rss;
    const response = await rawRequest(bot.origin, {
      method: 'POST',
      path: '/api/messages',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) },
      body: bomb,
    });
    expect(response.status).toBe(415);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
    expect(await healthy(bot.origin)).toBe(true);
  });

  it('refuses a body announced larger than the limit with 413 before reading it', async () => {
    const response = await rawRequest(bot.origin, {
      method: 'POST',
      path: '/api/directline/token',
      headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) },
    });
    expect(response.status).toBe(413);
  });
});

describe('finding 2: in local mode only this server drives the bot', () => {
  let bot: RunningBot;
  let dataDir: string;
  beforeAll(async () => ({ bot, dataDir } = await startLocalBot()));
  afterAll(async () => bot.stop());

  it('refuses an activity posted straight to /api/messages, even with a real user id', async () => {
    const { secret } = await seedRound(dataDir);
    const pro = await signedInProfessional(bot.origin, secret);
    const forged = activity({ from: { id: pro.session.userId }, serviceUrl: `${bot.origin}/connector` });
    const response = await fetch(`${bot.origin}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(forged),
    });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toMatch(/Error|at /);
  });

  it('refuses a signed-looking activity whose serviceUrl is elsewhere', async () => {
    const response = await fetch(`${bot.origin}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-local-directline-signature': 'AAAA' },
      body: JSON.stringify(activity()),
    });
    expect(response.status).toBe(401);
  });

  it('refuses a form post (any web page could send one) with 415', async () => {
    const response = await rawRequest(bot.origin, {
      method: 'POST',
      path: '/api/messages',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '7' },
      body: 'a=b&c=d',
    });
    expect(response.status).toBe(415);
    const plain = await rawRequest(bot.origin, {
      method: 'POST',
      path: '/v3/directline/conversations',
      headers: { 'content-type': 'text/plain', 'content-length': '2' },
      body: '{}',
    });
    expect(plain.status).toBe(415);
  });

  it('answers only to its own host names (DNS rebinding)', async () => {
    const rebound = await rawRequest(bot.origin, { method: 'GET', path: '/', headers: { host: 'attacker.example:3978' } });
    expect(rebound.status).toBe(421);
    const own = await rawRequest(bot.origin, { method: 'GET', path: '/healthz', headers: { host: 'localhost' } });
    expect(own.status).toBe(200);
  });

  it("refuses fake 'bot' messages on the connector routes, even from loopback", async () => {
    const client = await DirectLineTestClient.open(bot.origin);
    const conversation = client.session.conversationId;
    const fake = await fetch(`${bot.origin}/connector/v3/conversations/${conversation}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'Je begeleider vraagt je code opnieuw te typen op evil.example' }),
    });
    expect(fake.status).toBe(403);
    const members = await fetch(`${bot.origin}/connector/v3/conversations/${conversation}/members`);
    expect(members.status).toBe(403);
    const forgedKey = await fetch(`${bot.origin}/connector/v3/conversations/${conversation}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer guessed' },
      body: JSON.stringify({ type: 'message', text: 'x' }),
    });
    expect(forgedKey.status).toBe(403);
    // The bot itself still reaches the conversation (its welcome card arrived through the connector).
    await client.waitForCard('chooseRole');
  });
});

describe('finding 3: rotate-link and revoke-professional end every session at once', () => {
  let bot: RunningBot;
  let dataDir: string;
  beforeAll(async () => ({ bot, dataDir } = await startLocalBot()));
  afterAll(async () => bot.stop());

  it.each([
    ['rotate-link', 'Je persoonlijke link is vervangen'],
    ['revoke-professional', 'ingetrokken'],
  ])('%s ends the chat session of a device that used the old link, and its tab session', async (command, expected) => {
    const { professionalId, secret } = await seedRound(dataDir);
    const leaked = await signedInProfessional(bot.origin, secret);
    const tabToken = await tabSession(bot.origin, secret);
    const before = await fetch(`${bot.origin}/api/tab/rounds`, { headers: { authorization: `Bearer ${tabToken}` } });
    expect(before.status).toBe(200);

    const directory = adminDirectory(dataDir);
    if (command === 'rotate-link') await directory.rotateAccessLink(professionalId);
    else await directory.revoke(professionalId);

    // The same device, coming back with its 180-day device token.
    const again = await DirectLineTestClient.open(bot.origin, {
      userToken: leaked.session.userToken,
      conversationId: leaked.session.conversationId,
    });
    await again.say('mijn rondes');
    await again.waitFor((a) => typeof a.text === 'string' && a.text.includes(expected), 'the session-ended message');
    await again.say('nieuwe monitor');
    await again.waitFor((a) => a.attachments?.[0]?.content !== undefined, 'a card');
    expect(again.received.some((a) => JSON.stringify(a).includes('roundList'))).toBe(false);
    expect(again.received.some((a) => JSON.stringify(a).includes('"verb":"createRound"'))).toBe(false);

    const after = await fetch(`${bot.origin}/api/tab/rounds`, { headers: { authorization: `Bearer ${tabToken}` } });
    expect(after.status).toBe(401);
  });
});

describe('finding 4: strangers cannot lock genuine clients out of joining by code', () => {
  it('lets a client join with their code after 500 wrong codes from throwaway identities', async () => {
    const clock = new FakeClock('2026-11-29T10:00:00Z');
    const rounds = new RoundService({
      rounds: new InMemoryRoundRepository(),
      now: clock.now,
      newId: sequentialIds('r'),
      random: randomBytes,
      invitationTtlDays: 14,
    });
    const { code } = await rounds.create({
      professionalId: 'p',
      clientLabel: 'K',
      domain: null,
      form: 'short',
      appointmentDate: '2026-12-10',
    });
    for (let i = 0; i < 500; i += 1) await rounds.joinWithCode('ABCD-EFGH', `directline:throwaway-${i}`);
    expect((await rounds.joinWithCode(code, 'directline:genuine')).kind).toBe('joined');
  });

  it('tells a person who tried too often the real waiting time', async () => {
    const { bot } = await startLocalBot();
    try {
      const guesser = await DirectLineTestClient.open(bot.origin);
      await guesser.waitForCard('chooseRole');
      for (let i = 0; i < 5; i += 1) {
        await guesser.say('ABCD-EFGH');
        await guesser.waitFor((a) => typeof a.text === 'string' && a.text.startsWith('Die code ken ik niet'), `refusal ${i + 1}`);
      }
      await guesser.say('ABCD-EFGH');
      const limited = await guesser.waitFor((a) => typeof a.text === 'string' && a.text.includes('te vaak'), 'the limit');
      expect(limited.text).toContain('Wacht 15 minuten');
      expect(limited.text).not.toContain('kwartier');
    } finally {
      await bot.stop();
    }
  });
});

describe('finding 5: one corrupt record stays local', () => {
  let bot: RunningBot;
  let dataDir: string;
  beforeAll(async () => ({ bot, dataDir } = await startLocalBot()));
  afterAll(async () => bot.stop());

  it('tells the client honestly, and keeps "mijn rondes" and the tab lists working', async () => {
    const seeded = await seedRound(dataDir);
    const client = await DirectLineTestClient.open(bot.origin);
    await client.waitForCard('chooseRole');
    await client.say(seeded.code);
    await client.waitForCard('settings');
    await client.click({ verb: 'start' });
    await client.waitForCard('start', 'the explanation');
    await client.click({ verb: 'start' });
    const first = await client.waitForCard('answer', 'question 1');
    const answer = actionsOf(first).find((a) => a.verb === 'answer' && a.value === 4);
    await client.click(answer);
    await client.waitForCard('answer', 'question 2');

    // The record files as the journal's checkpoint writes them (about a second after a turn).
    await bot.store.flush();
    const round = JSON.parse(await fs.readFile(recordFile(dataDir, 'rounds', seeded.roundId), 'utf8')) as {
      value: { clientResponseSetId: string };
    };
    await fs.writeFile(recordFile(dataDir, 'responses', round.value.clientResponseSetId), '{"key": "broken');

    await client.say('terug');
    const told = await client.waitFor((a) => typeof a.text === 'string' && a.text.includes('niet lezen'), 'the honest message');
    expect(told.text).toBe('We kunnen je antwoorden nu niet lezen. De beheerder is gewaarschuwd. Er is niets gewist.');
    expect(client.received.some((a) => typeof a.text === 'string' && a.text.includes('veilig bewaard'))).toBe(false);

    const pro = await signedInProfessional(bot.origin, seeded.secret);
    await pro.say('mijn rondes');
    const list = await pro.waitFor((a) => JSON.stringify(a.attachments ?? []).includes('K-12'), 'the round list');
    expect(textsOf(list.attachments?.[0]?.content ?? {}).join(' ')).toContain('kan nu niet gelezen worden');

    const token = await tabSession(bot.origin, seeded.secret);
    const rounds = await fetch(`${bot.origin}/api/tab/rounds`, { headers: { authorization: `Bearer ${token}` } });
    expect(rounds.status).toBe(200);
    expect(((await rounds.json()) as { rounds: { unreadable?: boolean }[] }).rounds[0].unreadable).toBe(true);
    const clients = await fetch(`${bot.origin}/api/tab/clients`, { headers: { authorization: `Bearer ${token}` } });
    expect(clients.status).toBe(200);
  });

  it('goes on with the other rounds in a scheduler tick, and releases the summary claim it could not send', async () => {
    const clock = new FakeClock('2026-11-29T10:00:00Z');
    const bank = loadItemBank(DEFAULT_ITEM_BANK_PATH);
    const sets = new InMemoryResponseSetRepository();
    const unreadable = new Set<string>();
    const questionnaire = new QuestionnaireService(
      bank,
      {
        get: async (id) => {
          if (unreadable.has(id)) throw new Error('Stored record /data/records/responses/x.json cannot be read');
          return sets.get(id);
        },
        create: (set) => sets.create(set),
        update: (id, change) => sets.update(id, change),
        delete: (id) => sets.delete(id),
      },
      clock.now,
      sequentialIds('rs'),
    );
    const repository = new InMemoryRoundRepository();
    const rounds = new RoundService({
      rounds: repository,
      now: clock.now,
      newId: sequentialIds('r'),
      random: randomBytes,
      invitationTtlDays: 14,
    });
    const notifier = new RecordingNotifier();
    const progress = new RoundProgress({ rounds, questionnaire, notifier, now: clock.now, reminderDaysBefore: 2 });
    const made = [];
    for (const label of ['A', 'B']) {
      const { round, code } = await rounds.create({
        professionalId: 'p',
        clientLabel: label,
        domain: null,
        form: 'short',
        appointmentDate: '2026-12-10',
      });
      await rounds.joinWithCode(code, `client-${label}`);
      const set = await questionnaire.start({
        respondentId: `client-${label}`,
        perspective: 'client',
        form: 'short',
        locale: 'nl',
        register: 'simple',
        domain: null,
        roundId: round.id,
      });
      await rounds.attachResponseSet(round.id, 'client', set.id);
      made.push({ round, set });
    }
    unreadable.add(made[0].set.id);
    clock.advance(12 * DAY);

    const result = await progress.tick();
    expect(result.summaries).toBe(1);
    expect(notifier.summaries.map((s) => s.round.clientLabel)).toEqual(['B']);
    expect(result.failures.map((f) => [f.roundId, f.job])).toEqual([[made[0].round.id, 'summary']]);
    // Not marked as sent: the next tick tries again once the file is repaired.
    expect((await repository.get(made[0].round.id))?.summarySentAt).toBeNull();
    unreadable.clear();
    expect((await progress.tick()).summaries).toBe(1);
  });
});

describe('finding 6: no unbounded growth', () => {
  it('keeps at most MAX_MESSAGE_CHARS of client text per activity and a byte budget per conversation', async () => {
    const { bot } = await startLocalBot({ MAX_MESSAGE_CHARS: '200', TRANSCRIPT_BYTES_PER_CONVERSATION: '16384' });
    try {
      const client = await DirectLineTestClient.open(bot.origin);
      await client.waitForCard('chooseRole');
      for (let i = 0; i < 12; i += 1) expect(await client.send({ text: 'x'.repeat(50_000) })).toBe(200);
      const transcript = await client.call('GET', `/conversations/${client.session.conversationId}/activities`);
      const activities = (transcript.body as { activities: { text?: string; from?: { role?: string } }[] }).activities;
      const userTexts = activities.filter((a) => a.from?.role === 'user').map((a) => a.text ?? '');
      expect(userTexts.length).toBeGreaterThan(0);
      for (const text of userTexts) expect(text.length).toBeLessThanOrEqual(200);
      expect(Buffer.byteLength(JSON.stringify(activities))).toBeLessThanOrEqual(16384 + 4096);
    } finally {
      await bot.stop();
    }
  });

  it('rate-limits new identities on /api/directline/token', async () => {
    const { bot } = await startLocalBot();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i += 1) statuses.push((await fetch(`${bot.origin}/api/directline/token`)).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(30);
      const refused = await fetch(`${bot.origin}/api/directline/token`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await bot.stop();
    }
  });

  it('removes conversations that were issued but never started', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-sweep-'));
    const store = new JsonFileStore(path.join(dataDir, 'records'));
    const directLine = new LocalDirectLine({
      origin: () => 'http://127.0.0.1:1',
      botId: 'bot',
      store,
      transcriptStore: store,
      signer: new TokenSigner(randomBytes(32)),
      log: createLogger('silent'),
    });
    for (let i = 0; i < 5; i += 1) await directLine.issueToken(`dl_user${i}`);
    await store.write('directline', 'started', {
      id: 'started',
      userId: 'dl_x',
      startedAt: new Date().toISOString(),
      issuedAt: '2020-01-01T00:00:00Z',
    });
    expect(await directLine.sweepUnusedConversations(new Date())).toBe(0);
    expect(await directLine.sweepUnusedConversations(new Date(Date.now() + 2 * 3600_000))).toBe(5);
    expect((await store.list('directline')).map((r) => r.key)).toEqual(['started']);
  });
});

describe('finding 7: no leaks, strict headers', () => {
  let bot: RunningBot;
  let dataDir: string;
  beforeAll(async () => {
    process.umask(0o022);
    ({ bot, dataDir } = await startLocalBot());
  });
  afterAll(async () => bot.stop());

  it('keeps record folders 0700 and files 0600 whatever the umask', async () => {
    const client = await DirectLineTestClient.open(bot.origin);
    await client.waitForCard('chooseRole');
    await client.click({ verb: 'chooseRole', role: 'client' });
    await client.waitForCard('joinCode');
    await bot.store.flush();
    const walk = async (dir: string): Promise<{ file: string; mode: number; folder: boolean }[]> => {
      const found = [{ file: dir, mode: (await fs.stat(dir)).mode & 0o777, folder: true }];
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) found.push(...(await walk(full)));
        else found.push({ file: full, mode: (await fs.stat(full)).mode & 0o777, folder: false });
      }
      return found;
    };
    const entries = await walk(path.join(dataDir, 'records'));
    expect(entries.filter((e) => !e.folder).length).toBeGreaterThan(2);
    for (const entry of entries) expect([entry.file, entry.mode.toString(8)]).toEqual([entry.file, entry.folder ? '700' : '600']);
  });

  it('warns at start-up about a data folder others can read', async () => {
    const loose = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-loose-'));
    await fs.chmod(loose, 0o755);
    const lines: string[] = [];
    const other = await startBot(
      parseConfig({ PORT: '0', DATA_DIR: loose }),
      createLogger('warn', (line) => lines.push(line)),
    );
    await other.stop();
    expect(lines.map((l) => JSON.parse(l) as { event: string; mode?: string }).find((l) => l.event === 'data_dir_permissions')?.mode).toBe(
      '0755',
    );
  });

  it('sends a strict Content-Security-Policy that forbids framing by other sites on every page', async () => {
    const page = await fetch(`${bot.origin}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const tab = await fetch(`${bot.origin}/tab`);
    expect(tab.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://teams.microsoft.com");
    const api = await fetch(`${bot.origin}/healthz`);
    expect(api.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it.each([
    ['an empty conversation id', { conversation: { id: '' } }],
    ['an empty channelId', { channelId: '' }],
    ['a serviceUrl that is no URL', { serviceUrl: 'not a url' }],
  ])('answers %s with our own 400, not a library message', async (_what, fields) => {
    const response = await fetch(`${bot.origin}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity(fields)),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BadActivity');
  });

  it('writes what botbuilder logs with console.error as one JSON line with the stack inside', () => {
    const lines: string[] = [];
    const fakeConsole = { error: (..._args: unknown[]) => undefined, warn: (..._args: unknown[]) => undefined };
    const restore = captureConsole(
      createLogger('debug', (line) => lines.push(line)),
      fakeConsole,
    );
    fakeConsole.error(new Error('Unauthorized Access.\nRequest is not authorized'));
    restore();
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    const entry = JSON.parse(lines[0]) as Record<string, string>;
    expect(entry.event).toBe('library_error');
    expect(entry.errorStack).toMatch(/^at /);
    expect(entry.errorStack).toContain('\n');
  });
});

describe('finding 7: production mode never shows internal text', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startProductionBot({
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppType: 'MultiTenant',
      DIRECT_LINE_SECRET: 'x',
    });
  });
  afterAll(async () => bot.stop());

  it('answers a token it cannot check (signing keys out of reach) with 503 or 401 and our own words', async () => {
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const jwt = `${part({ alg: 'RS256', kid: 'abc', typ: 'JWT' })}.${part({ iss: 'https://api.botframework.com', aud: 'x' })}.c2ln`;
    const response = await fetch(`${bot.origin}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
      body: JSON.stringify(activity({ serviceUrl: 'https://smba.trafficmanager.net/emea/' })),
    });
    expect([401, 503]).toContain(response.status);
    const body = await response.text();
    expect(body).not.toMatch(/getaddrinfo|botframework\.com|ENOTFOUND|request to|Error:/);
    expect(JSON.parse(body)).toEqual({
      error: expect.objectContaining({ code: expect.stringMatching(/^(Unauthorized|AuthUnavailable)$/) }),
    });
  }, 30000);
});

describe('finding 8: an acknowledged answer is fsynced before the bot confirms it', () => {
  it('syncs the record file and its folder before update() resolves', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-fsync-'));
    const store = new JsonFileStore(path.join(dataDir, 'records'));
    const synced: string[] = [];
    // The store opens record files with the callback open, folders with the synchronous one, and
    // fsyncs with the callback fsync (jsonFileStore.ts): descriptors are mapped back to their paths.
    const opened = new Map<number, string>();
    const realOpenSync = fsSync.openSync.bind(fsSync);
    const realOpen = fsSync.open.bind(fsSync) as (
      file: string,
      flags: string,
      mode: number,
      done: (e: unknown, fd: number) => void,
    ) => void;
    const realFsync = fsSync.fsync.bind(fsSync);
    const openSyncSpy = jest.spyOn(fsSync, 'openSync').mockImplementation((...args: Parameters<typeof fsSync.openSync>) => {
      const descriptor = realOpenSync(...args);
      opened.set(descriptor, String(args[0]));
      return descriptor;
    });
    const openSpy = jest.spyOn(fsSync, 'open').mockImplementation(((
      file: string,
      flags: string,
      mode: number,
      done: (e: unknown, fd: number) => void,
    ) =>
      realOpen(file, flags, mode, (error, descriptor) => {
        if (!error) opened.set(descriptor, file);
        done(error, descriptor);
      })) as unknown as typeof fsSync.open);
    const fsyncSpy = jest.spyOn(fsSync, 'fsync').mockImplementation((descriptor, callback) =>
      realFsync(descriptor, (error) => {
        const target = opened.get(descriptor) ?? '';
        if (!error) synced.push(target.endsWith('.tmp') ? 'file' : fsSync.statSync(target).isDirectory() ? 'folder' : 'other');
        callback(error);
      }),
    );
    try {
      await store.write('responses', 'set-1', { answers: { c1: 4 } });
    } finally {
      openSyncSpy.mockRestore();
      openSpy.mockRestore();
      fsyncSpy.mockRestore();
    }
    // The new collection folder's entry, then the record file, then the rename in its folder.
    expect(synced).toEqual(['folder', 'file', 'folder']);
  });
});
