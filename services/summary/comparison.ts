/**
 * @packageDocumentation
 * Compares a client's and a professional's answers to the mirrored items of the alliance monitor.
 *
 * @remarks Pure domain: no bot, storage or card code. The rules are written out in
 * `docs/comparison.md`; the short version:
 * - values are oriented so that higher is always better (reverse items become `6 - value`);
 * - skipped items (`value: null`) and missing answers are left out, never counted as 0;
 * - means stay unrounded here; rounding to 1 decimal happens only when presenting;
 * - a difference is client − professional on oriented values: a topic to talk about, not a verdict.
 */
import { DIMENSIONS, Dimension, Perspective, isScaleValue } from '../vocabulary';
import { ResponseSet } from '../questionnaire/responseSet';

/** Lowest and highest answer on the 5-point scale; reverse items are mirrored around them. */
export const SCALE_MIN = 1;
export const SCALE_MAX = 5;
/** Both sides agree on an item when their oriented answers differ by at most this much. */
export const AGREEMENT_MAX_DIFFERENCE = 1;
/** A difference of at least this much counts as a gap worth talking about. */
export const GAP_MIN_DIFFERENCE = 2;
/** A client item with an oriented value at or below this counts as low. */
export const LOW_CLIENT_MAX_VALUE = 2;
/** At most this many low client items are listed. */
export const LOW_CLIENT_LIMIT = 3;

/** A client item and its professional twin on the same theme. */
export interface ItemPair {
  clientItemId: string;
  professionalItemId: string;
  dimension: Dimension;
  /** True for items where agreeing is negative (friction), so the value is mirrored before use. */
  reverse: boolean;
}

export interface ComparisonInput {
  pairs: ItemPair[];
  client: ResponseSet | null;
  professional: ResponseSet | null;
  /** The comparison of the previous round of the same pair, to show change over time. */
  previous?: PairComparison | null;
}

/** `missing`: no answers at all; `incomplete`: not confirmed, or items without any answer; skips are a choice and do not make a side incomplete. */
export type SideStatus = 'missing' | 'incomplete' | 'complete';

export interface SideCompleteness {
  status: SideStatus;
  /** Items of the pairs answered with a value on the scale. */
  answered: number;
  /** Items explicitly skipped (answer present, value `null`). */
  skipped: number;
  /** Items with no answer at all. */
  unanswered: number;
}

/** One side's mean over the answered items of a dimension. */
export interface SideScore {
  /** Unrounded oriented mean; `null` when this side answered no item of the dimension. */
  mean: number | null;
  answered: number;
}

export interface DimensionComparison {
  dimension: Dimension;
  /** Number of item pairs in this dimension. */
  itemCount: number;
  client: SideScore;
  professional: SideScore;
}

export interface ItemComparison {
  clientItemId: string;
  professionalItemId: string;
  dimension: Dimension;
  reverse: boolean;
  /** Oriented client value (higher is better), `null` when skipped or not answered. */
  client: number | null;
  /** Oriented professional value, `null` when skipped or not answered. */
  professional: number | null;
  /** Client − professional (oriented) when both answered: below 0 means the client sees it less positively. */
  difference: number | null;
  /** Both answered and |difference| <= 1. */
  agreement: boolean;
  /** Whether each side answered, skipped on purpose, or left the item without any answer. */
  clientState: AnswerKind;
  professionalState: AnswerKind;
}

export type AnswerKind = 'answered' | 'skipped' | 'unanswered';

/** Change of the means since the previous comparison; `null` when either mean is missing. */
export interface DimensionChange {
  dimension: Dimension;
  client: number | null;
  professional: number | null;
}

export interface AgreementRate {
  /** Share of the pairs answered by both sides that agree (0..1); `null` when no pair was answered by both. */
  rate: number | null;
  agreed: number;
  /** Pairs answered by both sides. */
  comparable: number;
}

/** The full comparison of one round: the model the summary and any report build on. */
export interface PairComparison {
  items: ItemComparison[];
  /** One entry per dimension that has pairs, in the fixed order of `DIMENSIONS`. */
  dimensions: DimensionComparison[];
  agreement: AgreementRate;
  /** Items with |difference| >= 2, largest first. */
  largestGaps: ItemComparison[];
  /** The client's items with oriented value <= 2, lowest first, at most 3. */
  lowestClientItems: ItemComparison[];
  /** `null` when there is no previous comparison. */
  changes: DimensionChange[] | null;
  client: SideCompleteness;
  professional: SideCompleteness;
  /** Sides that are missing or incomplete, client first. */
  incompleteSides: Perspective[];
  /** Whether the client chose to share their comments with the professional. */
  clientCommentsShared: boolean;
}

export type ComparisonErrorCode = 'perspective-mismatch' | 'round-mismatch';

/** Thrown when the input would compare answers that do not belong together. */
export class ComparisonError extends Error {
  constructor(
    readonly code: ComparisonErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ComparisonError';
  }
}

/**
 * Mirrors a value for reverse items so that higher is always better.
 *
 * @example orient(4, true) === 2
 */
export function orient(value: number, reverse: boolean): number {
  return reverse ? SCALE_MIN + SCALE_MAX - value : value;
}

type AnswerState = { kind: 'answered'; value: number } | { kind: 'skipped' } | { kind: 'unanswered' };

function readAnswer(set: ResponseSet | null, itemId: string, reverse: boolean): AnswerState {
  const answer = set?.answers[itemId];
  if (!answer) return { kind: 'unanswered' };
  // A stored value off the scale is treated like a skip: better left out than counted wrong.
  if (answer.value === null || !isScaleValue(answer.value)) return { kind: 'skipped' };
  return { kind: 'answered', value: orient(answer.value, reverse) };
}

function valueOf(state: AnswerState): number | null {
  return state.kind === 'answered' ? state.value : null;
}

function completeness(set: ResponseSet | null, states: AnswerState[]): SideCompleteness {
  const count = (kind: AnswerState['kind']): number => states.filter((s) => s.kind === kind).length;
  const answered = count('answered');
  const skipped = count('skipped');
  const unanswered = count('unanswered');
  let status: SideStatus;
  if (set === null || answered + skipped === 0) status = 'missing';
  else if (set.status !== 'completed' || unanswered > 0) status = 'incomplete';
  else status = 'complete';
  return { status, answered, skipped, unanswered };
}

function sideScore(values: (number | null)[]): SideScore {
  const answered = values.filter((v): v is number => v !== null);
  if (answered.length === 0) return { mean: null, answered: 0 };
  return { mean: answered.reduce((sum, v) => sum + v, 0) / answered.length, answered: answered.length };
}

function difference(current: number | null, previous: number | null | undefined): number | null {
  return current === null || previous === null || previous === undefined ? null : current - previous;
}

function checkInput(input: ComparisonInput): void {
  const { client, professional } = input;
  if (client && client.perspective !== 'client') {
    throw new ComparisonError('perspective-mismatch', `Response set ${client.id} is not a client's.`);
  }
  if (professional && professional.perspective !== 'professional') {
    throw new ComparisonError('perspective-mismatch', `Response set ${professional.id} is not a professional's.`);
  }
  // Two sets from different rounds would mix up two conversations (or two clients).
  if (client?.roundId && professional?.roundId && client.roundId !== professional.roundId) {
    throw new ComparisonError('round-mismatch', `Response sets ${client.id} and ${professional.id} belong to different rounds.`);
  }
}

/**
 * Compares the client's and the professional's answers for one round.
 *
 * @param input - the item pairs of the questionnaire form, both response sets (either may be
 * `null` when not yet filled in) and optionally the previous comparison of the same pair.
 * @returns the comparison model; see {@link PairComparison} and `docs/comparison.md` for the rules.
 * @throws {@link ComparisonError} when a set has the wrong perspective or the sets belong to different rounds.
 *
 * @remarks Nothing is rounded here: rounding happens at presentation, so sums and changes stay exact.
 * Gaps are sorted by size; at equal size the one where the client is lower comes first (the
 * client's own rating predicts outcome best), then the order of the pairs.
 */
export function comparePair(input: ComparisonInput): PairComparison {
  checkInput(input);
  const { pairs, client, professional } = input;

  const clientStates: AnswerState[] = [];
  const professionalStates: AnswerState[] = [];
  const items: ItemComparison[] = pairs.map((pair) => {
    const clientState = readAnswer(client, pair.clientItemId, pair.reverse);
    const professionalState = readAnswer(professional, pair.professionalItemId, pair.reverse);
    clientStates.push(clientState);
    professionalStates.push(professionalState);
    const clientValue = valueOf(clientState);
    const professionalValue = valueOf(professionalState);
    const diff = clientValue !== null && professionalValue !== null ? clientValue - professionalValue : null;
    return {
      clientItemId: pair.clientItemId,
      professionalItemId: pair.professionalItemId,
      dimension: pair.dimension,
      reverse: pair.reverse,
      client: clientValue,
      professional: professionalValue,
      difference: diff,
      agreement: diff !== null && Math.abs(diff) <= AGREEMENT_MAX_DIFFERENCE,
      clientState: clientState.kind,
      professionalState: professionalState.kind,
    };
  });

  const dimensions: DimensionComparison[] = DIMENSIONS.flatMap((dimension) => {
    const inDimension = items.filter((item) => item.dimension === dimension);
    if (inDimension.length === 0) return [];
    return [
      {
        dimension,
        itemCount: inDimension.length,
        client: sideScore(inDimension.map((item) => item.client)),
        professional: sideScore(inDimension.map((item) => item.professional)),
      },
    ];
  });

  const comparable = items.filter((item) => item.difference !== null);
  const agreed = comparable.filter((item) => item.agreement).length;

  const order = new Map(items.map((item, index) => [item, index]));
  const byPairOrder = (a: ItemComparison, b: ItemComparison): number => (order.get(a) ?? 0) - (order.get(b) ?? 0);

  const largestGaps = comparable
    .filter((item) => Math.abs(item.difference ?? 0) >= GAP_MIN_DIFFERENCE)
    .sort((a, b) => Math.abs(b.difference ?? 0) - Math.abs(a.difference ?? 0) || (a.client ?? 0) - (b.client ?? 0) || byPairOrder(a, b));

  const lowestClientItems = items
    .filter((item) => item.client !== null && item.client <= LOW_CLIENT_MAX_VALUE)
    .sort((a, b) => (a.client ?? 0) - (b.client ?? 0) || byPairOrder(a, b))
    .slice(0, LOW_CLIENT_LIMIT);

  const previous = input.previous ?? null;
  const changes: DimensionChange[] | null =
    previous === null
      ? null
      : dimensions.map((current) => {
          const before = previous.dimensions.find((d) => d.dimension === current.dimension);
          return {
            dimension: current.dimension,
            client: difference(current.client.mean, before?.client.mean),
            professional: difference(current.professional.mean, before?.professional.mean),
          };
        });

  const clientCompleteness = completeness(client, clientStates);
  const professionalCompleteness = completeness(professional, professionalStates);
  const incompleteSides: Perspective[] = [];
  if (clientCompleteness.status !== 'complete') incompleteSides.push('client');
  if (professionalCompleteness.status !== 'complete') incompleteSides.push('professional');

  return {
    items,
    dimensions,
    agreement: { rate: comparable.length === 0 ? null : agreed / comparable.length, agreed, comparable: comparable.length },
    largestGaps,
    lowestClientItems,
    changes,
    client: clientCompleteness,
    professional: professionalCompleteness,
    incompleteSides,
    clientCommentsShared: client?.commentsShared === true,
  };
}
