import {
  actionsOf,
  actionWith,
  answerAndGoOn,
  BotHarness,
  BotWorld,
  cardsIn,
  clientAtFirstQuestion as clientAtTheFirstQuestion,
  lastCard,
  textOf,
  textsOf,
} from './helpers/botHarness';
import type { CardContent } from './helpers/directLineClient';

/**
 * Issue 10: what is pending decides what free text means. For every pending context: typed text,
 * a button and a command, and what was (not) stored.
 */

interface Client {
  bot: BotHarness;
  world: BotWorld;
  card: CardContent;
  itemIds: string[];
}

async function clientAtFirstQuestion(): Promise<Client> {
  const { bot, world, card } = await clientAtTheFirstQuestion();
  return { bot, world, card, itemIds: bot.itemBank.items('full', 'client').map((item) => item.id) };
}

async function clientAtOverview(): Promise<Client> {
  const client = await clientAtFirstQuestion();
  let card = client.card;
  for (let i = 0; i < 19; i += 1) card = lastCard(await answerAndGoOn(client.bot, card, 3));
  expect(heading(card)).toBe('Je antwoorden');
  return { ...client, card };
}

function answers(bot: BotHarness) {
  const sets = [...bot.responses.sets.values()];
  expect(sets).toHaveLength(1);
  return sets[0].answers;
}

function heading(card: CardContent): string {
  return textsOf(card)[0];
}

function allText(replies: { text?: string }[], cards: CardContent[]): string {
  return [textOf(replies), ...cards.map((card) => textsOf(card).join(' '))].join(' ');
}

describe('asking item N', () => {
  it('typed: a clear answer is stored and echoed with one-tap "Anders", which reopens that question', async () => {
    const { bot, itemIds } = await clientAtFirstQuestion();
    const replies = await bot.say('ja hoor');
    const echo = cardsIn(replies)[0];
    expect(textsOf(echo)).toEqual(['Jouw antwoord: 😀  Ja']);
    expect(answers(bot)[itemIds[0]].value).toBe(5);
    expect(heading(lastCard(replies))).toBe('Vraag 2 van 19');
    const reopened = lastCard(await bot.click(actionWith(echo, { verb: 'edit' })));
    expect(heading(reopened)).toBe('Vraag 1 van 19');
    expect(JSON.stringify(reopened)).toContain('✓ 😀  Ja');
    const changed = await bot.click(actionWith(reopened, { verb: 'answer', value: 3 }));
    expect(textOf(changed)).toContain('Jouw antwoord: 😐  Soms');
    expect(answers(bot)[itemIds[0]].value).toBe(3);
    expect(heading(lastCard(changed))).toBe('Vraag 2 van 19');
  });

  it('typed: a remark is asked about and nothing is stored until a tap; "Een opmerking" keeps it for this question', async () => {
    const { bot, itemIds } = await clientAtFirstQuestion();
    const remark = 'ik heb een nieuwe begeleider sinds vorige maand';
    const asked = lastCard(await bot.say(remark));
    expect(textsOf(asked).join(' ')).toContain('Is dit je antwoord of een opmerking?');
    expect(answers(bot)).toEqual({});
    const held = await bot.click(actionWith(asked, { verb: 'replyMeant', meant: 'comment' }));
    expect(textOf(held)).toContain('Je opmerking komt bij deze vraag');
    expect(heading(lastCard(held))).toBe('Vraag 1 van 19');
    expect(answers(bot)).toEqual({});
    const answered = await bot.click(actionWith(lastCard(held), { verb: 'answer', value: 4 }));
    expect(textOf(answered)).toContain('opmerking is bewaard');
    expect(answers(bot)[itemIds[0]]).toMatchObject({ value: 4, comment: remark });
  });

  it('button: "Mijn antwoord" after "answer or comment?" stores nothing and shows the question again', async () => {
    const { bot } = await clientAtFirstQuestion();
    const asked = lastCard(await bot.say('ik heb een nieuwe begeleider sinds vorige maand'));
    const again = await bot.click(actionWith(asked, { verb: 'replyMeant', meant: 'answer' }));
    expect(textOf(again)).toContain('Er is niets bewaard');
    expect(heading(lastCard(again))).toBe('Vraag 1 van 19');
    expect(answers(bot)).toEqual({});
  });

  it('command: help keeps the question open; a pause closes it, and a typed answer afterwards is not stored', async () => {
    const { bot, itemIds } = await clientAtFirstQuestion();
    const help = await bot.say('help');
    expect(allText(help, cardsIn(help))).toContain('Zo werkt het');
    await bot.say('4');
    expect(answers(bot)[itemIds[0]].value).toBe(4);
    const paused = await bot.say('stop');
    expect(allText(paused, cardsIn(paused))).toMatch(/bewaard/);
    const afterPause = await bot.say('5');
    expect(textOf(afterPause)).toContain('Dat begreep ik niet goed');
    expect(Object.keys(answers(bot))).toEqual([itemIds[0]]);
    const resumed = lastCard(await bot.say('verder'));
    expect(heading(resumed)).toBe('Vraag 2 van 19');
  });
});

describe('confirming a reading', () => {
  it('typed: an unclear reply is confirmed first; a clear one typed next is taken instead', async () => {
    const { bot, itemIds } = await clientAtFirstQuestion();
    const confirm = lastCard(await bot.say('niet altijd'));
    expect(textsOf(confirm).join(' ')).toMatch(/Bedoel je/);
    expect(answers(bot)).toEqual({});
    const replies = await bot.say('4');
    expect(answers(bot)[itemIds[0]].value).toBe(4);
    expect(heading(lastCard(replies))).toBe('Vraag 2 van 19');
  });

  it('button: "Nee, iets anders" stores nothing and shows the question again', async () => {
    const { bot } = await clientAtFirstQuestion();
    const confirm = lastCard(await bot.say('niet altijd'));
    const again = lastCard(await bot.click(actionWith(confirm, { verb: 'resume' })));
    expect(heading(again)).toBe('Vraag 1 van 19');
    expect(answers(bot)).toEqual({});
  });

  it('command: "terug" goes to the previous question without storing the reading', async () => {
    const { bot, card, itemIds } = await clientAtFirstQuestion();
    await bot.click(actionWith(card, { verb: 'answer', value: 4 }));
    await bot.say('niet altijd');
    const back = lastCard(await bot.say('terug'));
    expect(heading(back)).toBe('Vraag 1 van 19');
    expect(Object.keys(answers(bot))).toEqual([itemIds[0]]);
  });
});

describe('"answer or comment?" open', () => {
  it('typed: a clear answer typed instead of tapping is read as the answer to the question', async () => {
    const { bot, itemIds } = await clientAtFirstQuestion();
    await bot.say('ik heb een nieuwe begeleider sinds vorige maand');
    const replies = await bot.say('3');
    expect(answers(bot)[itemIds[0]]).toMatchObject({ value: 3 });
    expect(answers(bot)[itemIds[0]].comment).toBeUndefined();
    expect(heading(lastCard(replies))).toBe('Vraag 2 van 19');
  });

  it('button: an old "answer or comment?" card after moving on changes nothing', async () => {
    const { bot, card } = await clientAtFirstQuestion();
    const asked = lastCard(await bot.say('ik heb een nieuwe begeleider sinds vorige maand'));
    await bot.click(actionWith(card, { verb: 'answer', value: 4 }));
    const late = await bot.click(actionWith(asked, { verb: 'replyMeant', meant: 'comment' }));
    expect(textOf(late)).toMatch(/andere vraag/);
    expect(Object.values(answers(bot)).every((answer) => answer.comment === undefined)).toBe(true);
  });
});

describe('confirming "start again"', () => {
  it('typed: "ja" is not a tap; nothing is erased and the question is asked again', async () => {
    const { bot, card, itemIds } = await clientAtFirstQuestion();
    await bot.click(actionWith(card, { verb: 'answer', value: 4 }));
    await bot.say('opnieuw');
    const replies = await bot.say('ja');
    expect(textOf(replies)).toContain('Dat begreep ik niet goed');
    expect(textsOf(lastCard(replies)).join(' ')).toMatch(/gewist/);
    expect(answers(bot)[itemIds[0]].value).toBe(4);
  });

  it('button: "Nee, ga verder" keeps the answers; command: help is still help', async () => {
    const { bot, card, itemIds } = await clientAtFirstQuestion();
    await bot.click(actionWith(card, { verb: 'answer', value: 4 }));
    const confirm = lastCard(await bot.say('opnieuw'));
    const help = await bot.say('help');
    expect(allText(help, cardsIn(help))).toContain('Zo werkt het');
    const back = lastCard(await bot.click(actionWith(confirm, { verb: 'resume' })));
    expect(heading(back)).toBe('Vraag 2 van 19');
    expect(answers(bot)[itemIds[0]].value).toBe(4);
  });
});

describe('the overview', () => {
  it('typed: an answer word changes nothing; "terug" opens the last question', async () => {
    const { bot } = await clientAtOverview();
    const before = JSON.stringify(answers(bot));
    const replies = await bot.say('ja');
    expect(textOf(replies)).toContain('Dat begreep ik niet goed');
    expect(heading(lastCard(replies))).toBe('Je antwoorden');
    expect(JSON.stringify(answers(bot))).toBe(before);
    expect(heading(lastCard(await bot.say('terug')))).toBe('Vraag 19 van 19');
  });

  it('button: "Opmerking schrijven" for a picked question opens a comment; typed text is that comment; "nee" there adds none', async () => {
    const { bot, card, itemIds } = await clientAtOverview();
    // The picker's choice arrives merged into the button's data, as Web Chat sends it.
    const prompt = lastCard(await bot.click({ ...actionWith(card, { verb: 'commentItem' }), itemId: itemIds[2] }));
    expect(actionsOf(prompt).some((a) => a.verb === 'comment')).toBe(true);
    const saved = await bot.say('Dit gaat de laatste tijd beter');
    expect(answers(bot)[itemIds[2]].comment).toBe('Dit gaat de laatste tijd beter');
    const overview = lastCard(saved);
    expect(heading(overview)).toBe('Je antwoorden');
    await bot.click({ ...actionWith(overview, { verb: 'commentItem' }), itemId: itemIds[4] });
    expect(heading(lastCard(await bot.say('nee')))).toBe('Je antwoorden');
    expect(answers(bot)[itemIds[4]].comment).toBeUndefined();
  });

  it('command: "stop" pauses; an overview button afterwards reopens the questions and changes nothing', async () => {
    const { bot, card } = await clientAtOverview();
    await bot.say('stop');
    const late = await bot.click(actionWith(card, { verb: 'confirm' }));
    expect(textOf(late)).toMatch(/andere vraag/);
    expect(heading(lastCard(late))).toBe('Je antwoorden');
    expect([...bot.responses.sets.values()][0].status).toBe('in-progress');
  });
});

describe('conversations saved before the engine', () => {
  it('keeps the dialog stack botbuilder-dialogs kept: one entry for the engine, its memory as the entry state', async () => {
    const { bot, world, itemIds } = await clientAtFirstQuestion();
    const key = `test/conversations/${bot.conversationId}/`;
    const stored = (await world.storage.read([key]))[key] as { dialogState: unknown };
    expect(stored.dialogState).toEqual({
      dialogStack: [
        { id: 'mainDialog', state: expect.objectContaining({ pending: expect.objectContaining({ kind: 'asking', itemId: itemIds[0] }) }) },
      ],
    });
  });

  it('a stack with the old questionnaire dialog on it goes on without an error', async () => {
    const { bot, world, itemIds } = await clientAtFirstQuestion();
    const key = `test/conversations/${bot.conversationId}/`;
    const stored = (await world.storage.read([key]))[key] as Record<string, unknown>;
    const legacy = {
      dialogStack: [
        { id: 'mainDialog', state: { phase: 'intro' } },
        { id: 'questionnaireDialog', state: { responseSetId: 'x', phase: 'asking', shownItemId: itemIds[0] } },
      ],
    };
    await world.storage.write({ [key]: { ...stored, dialogState: legacy, eTag: '*' } });
    const replies = await bot.say('4');
    expect(textOf(replies)).not.toMatch(/ging iets mis/);
    expect(answers(bot)).toEqual({});
    const resumed = lastCard(await bot.say('verder'));
    expect(heading(resumed)).toBe('Vraag 1 van 19');
  });
});

describe('outside the questions', () => {
  it('choosing a role: a greeting gets the welcome again, other text a kind "not understood", a code joins', async () => {
    const world = new BotWorld();
    const { code } = await world.roundWithCode();
    const bot = world.person('client-1');
    await bot.join();
    const hello = await bot.say('hallo');
    expect(textOf(hello)).not.toContain('begreep');
    expect(actionsOf(lastCard(hello)).some((a) => a.verb === 'chooseRole')).toBe(true);
    const odd = await bot.say('blabla');
    expect(textOf(odd)).toContain('Dat begreep ik niet goed');
    const joined = await bot.say(code);
    expect(textOf(joined)).toContain('Gelukt');
  });

  it('welcome back: "Opnieuw beginnen" asks before erasing; "Verder gaan" goes on where the client was', async () => {
    const { bot, card, world, itemIds } = await clientAtFirstQuestion();
    await bot.click(actionWith(card, { verb: 'answer', value: 4 }));
    await bot.say('stop');
    const again = world.restart().person('client-1', 'conversation-2');
    const welcomeBack = lastCard(await again.join());
    expect(textsOf(welcomeBack).join(' ')).toContain('1 van de 19');
    const confirm = lastCard(await again.click(actionWith(welcomeBack, { verb: 'restart' })));
    expect(textsOf(confirm).join(' ')).toMatch(/gewist/);
    expect(answers(bot)[itemIds[0]].value).toBe(4);
    const resumed = lastCard(await again.click(actionWith(confirm, { verb: 'resume' })));
    expect(heading(resumed)).toBe('Vraag 2 van 19');
  });

  it('entering a code: a wrong code is refused kindly and the code card comes back', async () => {
    const world = new BotWorld();
    await world.roundWithCode();
    const bot = world.person('client-1');
    await bot.join();
    await bot.click({ verb: 'chooseRole', role: 'client' });
    const wrong = await bot.say('ABCD-EFGH');
    expect(textOf(wrong)).toContain('Die code ken ik niet');
    expect(actionsOf(lastCard(wrong)).some((a) => a.verb === 'joinCode')).toBe(true);
  });

  it('the settings card, then the explanation: "Klaar" leads to the explanation, "verder" to question 1', async () => {
    const world = new BotWorld();
    const { code } = await world.roundWithCode();
    const bot = world.person('client-1');
    await bot.join();
    await bot.say(code);
    const standard = await bot.click({ verb: 'settings', register: 'standard' });
    expect(textOf(standard)).toMatch(/bewaard|opgeslagen|Nederlands/);
    const intro = lastCard(await bot.click({ verb: 'start' }));
    expect(textsOf(intro).join(' ')).toMatch(/geen goede of foute/);
    const first = lastCard(await bot.say('verder'));
    expect(heading(first)).toBe('Vraag 1 van 19');
  });

  it("the professional's menu: typed commands open the round form and the rounds", async () => {
    const world = new BotWorld();
    const { secret } = await world.roundWithCode();
    const bot = world.person('pro-1');
    await bot.join();
    await bot.event('professionalSignIn', { secret });
    const form = lastCard(await bot.say('nieuwe monitor'));
    expect(actionsOf(form).some((a) => a.verb === 'createRound')).toBe(true);
    const rounds = lastCard(await bot.say('mijn rondes'));
    expect(JSON.stringify(rounds)).toContain('K-12');
  });
});
