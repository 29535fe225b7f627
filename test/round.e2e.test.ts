import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../config';
import { RunningBot, startBot } from '../composition/startBot';
import { Activity, actionsOf, answerAllByClicking, cardOf, CardContent, DirectLineTestClient, textsOf } from './helpers/directLineClient';
import { seedProfessional, seedProfessionalIn } from './helpers/seed';
import { defined } from './helpers/defined';
import { postgresAvailable, TestDatabase } from './helpers/testDatabase';
import { PostgresProfessionalRepository } from '../storage/postgres/postgresProfessionalRepository';

function isSummary(activity: Activity): boolean {
  const card = cardOf(activity);
  return !!card && textsOf(card).some((t) => /Om over te praten|Per onderdeel/.test(t));
}

/** Where the bot keeps its data in each run: the embedded store, and PostgreSQL when a database is reachable. */
interface Backend {
  env: (dataDir: string) => Promise<Record<string, string>>;
  seed: (dataDir: string) => Promise<{ secret: string }>;
  /** Checks that the round and the state went where this backend keeps them. */
  stored: (dataDir: string) => Promise<void>;
  done: () => Promise<void>;
}

const backends: [string, Backend][] = [
  [
    'on the embedded store',
    {
      env: async () => ({}),
      seed: (dataDir) => seedProfessional(dataDir, 'Sam'),
      stored: async (dataDir) => {
        expect(await fs.readdir(path.join(dataDir, 'records', 'rounds'))).not.toHaveLength(0);
      },
      done: async () => undefined,
    },
  ],
];
if (postgresAvailable()) {
  let database: TestDatabase | null = null;
  const db = (): TestDatabase => defined(database, 'the test database');
  backends.push([
    'on PostgreSQL',
    {
      env: async () => {
        database = await TestDatabase.create();
        return { DATABASE_URL: database.url };
      },
      seed: () => seedProfessionalIn(new PostgresProfessionalRepository(db().pool()), 'Sam'),
      stored: async (dataDir) => {
        const sent = await db().pool().query('SELECT id FROM rounds WHERE summary_sent_at IS NOT NULL');
        expect(sent.rowCount).toBe(1);
        expect((await db().pool().query('SELECT key FROM bot_state')).rowCount).toBeGreaterThan(0);
        // Only the local Direct Line's transcripts stay in files.
        expect(await fs.readdir(path.join(dataDir, 'records'))).not.toContain('rounds');
      },
      done: async () => database?.drop(),
    },
  ]);
}

describe.each(backends)('a round over HTTP: professional and client in two conversations (%s)', (_name, backend) => {
  let bot: RunningBot;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-round-'));
    bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(await backend.env(dataDir)) }));
  }, 60000);

  afterAll(async () => {
    await bot.stop();
    await backend.done();
  });

  it('creates a round, the client joins with the link, both answer, the professional gets the summary proactively', async () => {
    const { secret } = await backend.seed(dataDir);

    const pro = await DirectLineTestClient.open(bot.origin);
    await pro.waitForCard('chooseRole');
    expect(await pro.send({ type: 'event', name: 'professionalSignIn', value: { secret } })).toBe(200);
    await pro.waitForCard('newRound', 'the professional menu');
    await pro.click({ verb: 'newRound' });
    await pro.waitForCard('createRound', 'the round form');
    const appointment = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
    await pro.click({ verb: 'createRound', clientLabel: 'K-12', domain: 'debtHelp', form: 'short', appointmentDate: appointment });
    const invitation = await pro.waitFor((a) => !!cardOf(a) && JSON.stringify(cardOf(a)).includes('?join='), 'the invitation');
    const invitationJson = JSON.stringify(cardOf(invitation));
    const linkToken = decodeURIComponent(defined(/\?join=([^"\s]+)/.exec(invitationJson), 'join link')[1]);
    const code = defined(/\*\*([A-Z0-9]{4}-[A-Z0-9]{4})\*\*/.exec(invitationJson), 'code')[1];
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    // The professional answers their side first; nothing is revealed yet.
    const roundId = String(
      defined(
        actionsOf(defined(cardOf(invitation), 'invitation')).find((a) => a.verb === 'answerOwnSide'),
        'answerOwnSide',
      ).roundId,
    );
    await pro.click({ verb: 'answerOwnSide', roundId });
    await pro.waitForCard('start', 'the professional explanation');
    await pro.click({ verb: 'start' });
    await answerAllByClicking(pro, (i) => ((i + 2) % 5) + 1);
    await pro.waitFor((a) => typeof a.text === 'string' && a.text.includes('Zodra de cliënt ook klaar is'), 'the waiting note');
    await pro.click({ verb: 'showSummary', roundId });
    await pro.waitFor((a) => typeof a.text === 'string' && a.text.includes('of zodra jullie allebei klaar zijn'), 'not yet');

    // The client opens the invitation link.
    const client = await DirectLineTestClient.open(bot.origin);
    await client.waitForCard('chooseRole');
    await client.send({ type: 'event', name: 'joinRound', value: { token: linkToken } });
    await client.waitFor((a) => a.text === 'Gelukt! Je doet mee.', 'the join confirmation');
    await client.waitForCard('settings');
    await client.click({ verb: 'start' });
    const explanation = await client.waitForCard('start', 'the client explanation');
    expect(textsOf(explanation).join(' ')).toMatch(/ziet jouw antwoorden als jullie allebei klaar zijn/);
    expect(textsOf(explanation).join(' ')).toMatch(/schuldhulpverlener/);
    await client.click({ verb: 'start' });
    await answerAllByClicking(client, (i) => (i === 1 ? null : (i % 5) + 1));
    await client.waitFor((a) => textsOf(cardOf(a) ?? {}).some((t) => t.includes('Dank je wel')), 'the thank-you');

    // The summary arrives in the professional's conversation without them asking.
    const summary = await pro.waitFor(isSummary, 'the summary card', 10000);
    const summaryCard = cardOf(summary) as CardContent;
    expect(summaryCard.version).toBe('1.5');
    expect(summary.replyToId).toBeUndefined();
    expect(JSON.stringify(summaryCard)).toContain('K-12');
    // Record files as the journal's checkpoint writes them (about a second after the turns).
    await bot.store.flush();
    await backend.stored(dataDir);

    // The client never sees the professional's answers or the summary.
    expect(client.received.some(isSummary)).toBe(false);

    // The code cannot be used again by someone else.
    const stranger = await DirectLineTestClient.open(bot.origin);
    await stranger.waitForCard('chooseRole');
    await stranger.say(code);
    await stranger.waitFor((a) => typeof a.text === 'string' && a.text.includes('al gebruikt'), 'the refusal');
  }, 60000);
});
