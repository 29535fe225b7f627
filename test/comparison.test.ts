import { ComparisonError, ItemPair, comparePair, orient } from '../services/summary/comparison';
import { ResponseSet } from '../services/questionnaire/responseSet';
import { Perspective, ScaleValue } from '../services/vocabulary';
import { completedResponseSet } from './fakes/responseSets';

// Short form shape: two pairs per dimension; friction items are reverse scored.
const PAIRS: ItemPair[] = [
  { clientItemId: 'c-dir-1', professionalItemId: 'p-dir-1', dimension: 'direction', reverse: false },
  { clientItemId: 'c-dir-2', professionalItemId: 'p-dir-2', dimension: 'direction', reverse: false },
  { clientItemId: 'c-tru-1', professionalItemId: 'p-tru-1', dimension: 'trust', reverse: false },
  { clientItemId: 'c-tru-2', professionalItemId: 'p-tru-2', dimension: 'trust', reverse: false },
  { clientItemId: 'c-bon-1', professionalItemId: 'p-bon-1', dimension: 'bond', reverse: false },
  { clientItemId: 'c-bon-2', professionalItemId: 'p-bon-2', dimension: 'bond', reverse: false },
  { clientItemId: 'c-fri-1', professionalItemId: 'p-fri-1', dimension: 'friction', reverse: true },
  { clientItemId: 'c-fri-2', professionalItemId: 'p-fri-2', dimension: 'friction', reverse: true },
];

type Answers = Record<string, ScaleValue | null>;

function responseSet(perspective: Perspective, answers: Answers, overrides: Partial<ResponseSet> = {}): ResponseSet {
  return completedResponseSet(perspective, answers, overrides);
}

/** Every item answered 4 (friction raw 2, i.e. oriented 4) unless overridden. */
function client(overrides: Answers = {}, set: Partial<ResponseSet> = {}): ResponseSet {
  return responseSet(
    'client',
    { 'c-dir-1': 4, 'c-dir-2': 4, 'c-tru-1': 4, 'c-tru-2': 4, 'c-bon-1': 4, 'c-bon-2': 4, 'c-fri-1': 2, 'c-fri-2': 2, ...overrides },
    set,
  );
}
function professional(overrides: Answers = {}, set: Partial<ResponseSet> = {}): ResponseSet {
  return responseSet(
    'professional',
    { 'p-dir-1': 4, 'p-dir-2': 4, 'p-tru-1': 4, 'p-tru-2': 4, 'p-bon-1': 4, 'p-bon-2': 4, 'p-fri-1': 2, 'p-fri-2': 2, ...overrides },
    set,
  );
}

const dimension = (result: ReturnType<typeof comparePair>, name: string) => {
  const found = result.dimensions.find((d) => d.dimension === name);
  if (!found) throw new Error(`no dimension ${name}`);
  return found;
};
const item = (result: ReturnType<typeof comparePair>, clientItemId: string) => {
  const found = result.items.find((i) => i.clientItemId === clientItemId);
  if (!found) throw new Error(`no item ${clientItemId}`);
  return found;
};

describe('comparePair', () => {
  it('leaves skipped and missing answers out instead of counting them as 0', () => {
    const clientSet = client({ 'c-dir-1': 4, 'c-dir-2': null });
    delete clientSet.answers['c-tru-2'];
    const result = comparePair({ pairs: PAIRS, client: clientSet, professional: professional() });

    expect(dimension(result, 'direction').client).toEqual({ mean: 4, answered: 1 });
    expect(dimension(result, 'trust').client).toEqual({ mean: 4, answered: 1 });
    expect(item(result, 'c-dir-2')).toMatchObject({ client: null, difference: null, agreement: false });
    expect(result.client).toEqual({ status: 'incomplete', answered: 6, skipped: 1, unanswered: 1 });
    // The skipped pair is not comparable, so it does not lower the agreement rate either.
    expect(result.agreement).toEqual({ rate: 1, agreed: 6, comparable: 6 });
  });

  it('orients reverse items so that higher is always better', () => {
    expect(orient(1, true)).toBe(5);
    expect(orient(4, true)).toBe(2);
    expect(orient(4, false)).toBe(4);

    const result = comparePair({
      pairs: PAIRS,
      client: client({ 'c-fri-1': 1, 'c-fri-2': 2 }),
      professional: professional({ 'p-fri-1': 4, 'p-fri-2': 2 }),
    });
    expect(item(result, 'c-fri-1')).toMatchObject({ client: 5, professional: 2, difference: 3 });
    expect(dimension(result, 'friction').client.mean).toBe(4.5);
    expect(dimension(result, 'friction').professional.mean).toBe(3);
  });

  it('agrees at a difference of exactly 1 and counts exactly 2 as a gap', () => {
    const result = comparePair({
      pairs: PAIRS,
      client: client({ 'c-dir-1': 3, 'c-dir-2': 2, 'c-tru-1': 5 }),
      professional: professional({ 'p-dir-1': 4, 'p-dir-2': 4, 'p-tru-1': 4 }),
    });
    expect(item(result, 'c-dir-1')).toMatchObject({ difference: -1, agreement: true });
    expect(item(result, 'c-tru-1')).toMatchObject({ difference: 1, agreement: true });
    expect(item(result, 'c-dir-2')).toMatchObject({ difference: -2, agreement: false });
    expect(result.largestGaps.map((g) => g.clientItemId)).toEqual(['c-dir-2']);
    expect(result.agreement).toEqual({ rate: 7 / 8, agreed: 7, comparable: 8 });
  });

  it('sorts gaps by size, client-lower first at equal size, then by pair order', () => {
    const result = comparePair({
      pairs: PAIRS,
      client: client({ 'c-dir-1': 5, 'c-tru-1': 1, 'c-bon-1': 2, 'c-bon-2': 2, 'c-fri-1': 4 }),
      professional: professional({ 'p-dir-1': 3, 'p-tru-1': 5, 'p-bon-1': 5, 'p-bon-2': 4, 'p-fri-1': 2 }),
    });
    // Differences: dir-1 +2, tru-1 -4, bon-1 -3, bon-2 -2, fri-1 -2 (raw 4 vs 2, oriented 2 vs 4).
    expect(result.largestGaps.map((g) => [g.clientItemId, g.difference])).toEqual([
      ['c-tru-1', -4],
      ['c-bon-1', -3],
      ['c-bon-2', -2],
      ['c-fri-1', -2],
      ['c-dir-1', 2],
    ]);
  });

  it('lists at most three of the lowest client items, lowest first, reverse items oriented', () => {
    const result = comparePair({
      pairs: PAIRS,
      // c-fri-2 raw 5 means a lot of friction: oriented 1, the lowest.
      client: client({ 'c-dir-1': 2, 'c-tru-1': 1, 'c-bon-1': 2, 'c-fri-2': 5, 'c-bon-2': 3 }),
      professional: professional(),
    });
    expect(result.lowestClientItems.map((i) => [i.clientItemId, i.client])).toEqual([
      ['c-tru-1', 1],
      ['c-fri-2', 1],
      ['c-dir-1', 2],
    ]);
  });

  it('has no change without a previous comparison', () => {
    expect(comparePair({ pairs: PAIRS, client: client(), professional: professional() }).changes).toBeNull();
    expect(comparePair({ pairs: PAIRS, client: client(), professional: professional(), previous: null }).changes).toBeNull();
  });

  it('gives the change per dimension since the previous comparison, null where a mean is missing', () => {
    const previous = comparePair({
      pairs: PAIRS,
      client: client({ 'c-tru-1': 5, 'c-tru-2': 5, 'c-bon-1': null, 'c-bon-2': null }),
      professional: professional({ 'p-dir-1': 2, 'p-dir-2': 3 }),
    });
    const current = comparePair({ pairs: PAIRS, client: client({ 'c-tru-1': 3, 'c-tru-2': 4 }), professional: professional(), previous });
    expect(current.changes).toEqual([
      { dimension: 'direction', client: 0, professional: 1.5 },
      { dimension: 'trust', client: -1.5, professional: 0 },
      { dimension: 'bond', client: null, professional: 0 },
      { dimension: 'friction', client: 0, professional: 0 },
    ]);
  });

  it('reports a missing side and compares nothing against it', () => {
    const result = comparePair({ pairs: PAIRS, client: client({ 'c-dir-1': 1 }), professional: null });
    expect(result.professional).toEqual({ status: 'missing', answered: 0, skipped: 0, unanswered: 8 });
    expect(result.client.status).toBe('complete');
    expect(result.incompleteSides).toEqual(['professional']);
    expect(result.agreement).toEqual({ rate: null, agreed: 0, comparable: 0 });
    expect(result.largestGaps).toEqual([]);
    expect(result.items.every((i) => i.difference === null && !i.agreement)).toBe(true);
    expect(result.dimensions.every((d) => d.professional.mean === null)).toBe(true);
    // The client's own view still counts: it predicts outcome best.
    expect(result.lowestClientItems.map((i) => i.clientItemId)).toEqual(['c-dir-1']);
  });

  it('marks an unconfirmed set as incomplete but treats skips in a confirmed set as complete', () => {
    const inProgress = comparePair({
      pairs: PAIRS,
      client: client({}, { status: 'in-progress', completedAt: null }),
      professional: professional({ 'p-bon-1': null }),
    });
    expect(inProgress.client.status).toBe('incomplete');
    expect(inProgress.professional).toEqual({ status: 'complete', answered: 7, skipped: 1, unanswered: 0 });
    expect(inProgress.incompleteSides).toEqual(['client']);
  });

  it('gives a null mean for a dimension where every item was skipped', () => {
    const result = comparePair({ pairs: PAIRS, client: client({ 'c-bon-1': null, 'c-bon-2': null }), professional: professional() });
    expect(dimension(result, 'bond').client).toEqual({ mean: null, answered: 0 });
    expect(dimension(result, 'bond').professional).toEqual({ mean: 4, answered: 2 });
    expect(result.client.status).toBe('complete');
  });

  it('keeps means unrounded', () => {
    const pairs: ItemPair[] = [
      { clientItemId: 'a', professionalItemId: 'pa', dimension: 'bond', reverse: false },
      { clientItemId: 'b', professionalItemId: 'pb', dimension: 'bond', reverse: false },
      { clientItemId: 'c', professionalItemId: 'pc', dimension: 'bond', reverse: false },
    ];
    const result = comparePair({ pairs, client: responseSet('client', { a: 4, b: 4, c: 5 }), professional: null });
    expect(result.dimensions).toHaveLength(1);
    expect(result.dimensions[0].client.mean).toBeCloseTo(13 / 3, 12);
    expect(result.dimensions[0].client.mean).not.toBe(4.3);
  });

  it('refuses sets with the wrong perspective or from different rounds', () => {
    const asClient = responseSet('professional', {});
    expect(() => comparePair({ pairs: PAIRS, client: asClient, professional: null })).toThrow(ComparisonError);
    try {
      comparePair({ pairs: PAIRS, client: client(), professional: professional({}, { roundId: 'round-2' }) });
      throw new Error('expected a ComparisonError');
    } catch (error) {
      expect(error).toBeInstanceOf(ComparisonError);
      expect((error as ComparisonError).code).toBe('round-mismatch');
    }
  });

  it('passes on whether the client chose to share comments', () => {
    expect(comparePair({ pairs: PAIRS, client: client(), professional: null }).clientCommentsShared).toBe(false);
    expect(comparePair({ pairs: PAIRS, client: client({}, { commentsShared: true }), professional: null }).clientCommentsShared).toBe(true);
  });
});
