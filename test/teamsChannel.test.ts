import { Activity, ActivityTypes } from 'botbuilder';
import { BotHarness, BotWorld, actionWith, actionsOf, cardsIn, lastCard, textOf, textsOf } from './helpers/botHarness';
import { defined } from './helpers/defined';

/** The tenant `BotWorld` allows; Teams users from it are professionals. */
const ALLOWED_TENANT = '11111111-2222-3333-4444-555555555555';
const OTHER_TENANT = '99999999-8888-7777-6666-555555555555';

/** A Teams user in a personal chat, as Teams sends them: aadObjectId on `from`, tenant on the conversation. */
function teamsUser(
  world: BotWorld,
  name: string,
  tenantId = ALLOWED_TENANT,
): { harness: BotHarness; activity: (extra?: Partial<Activity>) => Partial<Activity> } {
  const userId = `29:${name}`;
  const conversationId = `a:personal-${name}`;
  const harness = world.person(userId, conversationId, 'msteams');
  const activity = (extra: Partial<Activity> = {}): Partial<Activity> => ({
    from: { id: userId, name: `${name} Display Name`, aadObjectId: `aad-${name}` },
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', tenantId, name: '' },
    channelData: { tenant: { id: tenantId } },
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    ...extra,
  });
  return { harness, activity };
}

/** Records card updates; the TestAdapter itself only swaps them in its queue. */
function recordUpdates(harness: BotHarness): Partial<Activity>[] {
  const updates: Partial<Activity>[] = [];
  jest.spyOn(harness.adapter, 'updateActivity').mockImplementation(async (_context, activity) => {
    updates.push(activity);
    return { id: activity.id ?? '' };
  });
  return updates;
}

/** Starts a short round as this Teams professional and opens their own first question. */
async function startOwnSide(user: ReturnType<typeof teamsUser>): Promise<Partial<Activity>[]> {
  const { harness, activity } = user;
  await harness.turn(activity({ text: 'hallo' }));
  await harness.turn(activity({ value: { verb: 'newRound' } }));
  const invitation = lastCard(
    await harness.turn(
      activity({ value: { verb: 'createRound', clientLabel: 'K-7', domain: 'probation', form: 'short', appointmentDate: '2026-12-10' } }),
    ),
  );
  const answerOwnSide = actionWith(invitation, { verb: 'answerOwnSide' });
  await harness.turn(activity({ value: answerOwnSide }));
  return harness.turn(activity({ value: { verb: 'start' } }));
}

describe('Teams channel', () => {
  it('a Teams user from an allowed tenant becomes a professional and sees the menu', async () => {
    const world = new BotWorld();
    const user = teamsUser(world, 'sam');
    const replies = await user.harness.turn(user.activity({ text: 'hallo' }));
    const menu = lastCard(replies);
    expect(textsOf(menu)).toContain('Wat wil je doen?');
    // A greeting is answered with the menu, not with "Dat begreep ik niet goed".
    expect(textOf(replies)).not.toMatch(/niet goed/);
    expect(actionsOf(menu).map((a) => a.verb)).toEqual(expect.arrayContaining(['newRound', 'listRounds']));
    const professional = await world.professionalRepository.findByAadObjectId('aad-sam');
    expect(professional).toBeDefined();
    expect(professional?.revokedAt).toBeNull();
  });

  it('takes the tenant from channelData when the conversation has none', async () => {
    const world = new BotWorld();
    const user = teamsUser(world, 'kim');
    const replies = await user.harness.turn(
      user.activity({ text: 'hallo', conversation: { id: 'a:personal-kim', isGroup: false, conversationType: 'personal', name: '' } }),
    );
    expect(actionsOf(lastCard(replies)).some((a) => a.verb === 'newRound')).toBe(true);
  });

  it('a Teams user from another tenant gets the kind refusal and no professional account', async () => {
    const world = new BotWorld();
    const user = teamsUser(world, 'eve', OTHER_TENANT);
    const replies = await user.harness.turn(user.activity({ text: 'nieuwe monitor' }));
    expect(cardsIn(replies)).toHaveLength(0);
    expect(textOf(replies)).toMatch(/organisatie|organisation/i);
    expect(await world.professionalRepository.findByAadObjectId('aad-eve')).toBeUndefined();
    expect(world.references.references.size).toBe(0);
  });

  it.each([
    ['installationUpdate', { type: ActivityTypes.InstallationUpdate, action: 'add' }],
    ['conversationUpdate', { type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: '29:ana', name: 'ana Display Name' }] }],
  ])('%s stores the conversation reference without the display name and without activityId', async (_kind, extra) => {
    const world = new BotWorld();
    const user = teamsUser(world, 'ana');
    const replies = await user.harness.turn(user.activity({ ...(extra as Partial<Activity>), id: 'install-activity-1' }));
    expect(actionsOf(lastCard(replies)).some((a) => a.verb === 'newRound')).toBe(true);

    const professional = await world.professionalRepository.findByAadObjectId('aad-ana');
    const stored = world.references.references.get(`professional:${defined(professional, 'professional').id}`);
    expect(stored).toBeDefined();
    expect(stored).toMatchObject({
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      conversation: { id: 'a:personal-ana', tenantId: ALLOWED_TENANT },
      locale: 'nl',
    });
    expect(stored).not.toHaveProperty('activityId');
    expect(defined(stored, 'stored reference').user).toEqual({ id: '29:ana', aadObjectId: 'aad-ana' });
    expect(JSON.stringify(stored)).not.toContain('Display Name');
  });

  describe('an answered question card is updated in place', () => {
    it('replaces the clicked card with the question and "Jouw antwoord", without buttons', async () => {
      const world = new BotWorld();
      const user = teamsUser(world, 'noor');
      const updates = recordUpdates(user.harness);
      const question = lastCard(await startOwnSide(user));
      const questionText = textsOf(question)[2];
      const answer = actionWith(question, { verb: 'answer', value: 4 });

      const replies = await user.harness.turn(user.activity({ value: answer, replyToId: 'card-activity-1' }));

      expect(updates).toHaveLength(1);
      expect(updates[0].id).toBe('card-activity-1');
      const updated = cardsIn([updates[0]]);
      expect(updated).toHaveLength(1);
      expect(textsOf(updated[0])).toEqual(['Vraag 1 van 8', questionText, expect.stringMatching(/^Jouw antwoord: .+/)]);
      expect(actionsOf(updated[0])).toHaveLength(0);
      expect(JSON.stringify(updated[0])).not.toContain('Action.Submit');
      // The turn goes on as before: the answer is confirmed and the next question follows.
      expect(textOf(replies)).toMatch(/Jouw antwoord: /);
      expect(textsOf(lastCard(replies))).toContain('Vraag 2 van 8');
    });

    it('says "Weet ik niet" (the client\'s own words) on the card after "weet ik niet"', async () => {
      const world = new BotWorld();
      const user = teamsUser(world, 'lex');
      const updates = recordUpdates(user.harness);
      const question = lastCard(await startOwnSide(user));
      await user.harness.turn(
        user.activity({ value: actionWith(question, { verb: 'answer', value: null }), replyToId: 'card-activity-2' }),
      );
      expect(textsOf(cardsIn([updates[0]])[0])).toContain('Jouw antwoord: Weet ik niet');
    });

    it('does not update outside Teams, nor without replyToId (a typed answer)', async () => {
      const world = new BotWorld();
      const web = world.person('web-user', 'web-conversation', 'directline');
      const webUpdates = recordUpdates(web);
      const { secret } = await world.professionals.addWithAccessLink('Robin');
      await web.event('professionalSignIn', { secret });
      await web.click({ verb: 'newRound' });
      const invitation = lastCard(
        await web.click({ verb: 'createRound', clientLabel: 'K-8', domain: 'probation', form: 'short', appointmentDate: '2026-12-10' }),
      );
      await web.click(actionWith(invitation, { verb: 'answerOwnSide' }));
      const question = lastCard(await web.click({ verb: 'start' }));
      await web.turn({ value: actionWith(question, { verb: 'answer', value: 3 }), replyToId: 'card-activity-3' });
      expect(webUpdates).toHaveLength(0);

      const user = teamsUser(world, 'jo');
      const teamsUpdates = recordUpdates(user.harness);
      await startOwnSide(user);
      const replies = await user.harness.turn(user.activity({ text: '4' }));
      expect(textsOf(lastCard(replies))).toContain('Vraag 2 van 8');
      expect(teamsUpdates).toHaveLength(0);
    });

    it('a failed update does not break the turn', async () => {
      const world = new BotWorld();
      const user = teamsUser(world, 'bo');
      jest.spyOn(user.harness.adapter, 'updateActivity').mockRejectedValue(new Error('Forbidden: the activity cannot be updated'));
      const question = lastCard(await startOwnSide(user));
      const replies = await user.harness.turn(
        user.activity({ value: actionWith(question, { verb: 'answer', value: 5 }), replyToId: 'card-activity-4' }),
      );
      expect(textOf(replies)).toMatch(/Jouw antwoord: /);
      expect(textsOf(lastCard(replies))).toContain('Vraag 2 van 8');
      const responseSet = [...world.responses.sets.values()].find((r) => r.respondentId.startsWith('professional:'));
      expect(Object.keys(responseSet?.answers ?? {})).toHaveLength(1);
    });
  });
});
