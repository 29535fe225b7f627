import type { Activity } from 'botbuilder';
import { strings } from '../cards/strings';
import { JOIN_EVENT } from '../dialogs/mainDialog';
import { actionsOf, actionWith, answerAndGoOn, BotWorld, cardsIn, lastCard } from './helpers/botHarness';

/** Everything the client was shown: texts and card texts. */
function shown(replies: Partial<Activity>[]): string {
  return JSON.stringify(replies);
}

/**
 * One role word per round in every message: a probation client reads "reclasseringswerker" from
 * the first message to the last, never the general "begeleider"; a skipped question is echoed in
 * the words the client used ("Weet ik niet"), never "Overgeslagen".
 */
describe('the role word and the words for "don\'t know" in a client round', () => {
  it('a probation round names the professional one way, from joining to sending', async () => {
    const world = new BotWorld();
    const { linkToken } = await world.roundWithCode('short', 'probation');
    const client = world.person('client-1', 'conversation-client-1', 'directline');
    const seen: Partial<Activity>[] = [];
    const take = (replies: Partial<Activity>[]): Partial<Activity>[] => (seen.push(...replies), replies);

    take(await client.event(JOIN_EVENT, { token: linkToken }));
    take(await client.click({ verb: 'start' }));
    let replies = take(await client.click({ verb: 'start' }));
    // A low answer, then a comment; "weet ik niet" typed; the rest tapped; then back, pause, go on.
    replies = take(await client.click(actionWith(lastCard(replies), { verb: 'answer', value: 1 })));
    replies = take(await client.say('meer tijd om te praten'));
    replies = take(await client.say('weet ik niet'));
    expect(shown(replies)).toContain(strings('nl').youSkipped);
    replies = take(await client.click({ verb: 'pause' }));
    replies = take(await client.say('verder'));
    for (let guard = 0; guard < 12 && !actionsOf(lastCard(replies)).some((a) => a.verb === 'confirm'); guard += 1) {
      replies = take(await answerAndGoOn(client, lastCard(replies), 4));
    }
    const overview = lastCard(replies);
    take(await client.click(actionWith(overview, { verb: 'confirm', shareComments: true })));

    const everything = shown(seen);
    expect(everything).toContain('reclasseringswerker');
    expect(everything).not.toMatch(/begeleider/i);
    expect(everything).not.toMatch(/Overgeslagen/i);
    expect(cardsIn(seen).length).toBeGreaterThan(8);
  });

  it("a round's own client whose round was stopped is told so in the round's word", async () => {
    const world = new BotWorld();
    const { linkToken, round, professionalId } = await world.roundWithCode('short', 'probation');
    const client = world.person('client-2', 'conversation-client-2', 'directline');
    await client.event(JOIN_EVENT, { token: linkToken });
    await world.rounds.cancel(round.id, professionalId);
    const again = world.person('client-2', 'conversation-client-2b', 'directline');
    const replies = await again.event(JOIN_EVENT, { token: linkToken });
    expect(shown(replies)).toContain('Deze ronde is gestopt door je reclasseringswerker.');
  });

  it('a stranger with a used code learns nothing about the round: the general word', async () => {
    const world = new BotWorld();
    const { code } = await world.roundWithCode('short', 'probation');
    await world.person('client-3', 'conversation-client-3', 'directline').say(code);
    const stranger = world.person('stranger', 'conversation-stranger', 'directline');
    await stranger.join();
    const replies = await stranger.say(code);
    expect(shown(replies)).toContain('Deze code is al gebruikt. Vraag je begeleider om een nieuwe code.');
    expect(shown(replies)).not.toContain('reclasseringswerker');
  });
});
