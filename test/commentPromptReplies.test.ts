import { actionsOf, actionWith, BotHarness, cardsIn, clientAtFirstQuestion, lastCard, textOf, textsOf } from './helpers/botHarness';
import type { CardContent } from './helpers/directLineClient';

/**
 * Issue 10: replies typed right after "Wat zou helpen?" are the comment on the low answer, or no
 * comment, or asked about; never an answer to a question the client has not seen.
 */

type Next = 'nextQuestion' | 'askedAnswerOrComment' | 'helpCard' | 'paused';

/** reply typed after "Wat zou helpen?" → comment stored (null: none), and what the client sees next. */
const FOLLOW_UP_REPLIES: [reply: string, comment: string | null, next: Next][] = [
  ['ik voel me niet gehoord', 'ik voel me niet gehoord', 'nextQuestion'],
  ['meer tijd nemen', 'meer tijd nemen', 'nextQuestion'],
  ['niet zo streng zijn', 'niet zo streng zijn', 'nextQuestion'],
  ['dat ze beter luistert', 'dat ze beter luistert', 'nextQuestion'],
  ['vaker bellen', 'vaker bellen', 'nextQuestion'],
  ['minder regels', 'minder regels', 'nextQuestion'],
  ['als hij op tijd is', 'als hij op tijd is', 'nextQuestion'],
  ['gewoon eerlijk zijn', 'gewoon eerlijk zijn', 'nextQuestion'],
  ['weet ik niet', 'weet ik niet', 'nextQuestion'],
  ['ik weet het niet', 'ik weet het niet', 'nextQuestion'],
  ['Dat we samen naar de regels kijken.', 'Dat we samen naar de regels kijken.', 'nextQuestion'],
  ['ik heb hulp nodig met mijn papieren', 'ik heb hulp nodig met mijn papieren', 'nextQuestion'],
  ['ok', null, 'nextQuestion'],
  ['nee', null, 'nextQuestion'],
  ['Nee hoor', null, 'nextQuestion'],
  ['verder', null, 'nextQuestion'],
  ['volgende', null, 'nextQuestion'],
  ['niks', null, 'nextQuestion'],
  ['no', null, 'nextQuestion'],
  ['next', null, 'nextQuestion'],
  ['2', null, 'askedAnswerOrComment'],
  ['soms', null, 'askedAnswerOrComment'],
  ['😐 Soms', null, 'askedAnswerOrComment'],
  ['ja', null, 'askedAnswerOrComment'],
  ['niet echt', null, 'askedAnswerOrComment'],
  ['👍', null, 'askedAnswerOrComment'],
  ['help', null, 'helpCard'],
  ['stop', null, 'paused'],
];

async function clientAtCommentPrompt(): Promise<{
  bot: BotHarness;
  lowItemId: string;
  nextItemId: string;
  first: CardContent;
  prompt: CardContent;
}> {
  const { bot, card: first } = await clientAtFirstQuestion();
  const items = bot.itemBank.items('full', 'client');
  const lowValue = bot.itemBank.item(items[0].id)?.reverse ? 5 : 1;
  const replies = await bot.click(actionWith(first, { verb: 'answer', value: lowValue }));
  const prompt = lastCard(replies);
  expect(textsOf(prompt)[0]).toBe('Wat zou helpen?');
  // The prompt comes alone: no next question in the same turn.
  expect(cardsIn(replies).some((card) => actionsOf(card).some((a) => a.verb === 'answer'))).toBe(false);
  return { bot, lowItemId: items[0].id, nextItemId: items[1].id, first, prompt };
}

function storedSet(bot: BotHarness) {
  const sets = [...bot.responses.sets.values()];
  expect(sets).toHaveLength(1);
  return sets[0];
}

function heading(card: CardContent): string {
  return textsOf(card)[0];
}

describe('replies typed after "Wat zou helpen?"', () => {
  const outcomes: string[] = [];

  afterAll(() => {
    // The table for the closing note: reply → what was stored → what came next.
    process.stdout.write(`\n${outcomes.join('\n')}\n`);
  });

  it.each(FOLLOW_UP_REPLIES)('%p → comment %p, then %p', async (reply, comment, next) => {
    const { bot, lowItemId, nextItemId } = await clientAtCommentPrompt();
    const replies = await bot.say(reply);
    const set = storedSet(bot);
    // Only the low answer is stored; nothing for the next question or any other.
    expect(Object.keys(set.answers)).toEqual([lowItemId]);
    expect(set.answers[lowItemId].comment ?? null).toBe(comment);
    const last = next === 'paused' ? null : lastCard(replies);
    if (next === 'nextQuestion' && last) {
      expect(heading(last)).toBe('Vraag 2 van 19');
      expect(actionWith(last, { verb: 'answer', value: 3 }).itemId).toBe(nextItemId);
    }
    if (next === 'askedAnswerOrComment' && last) expect(textsOf(last).join(' ')).toContain('Is dit je antwoord of een opmerking?');
    if (next === 'helpCard' && last) expect(textsOf(last).join(' ')).toContain('Zo werkt het');
    if (next === 'paused') {
      // The pause message is a card with one button: 'Verder'.
      const pausedCards = cardsIn(replies);
      expect(pausedCards).toHaveLength(1);
      expect(textsOf(pausedCards[0]).join(' ')).toMatch(/bewaard/);
      expect(actionsOf(pausedCards[0]).map((a) => a.verb)).toEqual(['resume']);
    }
    if (comment) expect(textOf(replies)).toContain('opmerking is bewaard');
    outcomes.push(
      `| ${reply} | ${comment === null ? '–' : `comment "${comment}"`} | ${next} | answers: ${Object.keys(set.answers).length} |`,
    );
  });

  it('after "answer or comment?", a tap on "Een opmerking" stores the reply as the comment and moves on', async () => {
    const { bot, lowItemId } = await clientAtCommentPrompt();
    const asked = lastCard(await bot.say('soms'));
    const after = await bot.click(actionWith(asked, { verb: 'replyMeant', meant: 'comment' }));
    expect(storedSet(bot).answers[lowItemId].comment).toBe('soms');
    expect(heading(lastCard(after))).toBe('Vraag 2 van 19');
    expect(Object.keys(storedSet(bot).answers)).toEqual([lowItemId]);
  });

  it('a tap on "Mijn antwoord" stores nothing and shows the next question to answer with a button', async () => {
    const { bot, lowItemId } = await clientAtCommentPrompt();
    const asked = lastCard(await bot.say('2'));
    const after = await bot.click(actionWith(asked, { verb: 'replyMeant', meant: 'answer' }));
    expect(textOf(after)).toContain('Er is niets bewaard');
    expect(heading(lastCard(after))).toBe('Vraag 2 van 19');
    expect(storedSet(bot).answers[lowItemId].comment).toBeUndefined();
    expect(Object.keys(storedSet(bot).answers)).toEqual([lowItemId]);
  });

  it('the prompt stays open after help, so the next text is still the comment', async () => {
    const { bot, lowItemId } = await clientAtCommentPrompt();
    await bot.say('help');
    const saved = await bot.say('meer uitleg over de regels');
    expect(storedSet(bot).answers[lowItemId].comment).toBe('meer uitleg over de regels');
    expect(heading(lastCard(saved))).toBe('Vraag 2 van 19');
  });

  it('the card buttons: save with text, or "Nee, ga verder"', async () => {
    const clicked = await clientAtCommentPrompt();
    const save = actionWith(clicked.prompt, { verb: 'comment' });
    const after = await clicked.bot.click({ ...save, comment: 'Samen een plan maken' });
    expect(storedSet(clicked.bot).answers[clicked.lowItemId].comment).toBe('Samen een plan maken');
    expect(heading(lastCard(after))).toBe('Vraag 2 van 19');

    const declined = await clientAtCommentPrompt();
    const next = await declined.bot.click(actionWith(declined.prompt, { verb: 'skipComment' }));
    expect(storedSet(declined.bot).answers[declined.lowItemId].comment).toBeUndefined();
    expect(heading(lastCard(next))).toBe('Vraag 2 van 19');
  });

  it('a second click on the low answer while the prompt is open changes nothing and keeps the prompt', async () => {
    const { bot, lowItemId, first } = await clientAtCommentPrompt();
    const lowValue = bot.itemBank.item(lowItemId)?.reverse ? 5 : 1;
    const replay = await bot.click(actionWith(first, { verb: 'answer', value: lowValue }));
    expect(heading(lastCard(replay))).toBe('Wat zou helpen?');
    const other = await bot.click(actionWith(first, { verb: 'answer', value: 4 }));
    expect(textOf(other)).toMatch(/al beantwoord/);
    expect(storedSet(bot).answers[lowItemId].value).toBe(lowValue);
  });
});
