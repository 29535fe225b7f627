import { actionsOf, BotWorld, cardsIn, lastCard, textOf, textsOf } from './helpers/botHarness';
import { defined } from './helpers/defined';

/** Nobody sees or changes what is not theirs, whatever they click or type. */
describe('isolation between people in chat', () => {
  async function twoProfessionalsWithRounds(world: BotWorld) {
    const a = await world.roundWithCode('short');
    const b = await world.roundWithCode('short');
    const proA = world.person('pro-a');
    await proA.join();
    await proA.event('professionalSignIn', { secret: a.secret });
    return { a, b, proA };
  }

  it("a professional sees only their own rounds and cannot act on another professional's round", async () => {
    const world = new BotWorld();
    const { a, b, proA } = await twoProfessionalsWithRounds(world);
    const list = lastCard(await proA.click({ verb: 'listRounds' }));
    const roundIds = actionsOf(list)
      .map((action) => action.roundId)
      .filter(Boolean);
    expect(roundIds).toContain(a.round.id);
    expect(roundIds).not.toContain(b.round.id);
    for (const verb of ['showSummary', 'answerOwnSide', 'resendInvitation', 'cancelRound', 'deleteRound', 'deleteRoundConfirmed']) {
      const replies = await proA.click({ verb, roundId: b.round.id });
      expect(textOf(replies)).toMatch(/kan ik niet vinden|Een nieuwe code kan alleen/);
      expect(cardsIn(replies).some((card) => JSON.stringify(card).includes('?join='))).toBe(false);
    }
    expect((await world.roundRepository.get(b.round.id))?.status).toBe('open');
  });

  it("a client cannot use professional actions, another client's answers, or a used code", async () => {
    const world = new BotWorld();
    const { code, round } = await world.roundWithCode('short');
    const client = world.person('client-1');
    await client.join();
    await client.say(code);
    await client.click({ verb: 'start' });
    await client.click({ verb: 'start' });
    const clientSet = [...world.responses.sets.values()][0];

    const other = world.person('client-2');
    await other.join();
    const reuse = await other.say(code);
    expect(textOf(reuse)).toMatch(/al gebruikt/);
    const listing = await other.click({ verb: 'listRounds' });
    expect(textOf(listing)).not.toContain('K-12');
    const meddling = await other.click({
      verb: 'answer',
      responseSetId: clientSet.id,
      itemId: world.questionnaire.items(clientSet)[0].id,
      value: 1,
    });
    expect(textOf(meddling)).toMatch(/hoort niet bij jouw gesprek/);
    const summary = await other.click({ verb: 'showSummary', roundId: round.id });
    expect(cardsIn(summary).some((card) => textsOf(card).includes('Om over te praten'))).toBe(false);
    expect(Object.keys(defined(await world.questionnaire.get(clientSet.id), 'client set').answers)).toHaveLength(0);
  });

  it('a client who comes back on the same device resumes without the code', async () => {
    const world = new BotWorld();
    const { code } = await world.roundWithCode('short');
    const client = world.person('client-1', 'conversation-1');
    await client.join();
    await client.say(code);
    await client.click({ verb: 'start' });
    const first = lastCard(await client.click({ verb: 'start' }));
    await client.click(
      defined(
        actionsOf(first).find((a) => a.verb === 'answer' && a.value === 3),
        'answer 3',
      ),
    );
    const later = world.restart().person('client-1', 'conversation-2');
    const greeting = lastCard(await later.join());
    expect(textsOf(greeting).join(' ')).toMatch(/Welkom terug/);
    expect(actionsOf(greeting).some((a) => a.verb === 'joinCode')).toBe(false);
  });
});
