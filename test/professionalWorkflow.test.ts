import { professionalReferenceKey } from '../services/conversations/conversationReferenceRepository';
import { actionWith, actionsOf, BotWorld, lastCard, textOf, textsOf } from './helpers/botHarness';

function openUrls(card: object): { title: string; url: string }[] {
  const actions = (card as { actions?: { type: string; title: string; url?: string }[] }).actions ?? [];
  return actions.flatMap((action) => (action.type === 'Action.OpenUrl' && action.url ? [{ title: action.title, url: action.url }] : []));
}

/** A signed-in web professional in their own conversation. */
async function signedIn(world: BotWorld, secret: string, conversationId = 'pro-conversation') {
  const pro = world.person('pro-user', conversationId);
  await pro.event('professionalSignIn', { secret });
  return pro;
}

describe("the professional's workflow (scripted turns)", () => {
  it('submitting the same round form twice creates one round and says which one exists', async () => {
    const world = new BotWorld();
    const { secret } = await world.professionals.addWithAccessLink('Sam');
    const pro = await signedIn(world, secret);
    const form = lastCard(await pro.click({ verb: 'newRound' }));
    const fields = { clientLabel: 'K-41', domain: 'probation', form: 'short', appointmentDate: '2026-12-07' };
    const data = { ...actionWith(form, { verb: 'createRound' }), ...fields };

    const first = await pro.click(data);
    expect(textsOf(lastCard(first))[0]).toBe('Uitnodiging voor K-41');
    const second = await pro.click(data);
    expect(textOf(second)).toMatch(
      /^Deze uitnodiging is al gemaakt: K-41, afspraak op 7 december 2026, gemaakt 29 november 2026, 11:00, code …..\. Er is geen tweede ronde/,
    );
    expect(world.roundRepository.rounds.size).toBe(1);

    // A new form card is a new round, and the list tells the two apart.
    const again = lastCard(await pro.click({ verb: 'newRound' }));
    world.clock.advance(60_000);
    await pro.click({ ...actionWith(again, { verb: 'createRound' }), ...fields });
    expect(world.roundRepository.rounds.size).toBe(2);
    const list = textsOf(lastCard(await pro.say('mijn rondes')));
    expect(list.filter((line) => line === 'K-41 · 7 december 2026')).toHaveLength(2);
    const made = list.filter((line) => line.startsWith('Gemaakt '));
    expect(made).toHaveLength(2);
    expect(made[0]).not.toBe(made[1]);
  });

  it('"mijn rondes" shows ten rounds at a time, newest appointment first, with "Meer rondes laten zien" for the rest', async () => {
    const world = new BotWorld();
    const { secret, professional } = await world.professionals.addWithAccessLink('Sam');
    for (let day = 1; day <= 12; day += 1) {
      const appointmentDate = `2026-12-${String(day + 10).padStart(2, '0')}`;
      await world.rounds.create({ professionalId: professional.id, clientLabel: `K-${day}`, domain: null, form: 'short', appointmentDate });
    }
    const pro = await signedIn(world, secret);
    const labels = (card: ReturnType<typeof lastCard>): string[] =>
      textsOf(card)
        .filter((line) => /^K-\d+ · /.test(line))
        .map((line) => line.split(' · ')[0]);

    const first = lastCard(await pro.say('mijn rondes'));
    expect(labels(first)).toEqual(['K-12', 'K-11', 'K-10', 'K-9', 'K-8', 'K-7', 'K-6', 'K-5', 'K-4', 'K-3']);
    const more = actionWith(first, { verb: 'listRounds' });
    expect(actionsOf(first).find((action) => action.verb === 'listRounds' && action.cursor === more.cursor)).toBeDefined();
    expect(JSON.stringify(first)).toContain('Meer rondes laten zien');

    const second = lastCard(await pro.click(more));
    expect(labels(second)).toEqual(['K-2', 'K-1']);
    expect(actionsOf(second).some((action) => action.verb === 'listRounds')).toBe(false);

    // A cursor that is not one of ours starts at the top instead of failing.
    for (const cursor of ['not a cursor', 'x'.repeat(400), 42]) {
      expect(labels(lastCard(await pro.click({ verb: 'listRounds', cursor })))[0]).toBe('K-12');
    }
    const english = world.person('pro-user-en', 'pro-en', 'test');
    await english.event('professionalSignIn', { secret });
    await english.click({ verb: 'settings', locale: 'en' });
    expect(JSON.stringify(lastCard(await english.click({ verb: 'listRounds' })))).toContain('Show more rounds');
  });

  it('"Annuleren" asks first, and a second confirmation changes nothing', async () => {
    const world = new BotWorld();
    const { secret, round } = await world.roundWithCode('short');
    const pro = await signedIn(world, secret);
    const ask = lastCard(await pro.click({ verb: 'cancelRound', roundId: round.id }));
    expect(textsOf(ask)[0]).toMatch(/^Ronde K-12, afspraak op 10 december 2026, .* annuleren\?/);
    expect((await world.roundRepository.get(round.id))?.status).toBe('open');
    expect(textOf(await pro.click({ verb: 'cancelRoundConfirmed', roundId: round.id }))).toBe(
      'Ronde K-12 is geannuleerd. De uitnodiging werkt niet meer.',
    );
    expect(textOf(await pro.click({ verb: 'cancelRoundConfirmed', roundId: round.id }))).toBe(
      'Ronde K-12 was al gestopt. Er is niets veranderd.',
    );
  });

  it('"Nieuwe code" clicked twice makes one new code', async () => {
    const world = new BotWorld();
    const { secret, round } = await world.roundWithCode('short');
    const pro = await signedIn(world, secret);
    const list = lastCard(await pro.click({ verb: 'listRounds' }));
    const resend = actionWith(list, { verb: 'resendInvitation' });
    expect(textsOf(lastCard(await pro.click(resend)))[0]).toBe('Uitnodiging voor K-12');
    const hash = (await world.roundRepository.get(round.id))?.invitation.codeHash;
    expect(textOf(await pro.click(resend))).toMatch(/^Met deze knop is al een nieuwe code gemaakt/);
    expect((await world.roundRepository.get(round.id))?.invitation.codeHash).toBe(hash);
  });

  it('offers the tab from the menu and from the word "overzicht", with one tap', async () => {
    const world = new BotWorld();
    const { secret, professional } = await world.professionals.addWithAccessLink('Sam');
    const pro = world.person('pro-user');
    const menu = lastCard(await pro.event('professionalSignIn', { secret }));
    expect(openUrls(menu)).toEqual([{ title: 'Overzicht', url: `https://bot.example.org/tab?link=test-${professional.id}` }]);
    const overview = lastCard(await pro.say('overzicht'));
    expect(openUrls(overview)).toEqual([{ title: 'Overzicht', url: `https://bot.example.org/tab?link=test-${professional.id}` }]);
    expect(actionsOf(overview)).toEqual([]);
    expect(JSON.stringify(overview)).not.toContain(secret);
  });

  it("sends summaries to the professional's most recent conversation", async () => {
    const world = new BotWorld();
    const { secret } = await world.professionals.addWithAccessLink('Sam');
    const laptop = await signedIn(world, secret, 'laptop');
    const phone = await signedIn(world, secret, 'phone');
    const key = professionalReferenceKey((await world.professionals.list())[0].id);
    expect((await world.references.get(key))?.conversation).toMatchObject({ id: 'phone' });
    await laptop.say('mijn rondes');
    expect((await world.references.get(key))?.conversation).toMatchObject({ id: 'laptop' });
    await phone.say('hoi');
    expect((await world.references.get(key))?.conversation).toMatchObject({ id: 'phone' });
  });
});
