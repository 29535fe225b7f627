import { ItemPair, PairComparison, comparePair } from '../services/summary/comparison';
import { ResponseSet } from '../services/questionnaire/responseSet';
import { SummaryOptions, buildSummary, formatScore, sharedClientComments } from '../services/summary/professionalSummary';
import { buildClientResults } from '../services/summary/clientResults';
import { DIMENSIONS, Dimension, LOCALES, Locale, Perspective, ScaleValue } from '../services/vocabulary';
import { ANSWERED_AT, completedResponseSet, SYNTHETIC_PAIRS } from './fakes/responseSets';

const PAIRS = SYNTHETIC_PAIRS;

type Answers = Record<string, ScaleValue | null>;

function responseSet(perspective: Perspective, answers: Answers, overrides: Partial<ResponseSet> = {}): ResponseSet {
  return completedResponseSet(perspective, answers, overrides);
}

/** Oriented values per side: 4 everywhere unless overridden (friction raw values are mirrored here). */
function side(
  perspective: Perspective,
  oriented: Partial<Record<string, number | null>> = {},
  overrides: Partial<ResponseSet> = {},
): ResponseSet {
  const prefix = perspective === 'client' ? 'c' : 'p';
  const answers: Answers = {};
  for (const pair of PAIRS) {
    const key = `${pair.dimension}-${pair.clientItemId.slice(-1)}`;
    const value = key in oriented ? oriented[key] : 4;
    answers[`${prefix}-${key}`] = value === null || value === undefined ? null : ((pair.reverse ? 6 - value : value) as ScaleValue);
  }
  return responseSet(perspective, answers, overrides);
}

const LABELS: Record<Locale, Record<Dimension, string>> = {
  nl: { direction: 'Richting en kader', trust: 'Vertrouwen', bond: 'Binding', friction: 'Stroefheid' },
  en: { direction: 'Goals and conditions', trust: 'Trust', bond: 'Bond', friction: 'Friction' },
};

function options(locale: Locale, extra: Partial<SummaryOptions> = {}): SummaryOptions {
  return { locale, itemText: (id) => `Item ${id}`, dimensionLabel: (d) => LABELS[locale][d], clientLabel: 'K-12', ...extra };
}

/** Direction, trust and bond at 3: nothing there goes well or stands out. */
const MIDDLING = { 'direction-1': 3, 'direction-2': 3, 'trust-1': 3, 'trust-2': 3, 'bond-1': 3, 'bond-2': 3 };

const OPEN_QUESTION = /^(Wat|Wanneer|Hoe|What|When|How)\b.*\?$/;

describe('buildSummary', () => {
  it('picks gaps first, then the lowest client items, capped at three and without duplicates', () => {
    const comparison = comparePair({
      pairs: PAIRS,
      // trust-1: gap -3 and also the lowest client item; bond-1: gap +2; friction-2: low only; direction-1: low only.
      client: side('client', { 'trust-1': 1, 'bond-1': 5, 'friction-2': 2, 'direction-1': 2 }),
      professional: side('professional', { 'trust-1': 4, 'bond-1': 3, 'friction-2': 3, 'direction-1': 3 }),
    });
    const summary = buildSummary(comparison, options('en'));
    expect(summary.talkingPoints.map((p) => [p.kind, p.clientItemId])).toEqual([
      ['gap', 'c-trust-1'],
      ['gap', 'c-bond-1'],
      ['lowClient', 'c-direction-1'],
    ]);
    expect(summary.talkingPoints[0].detail).toBe('The client sees this less positively than you do (a difference of 3 points).');
    expect(summary.talkingPoints[1].detail).toBe('The client sees this more positively than you do (a difference of 2 points).');
    expect(summary.talkingPoints[0].title).toBe('Item c-trust-1');
  });

  it('does not ask the same question twice when two points share a dimension and direction', () => {
    const comparison = comparePair({
      pairs: PAIRS,
      client: side('client', { 'trust-1': 1, 'trust-2': 2 }),
      professional: side('professional', { 'trust-1': 4, 'trust-2': 5 }),
    });
    for (const locale of LOCALES) {
      const questions = buildSummary(comparison, options(locale)).talkingPoints.map((p) => p.question);
      expect(questions).toHaveLength(2);
      expect(new Set(questions).size).toBe(2);
      for (const q of questions) expect(q).toMatch(OPEN_QUESTION);
    }
  });

  it('adds dimensions whose client mean dropped by 0.5 or more, largest drop first, but not a smaller drop', () => {
    const previous = comparePair({
      pairs: PAIRS,
      client: side('client', { 'bond-1': 5, 'bond-2': 5, 'trust-1': 5 }),
      professional: side('professional'),
    });
    // Trust: 4.5 -> 4 (a drop of exactly 0.5); bond: 5 -> 4 (a drop of 1); direction unchanged.
    const current = comparePair({ pairs: PAIRS, client: side('client'), professional: side('professional'), previous });
    const summary = buildSummary(current, options('nl'));
    expect(summary.talkingPoints.map((p) => [p.kind, p.dimension])).toEqual([
      ['drop', 'bond'],
      ['drop', 'trust'],
    ]);
    expect(summary.talkingPoints[0].title).toBe('Binding');
    expect(summary.talkingPoints[0].detail).toBe('Het gemiddelde van de cliënt ging van 5,0 naar 4,0.');

    // Three bond items: 5 -> 4.67 is a drop of only 0.33.
    const threeBond: ItemPair[] = [
      ...PAIRS,
      { clientItemId: 'c-bond-3', professionalItemId: 'p-bond-3', dimension: 'bond', reverse: false },
    ];
    const before = comparePair({
      pairs: threeBond,
      client: responseSet('client', { 'c-bond-1': 5, 'c-bond-2': 5, 'c-bond-3': 5 }),
      professional: null,
    });
    const after = comparePair({
      pairs: threeBond,
      client: responseSet('client', { 'c-bond-1': 5, 'c-bond-2': 5, 'c-bond-3': 4 }),
      professional: null,
      previous: before,
    });
    expect(after.changes?.find((c) => c.dimension === 'bond')?.client).toBeCloseTo(-1 / 3, 12);
    expect(buildSummary(after, options('nl')).talkingPoints).toEqual([]);
  });

  it('asks open questions that vary by dimension and by the direction of the gap, in nl and en', () => {
    for (const locale of LOCALES) {
      const seen = new Set<string>();
      for (const dimension of DIMENSIONS) {
        const lower = buildSummary(
          comparePair({
            pairs: PAIRS,
            client: side('client', { [`${dimension}-1`]: 2 }),
            professional: side('professional', { [`${dimension}-1`]: 5 }),
          }),
          options(locale),
        ).talkingPoints[0];
        const higher = buildSummary(
          comparePair({
            pairs: PAIRS,
            client: side('client', { [`${dimension}-1`]: 5 }),
            professional: side('professional', { [`${dimension}-1`]: 2 }),
          }),
          options(locale),
        ).talkingPoints[0];
        const low = buildSummary(
          comparePair({ pairs: PAIRS, client: side('client', { [`${dimension}-1`]: 1 }), professional: null }),
          options(locale),
        ).talkingPoints[0];
        const previous = comparePair({ pairs: PAIRS, client: side('client'), professional: null });
        const drop = buildSummary(
          comparePair({
            pairs: PAIRS,
            client: side('client', { [`${dimension}-1`]: 3, [`${dimension}-2`]: 3 }),
            professional: null,
            previous,
          }),
          options(locale),
        ).talkingPoints[0];

        expect([lower.kind, higher.kind, low.kind, drop.kind]).toEqual(['gap', 'gap', 'lowClient', 'drop']);
        for (const point of [lower, higher, low, drop]) {
          expect(point.dimension).toBe(dimension);
          expect(point.question).toMatch(OPEN_QUESTION);
          seen.add(point.question);
        }
        expect(lower.question).not.toBe(higher.question);
      }
      // Sixteen situations, sixteen different questions.
      expect(seen.size).toBe(16);
    }
  });

  it('shows what goes well: high client scores where both agree', () => {
    const comparison = comparePair({
      pairs: PAIRS,
      client: side('client', {
        'bond-1': 5,
        'bond-2': 5,
        'trust-1': 5,
        'trust-2': 2,
        'direction-1': 3,
        'direction-2': 3,
        'friction-1': 4,
        'friction-2': 3,
      }),
      professional: side('professional', {
        'bond-1': 4,
        'bond-2': 5,
        'trust-1': 4,
        'trust-2': 2,
        'direction-1': 3,
        'direction-2': 3,
        'friction-1': 1,
        'friction-2': 3,
      }),
    });
    const summary = buildSummary(comparison, options('en'));
    // Bond as a whole (client 5, you 4.5); trust-1 as an item (trust mean is only 3.5); friction-1 disagrees by 3.
    expect(summary.goingWell.map((p) => [p.dimension, p.clientItemId, p.text])).toEqual([
      ['bond', null, 'Bond: you both experience respect and support.'],
      ['trust', 'c-trust-1', 'Item c-trust-1'],
    ]);
  });

  it('phrases what goes well in friction as little friction, never the friction itself', () => {
    const comparison = comparePair({
      pairs: PAIRS,
      client: side('client', { 'friction-1': 5, 'friction-2': 5, 'bond-1': 3, 'bond-2': 3 }),
      professional: side('professional', { 'friction-1': 5, 'friction-2': 4, 'bond-1': 3, 'bond-2': 3 }),
    });
    const nl = buildSummary(comparison, options('nl', { dimensionLabel: (d) => (d === 'friction' ? 'Weinig stroefheid' : LABELS.nl[d]) }));
    const friction = nl.goingWell.find((p) => p.dimension === 'friction');
    expect(friction?.text).toBe('Weinig stroefheid: jullie ervaren allebei weinig strijd of tegenzin.');
    for (const point of nl.goingWell) expect(point.text).not.toMatch(/^Stroefheid/);

    // A friction item on its own reads as "not true for either of you".
    const itemOnly = comparePair({
      pairs: PAIRS,
      client: side('client', { ...MIDDLING, 'friction-1': 5, 'friction-2': 1 }),
      professional: side('professional', { ...MIDDLING, 'friction-1': 5, 'friction-2': 3 }),
    });
    const en = buildSummary(itemOnly, options('en'));
    expect(en.goingWell.find((p) => p.clientItemId === 'c-friction-1')?.text).toBe('Not true for either of you: "Item c-friction-1"');
    expect(en.reversedNote).toMatch(/^Friction: .*turned around, so here too higher is better\.$/);
  });

  it('says what is missing, in plain words, in nl and en', () => {
    const clientOnly = comparePair({
      pairs: PAIRS,
      client: side('client', { 'trust-2': null }, { status: 'in-progress', completedAt: null }),
      professional: null,
    });
    expect(buildSummary(clientOnly, options('nl')).missing).toEqual([
      'De cliënt heeft alles ingevuld, maar niet verstuurd.',
      'Je hebt je eigen kant niet ingevuld. Je ziet alleen de antwoorden van de cliënt.',
      'De cliënt heeft 1 vraag overgeslagen. Die telt niet mee.',
    ]);
    const professionalOnly = comparePair({
      pairs: PAIRS,
      client: null,
      professional: side('professional', { 'bond-1': null, 'bond-2': null }),
    });
    expect(buildSummary(professionalOnly, options('en')).missing).toEqual([
      'The client has not filled in the monitor. You only see your own answers.',
      'You skipped 2 questions. They are not counted.',
    ]);
    const complete = comparePair({ pairs: PAIRS, client: side('client'), professional: side('professional') });
    expect(buildSummary(complete, options('en')).missing).toEqual([]);
  });

  it('writes the title, the neutral note and the trend in the chosen language', () => {
    const first = comparePair({ pairs: PAIRS, client: side('client'), professional: side('professional') });
    const nl = buildSummary(first, options('nl'));
    expect(nl.title).toBe('Monitor met cliënt K-12');
    expect(nl.note).toMatch(/onderwerp voor het gesprek/);
    expect(nl.note).toMatch(/geen oordeel/);
    expect(nl.trend).toEqual([]);
    expect(nl.trendNote).toMatch(/eerste ronde/);

    const second = comparePair({
      pairs: PAIRS,
      client: side('client', { 'trust-1': 5, 'trust-2': 5 }),
      professional: side('professional', { 'trust-1': 3 }),
      previous: first,
    });
    const en = buildSummary(second, options('en'));
    expect(en.title).toBe('Monitor with client K-12');
    expect(en.note).toMatch(/not a verdict/);
    expect(en.trendNote).toBeNull();
    expect(en.trend.find((t) => t.dimension === 'trust')?.text).toBe(
      'Trust: The client is more positive than last time. Your own score went down.',
    );
    expect(en.trend.find((t) => t.dimension === 'bond')?.text).toBe(
      'Bond: The client sees it about the same as last time. Your own score is about the same.',
    );
  });

  it('shows comments under their item only when the client chose to share them', () => {
    const answers = { 'trust-1': 1 };
    const comments = { 'c-trust-1': 'Ik durf niet alles te zeggen.', 'c-bond-2': 'Fijn dat je luistert.' };

    const notShared = comparePair({ pairs: PAIRS, client: side('client', answers), professional: side('professional') });
    const hidden = buildSummary(notShared, options('nl', { comments }));
    expect(hidden.talkingPoints[0].comment).toBeNull();
    expect(hidden.otherComments).toEqual([]);
    expect(JSON.stringify(hidden)).not.toContain('durf');

    const shared = comparePair({
      pairs: PAIRS,
      client: side('client', answers, { commentsShared: true }),
      professional: side('professional'),
    });
    const shown = buildSummary(shared, options('nl', { comments }));
    expect(shown.talkingPoints[0]).toMatchObject({ clientItemId: 'c-trust-1', comment: 'Ik durf niet alles te zeggen.' });
    expect(shown.otherComments).toEqual([{ clientItemId: 'c-bond-2', itemText: 'Item c-bond-2', comment: 'Fijn dat je luistert.' }]);
  });

  it('reads shared comments from the client set only when sharing was chosen', () => {
    const set = side('client', {}, { commentsShared: false });
    set.answers['c-bond-1'] = { itemId: 'c-bond-1', value: 4, answeredAt: ANSWERED_AT, comment: ' Goed gesprek ' };
    expect(sharedClientComments(set)).toEqual({});
    expect(sharedClientComments({ ...set, commentsShared: true })).toEqual({ 'c-bond-1': 'Goed gesprek' });
    expect(sharedClientComments(null)).toEqual({});
  });

  it("formats scores with one decimal in the reader's locale, keeping the model exact", () => {
    expect(formatScore(13 / 3, 'nl')).toBe('4,3');
    expect(formatScore(13 / 3, 'en')).toBe('4.3');
    expect(formatScore(4, 'en')).toBe('4.0');
    const comparison: PairComparison = comparePair({
      pairs: [...PAIRS, { clientItemId: 'c-bond-3', professionalItemId: 'p-bond-3', dimension: 'bond', reverse: false }],
      client: responseSet('client', { 'c-bond-1': 4, 'c-bond-2': 4, 'c-bond-3': 5 }),
      professional: null,
    });
    expect(buildSummary(comparison, options('en')).dimensions.find((d) => d.dimension === 'bond')?.client).toBeCloseTo(13 / 3, 12);
  });
});

describe('buildClientResults', () => {
  it("describes the client's own answers in plain words, per dimension", () => {
    const client = side(
      'client',
      { 'trust-1': 1, 'trust-2': 2, 'bond-1': 3, 'bond-2': 3, 'friction-1': null, 'friction-2': null },
      { commentsShared: false },
    );
    client.answers['c-trust-1'].comment = 'Moeilijk';
    const results = buildClientResults(
      { pairs: PAIRS, client },
      { locale: 'nl', itemText: (id) => `Vraag ${id}`, dimensionLabel: (d) => LABELS.nl[d] },
    );
    expect(results.dimensions.map((d) => [d.dimension, d.level, d.text])).toEqual([
      ['direction', 'good', 'Dit gaat goed.'],
      ['trust', 'talk', 'Hier is iets om over te praten.'],
      ['bond', 'fair', 'Dit gaat redelijk.'],
      ['friction', null, 'Hier heb je niets over ingevuld.'],
    ]);
    expect(results.talkAbout).toEqual(['Vraag c-trust-1', 'Vraag c-trust-2']);
    expect(results.skippedNote).toBe('Je hebt 2 vragen overgeslagen. Dat mag. Die tellen niet mee.');
    expect(results.sharingNote).toBe('Je begeleider ziet je opmerkingen niet. Dat heb je zelf gekozen.');
  });
});
