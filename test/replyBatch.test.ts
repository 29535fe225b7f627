import type { Activity } from 'botbuilder';
import { coalesceReplies } from '../bots/replyBatch';
import { actionWith, clientAtFirstQuestion, lastCard, textsOf } from './helpers/botHarness';

const card = (title: string, extra: Partial<Activity> = {}): Partial<Activity> => ({
  type: 'message',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { title } }],
  speak: `${title} spoken`,
  locale: 'nl-NL',
  inputHint: 'acceptingInput',
  ...extra,
});
const text = (value: string, extra: Partial<Activity> = {}): Partial<Activity> => ({
  type: 'message',
  text: value,
  inputHint: 'acceptingInput',
  ...extra,
});

/** What each reply list becomes: `text+card` is one message with both. */
function shape(activities: Partial<Activity>[]): string[] {
  return activities.map((a) =>
    [a.text, (a.attachments ?? []).map((attachment) => (attachment.content as { title: string }).title).join('|')]
      .filter(Boolean)
      .join('+'),
  );
}

describe('coalesceReplies: an echo and the next card leave as one message', () => {
  const cases: [string, Partial<Activity>[], string[]][] = [
    ['echo and the next question', [text('Jouw antwoord: Soms'), card('q2')], ['Jouw antwoord: Soms+q2']],
    ['two texts before a card: only the last joins', [text('a'), text('b'), card('q')], ['a', 'b+q']],
    ['a card that has its own text stays apart', [text('a'), card('q', { text: 'own' })], ['a', 'own+q']],
    ['a text with suggested actions stays apart', [text('a', { suggestedActions: { actions: [], to: [] } }), card('q')], ['a', 'q']],
    ['a text after the card stays apart', [card('q'), text('a')], ['q', 'a']],
    ['a typing indicator is not a text', [{ type: 'typing' }, card('q')], ['', 'q']],
    ['two pairs', [text('a'), card('q1'), text('b'), card('q2')], ['a+q1', 'b+q2']],
    ['nothing to join', [text('a')], ['a']],
  ];
  it.each(cases)('%s', (_name, replies, expected) => {
    expect(shape(coalesceReplies(replies))).toEqual(expected);
  });

  it('keeps the card’s speak, locale and input hint (read aloud reads the question)', () => {
    const [joined] = coalesceReplies([text('Jouw antwoord: Soms'), card('q2')]);
    expect(joined).toMatchObject({ type: 'message', speak: 'q2 spoken', locale: 'nl-NL', inputHint: 'acceptingInput' });
  });
});

describe('coalesceReplies on replies as the turn sends them (addressed by TurnContext)', () => {
  const address = (conversation: string): Partial<Activity> => ({
    channelId: 'directline',
    serviceUrl: 'https://channel.example.org',
    conversation: { id: conversation } as Activity['conversation'],
    from: { id: 'bot', role: 'bot' } as Activity['from'],
    recipient: { id: 'user-1', role: 'user' } as Activity['recipient'],
    replyToId: 'incoming-1',
  });

  it('joins an addressed echo onto the addressed card after it', () => {
    const joined = coalesceReplies([text('Jouw antwoord: Soms', address('c1')), card('q2', address('c1'))]);
    expect(shape(joined)).toEqual(['Jouw antwoord: Soms+q2']);
    expect(joined[0]).toMatchObject({ conversation: { id: 'c1' }, replyToId: 'incoming-1' });
  });

  it('keeps apart messages that go to different conversations', () => {
    expect(shape(coalesceReplies([text('a', address('c1')), card('q', address('c2'))]))).toEqual(['a', 'q']);
  });
});

describe('an answer turn sends one message: the echo and the next question', () => {
  it('through the bot and botbuilder’s TurnContext, which addresses every reply', async () => {
    const { bot, card: first } = await clientAtFirstQuestion();
    const replies = await bot.click(actionWith(first, { verb: 'answer', value: 3 }));
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toMatch(/^Jouw antwoord: .*Soms/);
    expect(textsOf(lastCard(replies))[0]).toMatch(/Vraag 2 van/);
  });
});
