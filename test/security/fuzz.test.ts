import { promises as fs } from 'node:fs';
import fc from 'fast-check';
import type { RunningBot } from '../../composition/startBot';
import { actionsOf, DirectLineTestClient } from '../helpers/directLineClient';
import { seedRound } from '../helpers/seed';
import { healthy, recordFile, startLocalBot } from './securityHarness';

/**
 * Property-based fuzzing of what a stranger can send: activities and card values against
 * `/api/messages` and the local Direct Line routes. The server must never answer 5xx, must stay
 * up, and a client's stored answers must stay exactly as they were.
 */

const RUNS = 1000;
const VERBS = [
  'answer',
  'back',
  'skip',
  'later',
  'start',
  'resume',
  'chooseRole',
  'settings',
  'comment',
  'shareComments',
  'newRound',
  'createRound',
  'listRounds',
  'showSummary',
  'resend',
  'cancelRound',
  'deleteRound',
  'confirmDelete',
  'answerOwnSide',
  'joinCode',
];

describe('fuzzing activities and card values', () => {
  let bot: RunningBot;
  let dataDir: string;
  let responseSetFile: string;
  let knownSetId: string;
  let knownRoundId: string;
  let storedBefore: unknown;
  let attacker: DirectLineTestClient;

  beforeAll(async () => {
    ({ bot, dataDir } = await startLocalBot());
    const seeded = await seedRound(dataDir);
    knownRoundId = seeded.roundId;
    const client = await DirectLineTestClient.open(bot.origin);
    await client.waitForCard('chooseRole');
    await client.say(seeded.code);
    await client.waitForCard('settings');
    await client.click({ verb: 'start' });
    await client.waitForCard('start');
    await client.click({ verb: 'start' });
    const first = await client.waitForCard('answer');
    await client.click(actionsOf(first).find((a) => a.verb === 'answer' && a.value === 4));
    await client.waitForCard('answer', 'question 2');
    // The record files as the journal's checkpoint writes them (about a second after a turn).
    await bot.store.flush();
    const round = JSON.parse(await fs.readFile(recordFile(dataDir, 'rounds', knownRoundId), 'utf8')) as {
      value: { clientResponseSetId: string };
    };
    knownSetId = round.value.clientResponseSetId;
    responseSetFile = recordFile(dataDir, 'responses', knownSetId);
    storedBefore = (JSON.parse(await fs.readFile(responseSetFile, 'utf8')) as { value: unknown }).value;
    attacker = await DirectLineTestClient.open(bot.origin);
    await attacker.waitForCard('chooseRole');
  }, 60000);

  afterAll(async () => bot.stop());

  it(`answers ${RUNS} generated activities without a server error and leaves stored answers alone`, async () => {
    const cardValue = fc.oneof(
      fc.record(
        {
          verb: fc.oneof(fc.constantFrom(...VERBS), fc.string({ maxLength: 20 })),
          responseSetId: fc.oneof(fc.constant(knownSetId), fc.string({ maxLength: 40 }), fc.integer()),
          roundId: fc.oneof(fc.constant(knownRoundId), fc.string({ maxLength: 40 })),
          itemId: fc.oneof(fc.constantFrom('c-direction-1', 'c-trust-1', '__proto__', ''), fc.string({ maxLength: 30 })),
          value: fc.oneof(fc.integer({ min: -3, max: 9 }), fc.double(), fc.string({ maxLength: 20 }), fc.constant(null), fc.boolean()),
          role: fc.constantFrom('client', 'professional', 'admin'),
          secret: fc.string({ maxLength: 50 }),
          text: fc.string({ maxLength: 300 }),
        },
        { requiredKeys: ['verb'] },
      ),
      fc.jsonValue({ maxDepth: 3 }),
    );
    const activity = fc.record(
      {
        type: fc.oneof(
          fc.constantFrom('message', 'event', 'invoke', 'conversationUpdate', 'typing', 'endOfConversation'),
          fc.string({ maxLength: 70 }),
        ),
        text: fc.oneof(
          fc.string({ maxLength: 500 }),
          fc.constantFrom('mijn rondes', 'nieuwe monitor', 'ABCD-EFGH', 'terug', 'verder', '3'),
          fc.integer(),
        ),
        value: cardValue,
        name: fc.oneof(fc.constantFrom('professionalSignIn', 'joinRound', 'webchat/join'), fc.string({ maxLength: 30 })),
        from: fc.oneof(
          fc.record({ id: fc.string({ maxLength: 40 }), role: fc.constantFrom('user', 'bot') }),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        conversation: fc.oneof(fc.record({ id: fc.string({ maxLength: 40 }) }), fc.jsonValue({ maxDepth: 1 })),
        channelId: fc.oneof(fc.constantFrom('directline', 'msteams', 'emulator', ''), fc.string({ maxLength: 20 })),
        serviceUrl: fc.oneof(fc.constantFrom(`${bot.origin}/connector`, 'https://attacker.example/', 'http://127.0.0.1:1/'), fc.string()),
        channelData: fc.jsonValue({ maxDepth: 2 }),
        locale: fc.oneof(fc.constantFrom('nl-NL', 'en-US'), fc.string({ maxLength: 10 })),
      },
      { requiredKeys: [] },
    );
    const target = fc.constantFrom('api/messages', 'directline/post', 'directline/other');
    const serverErrors: string[] = [];
    let cases = 0;
    const started = Date.now();

    await fc.assert(
      fc.asyncProperty(target, activity, fc.string({ maxLength: 40 }), async (where, body, randomId) => {
        cases += 1;
        let status: number;
        if (where === 'api/messages') {
          const response = await fetch(`${bot.origin}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-local-directline-signature': randomId },
            body: JSON.stringify(body),
          });
          await response.arrayBuffer();
          status = response.status;
        } else if (where === 'directline/post') {
          status = (await attacker.call('POST', `/conversations/${attacker.session.conversationId}/activities`, body)).status;
        } else {
          const conversation = encodeURIComponent(randomId || knownRoundId);
          status = (await attacker.call('POST', `/conversations/${conversation}/activities`, body)).status;
        }
        if (status >= 500) serverErrors.push(`${where} ${status} ${JSON.stringify(body).slice(0, 300)}`);
        return status < 500;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );

    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`fuzz: ${cases} generated cases in ${seconds.toFixed(1)} s, ${serverErrors.length} server errors\n`);
    expect(serverErrors).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(RUNS);
    expect(await healthy(bot.origin)).toBe(true);
    await bot.store.flush();
    const storedAfter = (JSON.parse(await fs.readFile(responseSetFile, 'utf8')) as { value: unknown }).value;
    expect(storedAfter).toEqual(storedBefore);
  }, 120000);
});
