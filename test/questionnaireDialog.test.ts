import { actionsOf, actionWith, answerAndGoOn, BotHarness, BotWorld, cardsIn, lastCard, textOf, textsOf } from './helpers/botHarness';
import type { CardContent } from './helpers/directLineClient';

/** A client who joined a round with the code, at question 1 in simple Dutch. */
async function clientAtFirstQuestion(world = new BotWorld()): Promise<{ bot: BotHarness; card: CardContent; world: BotWorld }> {
  const { code } = await world.roundWithCode();
  const bot = world.person('client-1');
  await bot.join();
  await bot.click({ verb: 'chooseRole', role: 'client' });
  await bot.say(code);
  await bot.click({ verb: 'start' }); // settings: done
  const card = lastCard(await bot.click({ verb: 'start' })); // explanation: start
  return { bot, card, world };
}

/** A signed-in professional at question 1 of their own side of a round. */
async function professionalAtFirstQuestion(world = new BotWorld()): Promise<{ bot: BotHarness; card: CardContent; world: BotWorld }> {
  const { secret, round } = await world.roundWithCode();
  const bot = world.person('pro-1');
  await bot.join();
  await bot.event('professionalSignIn', { secret });
  const intro = lastCard(await bot.click({ verb: 'answerOwnSide', roundId: round.id }));
  expect(textsOf(intro).join(' ')).toMatch(/vanuit jouw kant/);
  const card = lastCard(await bot.click({ verb: 'start' }));
  return { bot, card, world };
}

function answerAction(card: CardContent, value: number | null): Record<string, unknown> {
  return actionWith(card, { verb: 'answer', value });
}

function onlySet(bot: BotHarness) {
  const sets = [...bot.responses.sets.values()];
  expect(sets).toHaveLength(1);
  return sets[0];
}

function heading(card: CardContent): string {
  return textsOf(card)[0];
}

describe('the questionnaire in chat', () => {
  it('greets with the welcome card, asks the role, the code, then language and simple words', async () => {
    const world = new BotWorld();
    const { code } = await world.roundWithCode();
    const bot = world.person('client-1');
    const welcome = lastCard(await bot.join());
    expect(welcome.version).toBe('1.5');
    expect(actionsOf(welcome).map((a) => a.verb)).toEqual(expect.arrayContaining(['chooseRole', 'help']));
    const askCode = await bot.click({ verb: 'chooseRole', role: 'client' });
    expect(textOf(askCode)).toContain('Je koos: Ik krijg begeleiding');
    expect(actionsOf(lastCard(askCode)).map((a) => a.verb)).toContain('joinCode');
    const joined = await bot.click({ verb: 'joinCode', code: code.toLowerCase().replace('-', ' ') });
    expect(textOf(joined)).toContain('Gelukt');
    expect(JSON.stringify(lastCard(joined))).toContain('✓ Makkelijke woorden');
  });

  it('explains before the first question: why, how long, who sees what, no right or wrong', async () => {
    const world = new BotWorld();
    const { code } = await world.roundWithCode();
    const bot = world.person('client-1');
    await bot.join();
    await bot.say(code);
    const intro = textsOf(lastCard(await bot.click({ verb: 'start' }))).join(' ');
    expect(intro).toMatch(/19 korte vragen/);
    expect(intro).toMatch(/minuten/);
    expect(intro).toMatch(/ziet jouw antwoorden als jullie allebei klaar zijn/);
    expect(intro).toMatch(/Jij ziet de antwoorden van je .* niet/);
    expect(intro).toMatch(/geen goede of foute antwoorden/);
  });

  it('shows one question per card with progress, five answers with faces, back, skip and pause', async () => {
    const { card } = await clientAtFirstQuestion();
    expect(heading(card)).toBe('Vraag 1 van 19');
    const answers = actionsOf(card).filter((a) => a.verb === 'answer' && a.value !== null);
    expect(answers.map((a) => a.value)).toEqual([1, 2, 3, 4, 5]);
    expect(JSON.stringify(card)).toMatch(/😀|🙂/);
    expect(actionsOf(card).some((a) => a.verb === 'answer' && a.value === null)).toBe(true);
    expect(actionsOf(card).some((a) => a.verb === 'pause')).toBe(true);
    expect(card.speak).toContain('Vraag 1 van 19');
  });

  it('repeats the chosen answer in text and moves on', async () => {
    const { bot, card } = await clientAtFirstQuestion();
    const replies = await bot.click(answerAction(card, 4));
    expect(textOf(replies)).toMatch(/^Jouw antwoord: .+/);
    expect(heading(lastCard(replies))).toBe('Vraag 2 van 19');
  });

  it('goes back to change the previous answer, then on to the next open question', async () => {
    const { bot, card } = await clientAtFirstQuestion();
    const q2 = lastCard(await bot.click(answerAction(card, 4)));
    const back = lastCard(await bot.click(actionWith(q2, { verb: 'back' })));
    expect(heading(back)).toBe('Vraag 1 van 19');
    expect(JSON.stringify(back)).toContain('✓');
    const changed = await bot.click(answerAction(back, 5));
    expect(heading(lastCard(changed))).toBe('Vraag 2 van 19');
    const stored = onlySet(bot);
    expect(Object.values(stored.answers)[0].value).toBe(5);
  });

  it('skips with "don\'t know", stored as skipped and never as a number', async () => {
    const { bot, card } = await clientAtFirstQuestion();
    const replies = await bot.click(answerAction(card, null));
    expect(textOf(replies)).toContain('Jouw antwoord: Weet ik niet');
    const stored = onlySet(bot);
    expect(Object.values(stored.answers)[0].value).toBeNull();
  });

  describe('stale, replayed and odd clicks never change a stored answer', () => {
    it('a second click on the same card (Teams keeps cards active)', async () => {
      const { bot, card } = await clientAtFirstQuestion();
      await bot.click(answerAction(card, 3));
      const replay = await bot.click(answerAction(card, 3));
      // Since issue 10 a replay says what stays stored, like any other late click.
      expect(textOf(replay)).toMatch(/al beantwoord: 😐 +Soms/);
      expect(heading(lastCard(replay))).toBe('Vraag 2 van 19');
    });

    it('a different answer on an old card', async () => {
      const { bot, card } = await clientAtFirstQuestion();
      await bot.click(answerAction(card, 3));
      const late = await bot.click(answerAction(card, 1));
      expect(textOf(late)).toMatch(/al beantwoord/);
      expect(heading(lastCard(late))).toBe('Vraag 2 van 19');
      const stored = onlySet(bot);
      expect(Object.values(stored.answers)[0].value).toBe(3);
    });

    it('a click on a card of an item not yet shown', async () => {
      const { bot, card } = await clientAtFirstQuestion();
      const items = bot.itemBank.items('full', 'client');
      const ahead = await bot.click({ ...answerAction(card, 2), itemId: items[5].id });
      expect(textOf(ahead)).toMatch(/andere vraag/);
      expect(heading(lastCard(ahead))).toBe('Vraag 1 van 19');
      expect(Object.keys(onlySet(bot).answers)).toHaveLength(0);
    });

    it('a click from another response set (an earlier round)', async () => {
      const { bot, card } = await clientAtFirstQuestion();
      const other = await bot.click({ ...answerAction(card, 2), responseSetId: 'rs-someone-else-1' });
      expect(heading(lastCard(other))).toBe('Vraag 1 van 19');
      expect(Object.keys(onlySet(bot).answers)).toHaveLength(0);
    });

    it.each([[0], [6], [2.5], [-1], ['drie']])('a value off the scale: %p', async (value) => {
      const { bot, card } = await clientAtFirstQuestion();
      const replies = await bot.click({ ...answerAction(card, 3), value });
      expect(textOf(replies)).toMatch(/ken ik niet/);
      expect(heading(lastCard(replies))).toBe('Vraag 1 van 19');
      expect(Object.keys(onlySet(bot).answers)).toHaveLength(0);
    });

    it('a value that is not a card action at all', async () => {
      const { bot } = await clientAtFirstQuestion();
      const replies = await bot.click({ hello: 'world' });
      expect(textOf(replies)).toMatch(/ken ik niet/);
      expect(heading(lastCard(replies))).toBe('Vraag 1 van 19');
    });
  });

  it('pauses and resumes at the first unanswered item after a restart', async () => {
    const { bot, card, world } = await clientAtFirstQuestion();
    const q2 = lastCard(await bot.click(answerAction(card, 4)));
    await bot.click(answerAction(q2, 2));
    // The pause message is a card with one button to go on.
    const paused = lastCard(await bot.click({ verb: 'pause' }));
    expect(textsOf(paused).join(' ')).toMatch(/bewaard/);
    expect(actionsOf(paused)).toEqual([{ verb: 'resume' }]);

    const restarted = world.restart().person('client-1', 'conversation-2');
    const resume = lastCard(await restarted.join());
    expect(textsOf(resume).join(' ')).toContain('2 van de 19');
    const q3 = lastCard(await restarted.click({ verb: 'resume' }));
    expect(heading(q3)).toBe('Vraag 3 van 19');
  });

  it("tapping the paused question's own card goes on there; an older card still changes nothing", async () => {
    const { bot, card } = await clientAtFirstQuestion();
    const q2 = lastCard(await bot.click(answerAction(card, 4)));
    await bot.click({ verb: 'pause' });
    const afterPause = await bot.click(answerAction(q2, 5));
    expect(textOf(afterPause)).not.toMatch(/andere vraag/);
    expect(heading(lastCard(afterPause))).toBe('Vraag 3 van 19');
    expect(Object.values(onlySet(bot).answers).map((a) => a.value)).toEqual([4, 5]);

    await bot.click({ verb: 'pause' });
    const oldCard = await bot.click(answerAction(card, 1));
    expect(textOf(oldCard)).toMatch(/al beantwoord/);
    expect(Object.values(onlySet(bot).answers).map((a) => a.value)).toEqual([4, 5]);
  });

  it('"opnieuw" asks first, then starts again with empty answers', async () => {
    const { bot, card } = await clientAtFirstQuestion();
    await bot.click(answerAction(card, 4));
    const confirm = lastCard(await bot.say('opnieuw'));
    expect(textsOf(confirm).join(' ')).toMatch(/gewist/);
    const again = lastCard(await bot.click(actionWith(confirm, { verb: 'restartConfirmed' })));
    expect(heading(again)).toBe('Vraag 1 van 19');
    expect(Object.keys(onlySet(bot).answers)).toHaveLength(0);
  });

  it('completes: overview with changes, then confirm; a second confirm changes nothing', async () => {
    const { bot } = await clientAtFirstQuestion();
    let card = lastCard(await bot.say('verder'));
    for (let i = 0; i < 19; i += 1) {
      card = lastCard(await answerAndGoOn(bot, card, i === 3 ? null : (i % 5) + 1));
    }
    expect(heading(card)).toBe('Je antwoorden');
    expect(JSON.stringify(card)).toContain('Weet ik niet');
    const items = bot.itemBank.items('full', 'client');
    const edit = lastCard(await bot.click({ ...actionWith(card, { verb: 'edit' }), itemId: items[3].id }));
    expect(heading(edit)).toBe('Vraag 4 van 19');
    const overview = lastCard(await bot.click(answerAction(edit, 5)));
    expect(heading(overview)).toBe('Je antwoorden');
    const thanks = await bot.click(actionWith(overview, { verb: 'confirm' }));
    expect(textsOf(lastCard(thanks)).join(' ')).toMatch(/Dank je wel/);
    const set = onlySet(bot);
    expect(set.status).toBe('completed');
    expect(set.answers[items[3].id].value).toBe(5);
    const again = await bot.click(actionWith(overview, { verb: 'confirm' }));
    expect(textOf(again)).toMatch(/al verstuurd/);
    const late = await bot.click({ verb: 'answer', responseSetId: set.id, itemId: items[0].id, value: 1 });
    expect(textOf(late)).toMatch(/al verstuurd/);
    expect(onlySet(bot).answers[items[0].id].value).toBe(set.answers[items[0].id].value);
  });

  it('asks the professional the mirrored items in standard wording', async () => {
    const { bot, card } = await professionalAtFirstQuestion();
    const professionalItems = bot.itemBank.items('full', 'professional');
    expect(actionWith(card, { verb: 'answer', value: 3 }).itemId).toBe(professionalItems[0].id);
    expect(textsOf(card)).toContain(
      bot.itemBank.questionText(professionalItems[0].id, { register: 'standard', locale: 'nl', domain: null }),
    );
    expect(JSON.stringify(card)).not.toMatch(/😀/);
  });

  it('switches to English and to standard words in the middle, and shows the same question again', async () => {
    const { bot, card } = await clientAtFirstQuestion();
    const items = bot.itemBank.items('full', 'client');
    const english = lastCard(await bot.click({ verb: 'settings', locale: 'en' }));
    expect(heading(english)).toBe('Question 1 of 19');
    expect(textsOf(english)).toContain(bot.itemBank.questionText(items[0].id, { register: 'simple', locale: 'en', domain: null }));
    const standard = lastCard(await bot.click({ verb: 'settings', register: 'standard' }));
    expect(textsOf(standard)).toContain(bot.itemBank.questionText(items[0].id, { register: 'standard', locale: 'en', domain: null }));
    expect(actionWith(standard, { verb: 'answer', value: 1 }).itemId).toBe(actionWith(card, { verb: 'answer', value: 1 }).itemId);
  });

  it('understands typed answers and commands in the middle of the questionnaire', async () => {
    const { bot } = await clientAtFirstQuestion();
    const afterYes = await bot.say('ja hoor');
    // Since issue 10 a typed answer is echoed on a card with a one-tap "Anders".
    const echo = cardsIn(afterYes)[0];
    expect(textsOf(echo).join(' ')).toMatch(/Jouw antwoord/);
    expect(actionWith(echo, { verb: 'edit' })).toBeTruthy();
    expect(JSON.stringify(echo)).toContain('"title":"Anders"');
    expect(heading(lastCard(afterYes))).toBe('Vraag 2 van 19');
    const help = await bot.say('help');
    expect(cardsIn(help).some((c) => textsOf(c).join(' ').includes('Zo werkt het'))).toBe(true);
    const back = lastCard(await bot.say('terug'));
    expect(heading(back)).toBe('Vraag 1 van 19');
    const stored = onlySet(bot);
    expect(Object.values(stored.answers)[0].value).toBe(5);
  });
});
