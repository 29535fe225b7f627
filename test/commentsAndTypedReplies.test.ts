import {
  actionsOf,
  actionWith,
  answerAndGoOn,
  BotHarness,
  cardsIn,
  clientAtFirstQuestion,
  lastCard,
  textOf,
  textsOf,
} from './helpers/botHarness';
import type { CardContent } from './helpers/directLineClient';
import { defined } from './helpers/defined';

function heading(card: CardContent): string {
  return textsOf(card)[0];
}

function onlySet(bot: BotHarness) {
  const sets = [...bot.responses.sets.values()];
  expect(sets).toHaveLength(1);
  return sets[0];
}

/** The first item whose low answer is value 1 (not a reverse item). */
function lowValueFor(bot: BotHarness, itemId: string): number {
  return defined(bot.itemBank.item(itemId), itemId).reverse ? 5 : 1;
}

describe('typed replies', () => {
  it('asks to confirm an unclear reply with the two likeliest answers, storing nothing yet', async () => {
    const { bot } = await clientAtFirstQuestion();
    const replies = await bot.say('niet altijd');
    const confirm = lastCard(replies);
    expect(textsOf(confirm).join(' ')).toMatch(/Bedoel je/);
    const values = actionsOf(confirm)
      .filter((a) => a.verb === 'answer')
      .map((a) => a.value);
    expect(values).toHaveLength(2);
    expect(values).toEqual(expect.arrayContaining([3, 4]));
    expect(Object.keys(onlySet(bot).answers)).toHaveLength(0);
    const after = await bot.click(
      defined(
        actionsOf(confirm).find((a) => a.verb === 'answer' && a.value === 4),
        'answer 4',
      ),
    );
    expect(heading(lastCard(after))).toBe('Vraag 2 van 19');
    expect(Object.values(onlySet(bot).answers)[0].value).toBe(4);
  });

  it('takes clear typed answers, skips and commands in the middle', async () => {
    const { bot } = await clientAtFirstQuestion();
    // A low answer opens "what would help?" on its own (issue 10); "nee" declines it.
    expect(heading(lastCard(await bot.say('nee hoor')))).toBe('Wat zou helpen?');
    expect(heading(lastCard(await bot.say('nee')))).toBe('Vraag 2 van 19');
    expect(heading(lastCard(await bot.say('weet ik niet')))).toBe('Vraag 3 van 19');
    expect(heading(lastCard(await bot.say('4')))).toBe('Vraag 4 van 19');
    expect(heading(lastCard(await bot.say('vorige')))).toBe('Vraag 3 van 19');
    const english = lastCard(await bot.say('english please'));
    expect(heading(english)).toBe('Question 3 of 19');
    const values = Object.values(onlySet(bot).answers).map((a) => a.value);
    expect(values).toEqual([1, null, 4]);
    expect(textsOf(lastCard(await bot.say('stop'))).join(' ')).toMatch(/saved|bewaard/);
  });
});

describe('comments', () => {
  it('offers "what would help?" after a low answer, at most twice, and never requires it', async () => {
    const { bot, card } = await clientAtFirstQuestion();
    const items = bot.itemBank.items('full', 'client');
    let current = card;
    let followUps = 0;
    for (let i = 0; i < 4; i += 1) {
      const replies = await bot.click(actionWith(current, { verb: 'answer', value: lowValueFor(bot, items[i].id) }));
      const followUp = cardsIn(replies).find((c) => textsOf(c).includes('Wat zou helpen?'));
      if (followUp) {
        followUps += 1;
        // The prompt is its own step: the next question comes only after it is answered or declined.
        expect(lastCard(replies)).toBe(followUp);
        current = lastCard(await bot.click(actionWith(followUp, { verb: 'skipComment' })));
      } else current = lastCard(replies);
      expect(heading(current)).toBe(`Vraag ${i + 2} van 19`);
    }
    expect(followUps).toBe(2);
  });

  it('keeps a typed comment after the follow-up and a comment from the overview; the client chooses to share', async () => {
    const { bot, card, world } = await clientAtFirstQuestion();
    const items = bot.itemBank.items('full', 'client');
    await bot.click(actionWith(card, { verb: 'answer', value: lowValueFor(bot, items[0].id) }));
    const saved = await bot.say('Dat we vaker samen kijken naar de regels');
    expect(textOf(saved)).toMatch(/opmerking is bewaard/);
    expect(heading(lastCard(saved))).toBe('Vraag 2 van 19');
    expect(onlySet(bot).answers[items[0].id].comment).toBe('Dat we vaker samen kijken naar de regels');

    let current = lastCard(saved);
    for (let i = 1; i < 19; i += 1) current = lastCard(await answerAndGoOn(bot, current, 4));
    expect(heading(current)).toBe('Je antwoorden');
    const commentCard = lastCard(await bot.click({ ...actionWith(current, { verb: 'commentItem' }), itemId: items[5].id }));
    await bot.click({ ...actionWith(commentCard, { verb: 'comment' }), comment: 'Soms is het lastig' });
    const overview = lastCard(await bot.say('verder'));
    // The overview stays short: a comment shows as a mark beside its answer.
    expect(JSON.stringify(overview)).toContain('met opmerking');
    const share = actionWith(overview, { verb: 'confirm', shareComments: true });
    expect(actionWith(overview, { verb: 'confirm', shareComments: false })).toBeTruthy();
    await bot.click(share);
    const set = onlySet(bot);
    expect(set.status).toBe('completed');
    expect(set.commentsShared).toBe(true);
    expect(set.answers[items[5].id].comment).toBe('Soms is het lastig');
    expect(world).toBeTruthy();
  });

  it('records "without comments" as not shared', async () => {
    const { bot, card } = await clientAtFirstQuestion();
    const items = bot.itemBank.items('full', 'client');
    await bot.click(actionWith(card, { verb: 'answer', value: lowValueFor(bot, items[0].id) }));
    let current = lastCard(await bot.say('Meer tijd per afspraak'));
    for (let i = 1; i < 19; i += 1) current = lastCard(await answerAndGoOn(bot, current, 3));
    await bot.click(actionWith(current, { verb: 'confirm', shareComments: false }));
    expect(onlySet(bot).commentsShared).toBe(false);
  });
});
