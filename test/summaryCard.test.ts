import { AdaptiveCard, CardElement, ColumnSet } from '../cards/adaptiveCard';
import { clientResultsText, createClientResultsCard } from '../cards/clientResultsCard';
import { createSummaryCard, scoreBar, summaryText } from '../cards/summaryCard';
import { comparePair } from '../services/summary/comparison';
import { ResponseSet } from '../services/questionnaire/responseSet';
import { buildSummary, sharedClientComments } from '../services/summary/professionalSummary';
import { buildClientResults } from '../services/summary/clientResults';
import { Dimension, Locale, Perspective, ScaleValue } from '../services/vocabulary';
import { completedResponseSet, SYNTHETIC_PAIRS } from './fakes/responseSets';
import { cardTexts } from './helpers/cardTexts';

const PAIRS = SYNTHETIC_PAIRS;
function responseSet(
  perspective: Perspective,
  answers: Record<string, ScaleValue | null>,
  overrides: Partial<ResponseSet> = {},
): ResponseSet {
  return completedResponseSet(perspective, answers, { register: 'simple', domain: 'debtHelp', commentsShared: true, ...overrides });
}

// Client means: direction 3.5, trust 2, bond 4.5, friction 4 (raw 2,2). Professional: 4, 4.5, 3, 2.5.
const CLIENT = responseSet('client', {
  'c-direction-1': 3,
  'c-direction-2': 4,
  'c-trust-1': 1,
  'c-trust-2': 3,
  'c-bond-1': 5,
  'c-bond-2': 4,
  'c-friction-1': 2,
  'c-friction-2': 2,
});
CLIENT.answers['c-trust-1'].comment = 'Ik weet niet wat er met mijn verhaal gebeurt.';
const PROFESSIONAL = responseSet('professional', {
  'p-direction-1': 4,
  'p-direction-2': 4,
  'p-trust-1': 4,
  'p-trust-2': 5,
  'p-bond-1': 3,
  'p-bond-2': 3,
  'p-friction-1': 4,
  'p-friction-2': 3,
});
PROFESSIONAL.answers['p-trust-1'].comment = 'PROFESSIONAL NOTE';

const LABELS: Record<Locale, Record<Dimension, string>> = {
  nl: { direction: 'Richting en kader', trust: 'Vertrouwen', bond: 'Binding', friction: 'Stroefheid' },
  en: { direction: 'Goals and conditions', trust: 'Trust', bond: 'Bond', friction: 'Friction' },
};
const itemText = (id: string): string => `Vraag ${id}`;

function summaryFor(locale: Locale) {
  const comparison = comparePair({ pairs: PAIRS, client: CLIENT, professional: PROFESSIONAL });
  return buildSummary(comparison, {
    locale,
    itemText,
    dimensionLabel: (d) => LABELS[locale][d],
    clientLabel: 'K-12',
    comments: sharedClientComments(CLIENT),
  });
}

const texts = cardTexts;

function bars(elements: CardElement[]): ColumnSet[] {
  return elements.flatMap((element) => {
    if (element.type === 'Container') return bars(element.items);
    if (element.type === 'ColumnSet') {
      const isBar = element.columns.every((c) => c.items.length === 0);
      return isBar ? [element] : element.columns.flatMap((c) => bars(c.items));
    }
    return [];
  });
}

describe('createSummaryCard', () => {
  it("is an Adaptive Card of version 1.5 in the reader's language", () => {
    const card: AdaptiveCard = createSummaryCard(summaryFor('nl'), 'nl');
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.5');
    expect(card.lang).toBe('nl');
    expect(texts(card.body)[0]).toBe('Monitor met cliënt K-12');
  });

  it("shows every dimension with both sides' numbers as text", () => {
    const nl = texts(createSummaryCard(summaryFor('nl'), 'nl').body);
    for (const label of Object.values(LABELS.nl)) expect(nl).toContain(label);
    expect(nl).toEqual(
      expect.arrayContaining(['Cliënt: 3,5', 'Jij: 4,0', 'Cliënt: 2,0', 'Jij: 4,5', 'Cliënt: 4,5', 'Jij: 3,0', 'Cliënt: 4,0', 'Jij: 2,5']),
    );

    const en = texts(createSummaryCard(summaryFor('en'), 'en').body);
    for (const label of Object.values(LABELS.en)) expect(en).toContain(label);
    expect(en).toEqual(expect.arrayContaining(['Client: 3.5', 'You: 4.0', 'Client: 2.0', 'You: 4.5']));
  });

  it('draws one bar per side per dimension, as long as the score', () => {
    const card = createSummaryCard(summaryFor('en'), 'en');
    const found = bars(card.body);
    expect(found).toHaveLength(8);
    // Direction: client 3.5 -> 35 of 50 in the client's colour.
    expect(found[0].columns.map((c) => [c.width, c.style])).toEqual([
      [35, 'accent'],
      [15, 'emphasis'],
    ]);
    expect(found[1].columns[0]).toMatchObject({ width: 40, style: 'good' });
    expect(scoreBar(5, 'good').columns).toHaveLength(1);
  });

  it('says "no answer" instead of drawing a bar for a side without answers', () => {
    const comparison = comparePair({ pairs: PAIRS, client: CLIENT, professional: null });
    const summary = buildSummary(comparison, { locale: 'en', itemText, dimensionLabel: (d) => LABELS.en[d] });
    const card = createSummaryCard(summary, 'en');
    expect(texts(card.body).filter((t) => t === 'You: no answer')).toHaveLength(4);
    expect(bars(card.body)).toHaveLength(4);
    expect(texts(card.body)).toContain('You have not filled in your own side. You only see the client’s answers.');
  });

  it("lists the talking points with their open questions and the client's shared comment", () => {
    const summary = summaryFor('nl');
    expect(summary.talkingPoints.length).toBeGreaterThanOrEqual(2);
    const cardTexts = texts(createSummaryCard(summary, 'nl').body);
    for (const point of summary.talkingPoints) {
      expect(cardTexts).toContain(point.title);
      expect(cardTexts).toContain(`Je kunt vragen: "${point.question}"`);
    }
    expect(cardTexts).toContain('Opmerking van de cliënt: "Ik weet niet wat er met mijn verhaal gebeurt."');
    expect(JSON.stringify(createSummaryCard(summary, 'nl'))).not.toContain('PROFESSIONAL NOTE');
  });
});

describe('summaryText', () => {
  it('contains the title, every dimension with both numbers and the talking points', () => {
    const summary = summaryFor('en');
    const text = summaryText(summary, 'en');
    expect(text).toContain('Monitor with client K-12');
    expect(text).toContain('- Goals and conditions: client 3.5, you 4.0');
    expect(text).toContain('- Trust: client 2.0, you 4.5');
    for (const point of summary.talkingPoints) {
      expect(text).toContain(point.title);
      expect(text).toContain(point.question);
      expect(text).toContain(point.detail);
    }
    expect(text).toContain(summary.note);
    // Short lines for small screens and plain channels.
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(140);
  });

  it("is also the card's fallback text", () => {
    const summary = summaryFor('nl');
    expect(createSummaryCard(summary, 'nl').fallbackText).toBe(summaryText(summary, 'nl'));
  });
});

describe('client results card', () => {
  const results = buildClientResults({ pairs: PAIRS, client: CLIENT }, { locale: 'nl', itemText, dimensionLabel: (d) => LABELS.nl[d] });

  it("never contains the professional's answers", () => {
    const card = createClientResultsCard(results, 'nl');
    const json = JSON.stringify(card) + clientResultsText(results, 'nl');
    expect(json).not.toMatch(/p-(direction|trust|bond|friction)/);
    expect(json).not.toContain('PROFESSIONAL NOTE');
    expect(json).not.toMatch(/\bJij\b|begeleider vindt/);
    // No scores either: the client gets words and bars.
    expect(texts(card.body).join(' ')).not.toMatch(/\d[,.]\d/);
    // The model itself has no place for the professional's side.
    expect(Object.keys(results.dimensions[0]).sort()).toEqual(['dimension', 'label', 'level', 'mean', 'text']);
  });

  it("is a 1.5 card in plain words with the client's own items to talk about", () => {
    const card = createClientResultsCard(results, 'nl');
    expect(card.version).toBe('1.5');
    const cardTexts = texts(card.body);
    expect(cardTexts[0]).toBe('Jouw antwoorden');
    expect(cardTexts).toContain('Hier is iets om over te praten.');
    expect(cardTexts).toContain('- Vraag c-trust-1');
    expect(cardTexts).toContain('Je begeleider ziet ook je opmerkingen. Dat heb je zelf gekozen.');
    expect(bars(card.body)).toHaveLength(4);
  });

  it('keeps every Dutch sentence short (B1: at most 15 words)', () => {
    const sentences = clientResultsText(results, 'nl')
      .split('\n')
      .map((line) => line.replace(/^[-*\s]+|\*\*/g, ''))
      .flatMap((line) => line.split(/(?<=[.!?:])\s+/))
      .filter((s) => s.trim().length > 0);
    expect(sentences.length).toBeGreaterThan(5);
    for (const sentence of sentences) expect(sentence.split(/\s+/).length).toBeLessThanOrEqual(15);
  });
});
