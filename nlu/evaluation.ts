/**
 * @packageDocumentation
 * Scores the interpreter on labelled replies: accuracy, polarity flips, wrong scale values the bot
 * would store without asking, and a calibration table of the confidence. Shared by
 * `npm run nlu:eval` and the unit tests.
 *
 * @remarks What counts as right follows what the bot does with a reading:
 * - a plain label is right when the reading has that kind (and value or setting);
 * - a label marked `ask` (a genuinely ambiguous reply) is right only when the bot asks: an answer
 *   below the threshold whose reading or first alternative is the labelled value.
 * A "wrong stored value" is an answer at or above the threshold that is not the label: the bot
 * would store it without asking. That is the error the client cannot see and we never accept.
 */
import { ReplyInterpreter, CONFIDENCE_THRESHOLD, type Interpretation, type ReplyReading } from '../services/replies/replyInterpreter';
import type { LabelledReply, Split } from './labelledReplies';

/** A label such as "answer:4", "skip" or "settings:language". */
export const labelOf = (r: Pick<ReplyReading, 'kind' | 'value'> & { setting?: string | null }): string =>
  r.kind === 'answer' ? `answer:${r.value}` : r.kind === 'settings' ? `settings:${r.setting ?? '?'}` : r.kind;

/** The label as printed: "answer:3 (ask)" for a reply where the bot must ask. */
export const expectedLabelOf = (reply: LabelledReply): string => `${labelOf(reply)}${reply.mustAsk ? ' (ask)' : ''}`;

const sideOf = (value: number | null): number => (value === null ? 0 : value <= 2 ? -1 : value >= 4 ? 1 : 0);

export interface Judgement {
  readonly correct: boolean;
  /** The reading is the label itself (for `ask` rows too), whatever the confidence. */
  readonly readingRight: boolean;
  /** Agreement read as disagreement or the reverse (top reading). */
  readonly polarity: boolean;
  /** An answer whose value is not the label (at any confidence). */
  readonly wrongValue: boolean;
  /** An answer that must not be stored without asking: a wrong value, or any value for an `ask` row. */
  readonly mustNotStore: boolean;
  /** An answer at or above the threshold that must not be stored: stored without asking. */
  readonly wrongStored: boolean;
}

export function judge(reply: LabelledReply, got: Interpretation, threshold: number = CONFIDENCE_THRESHOLD): Judgement {
  const expected = labelOf(reply);
  const readingRight = labelOf(got) === expected;
  const asks = got.confidence < threshold;
  const first = got.alternatives[0];
  const correct = reply.mustAsk
    ? got.kind === 'answer' && asks && (readingRight || (first !== undefined && labelOf(first) === expected))
    : readingRight;
  const polarity =
    reply.kind === 'answer' &&
    got.kind === 'answer' &&
    sideOf(reply.value) !== 0 &&
    sideOf(got.value) !== 0 &&
    sideOf(reply.value) !== sideOf(got.value);
  const wrongValue = got.kind === 'answer' && !readingRight;
  const mustNotStore = wrongValue || (got.kind === 'answer' && reply.mustAsk);
  return { correct, readingRight, polarity, wrongValue, mustNotStore, wrongStored: mustNotStore && !asks };
}

export interface Confusion {
  readonly reply: LabelledReply;
  readonly got: Interpretation;
  readonly expected: string;
  readonly actual: string;
  readonly judgement: Judgement;
}

/** One confidence band: how often the reading in it was right, and how many answers in it were wrong. */
export interface CalibrationBand {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly readingsRight: number;
  readonly answers: number;
  /** Answers whose value is not the label. */
  readonly wrongValues: number;
  /** Answers to `ask` rows (right only when the bot asks). */
  readonly mustAsk: number;
}

/** Upper ends of the bands; the first band is everything below 0.5. */
export const BAND_EDGES: readonly number[] = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0001];

export interface SplitReport {
  readonly split: Split | 'all';
  readonly size: number;
  readonly correct: number;
  readonly accuracy: number;
  readonly confusions: readonly Confusion[];
  readonly polarityErrors: readonly Confusion[];
  /** Wrong answer values at or above the threshold (stored without asking). */
  readonly wrongStored: readonly Confusion[];
  /** Answers that must not be stored without asking (wrong values and `ask` rows), at any confidence. */
  readonly mustNotStore: number;
  readonly bands: readonly CalibrationBand[];
  /** Every reading with its judgement, for threshold sweeps. */
  readonly judged: readonly { readonly reply: LabelledReply; readonly got: Interpretation; readonly judgement: Judgement }[];
}

export function evaluate(interpreter: ReplyInterpreter, replies: readonly LabelledReply[], split: Split | 'all'): SplitReport {
  const selected = split === 'all' ? replies : replies.filter((r) => r.split === split);
  const judged = selected.map((reply) => {
    const got = interpreter.interpret(reply.text, reply.locale);
    return { reply, got, judgement: judge(reply, got) };
  });
  const confusions = judged
    .filter((j) => !j.judgement.correct || j.judgement.wrongStored || j.judgement.polarity)
    .map(({ reply, got, judgement }) => ({ reply, got, judgement, expected: expectedLabelOf(reply), actual: labelOf(got) }));
  const bands = BAND_EDGES.map((to, k) => {
    const from = k === 0 ? 0 : BAND_EDGES[k - 1];
    const inside = judged.filter((j) => j.got.confidence >= from && j.got.confidence < to);
    return {
      from,
      to: Math.min(1, to),
      count: inside.length,
      readingsRight: inside.filter((j) => j.judgement.readingRight).length,
      answers: inside.filter((j) => j.got.kind === 'answer').length,
      wrongValues: inside.filter((j) => j.judgement.wrongValue).length,
      mustAsk: inside.filter((j) => j.got.kind === 'answer' && j.reply.mustAsk).length,
    };
  });
  const correct = judged.filter((j) => j.judgement.correct).length;
  return {
    split,
    size: selected.length,
    correct,
    accuracy: selected.length ? correct / selected.length : 0,
    confusions,
    polarityErrors: confusions.filter((c) => c.judgement.polarity),
    wrongStored: confusions.filter((c) => c.judgement.wrongStored),
    mustNotStore: judged.filter((j) => j.judgement.mustNotStore).length,
    bands,
    judged,
  };
}

/** For a candidate threshold: wrong values that would be stored, and right answers that would be asked about. */
export interface ThresholdRow {
  readonly threshold: number;
  readonly wrongStored: number;
  readonly rightAnswersAsked: number;
  readonly rightAnswers: number;
}

export function sweepThresholds(report: SplitReport, thresholds: readonly number[]): ThresholdRow[] {
  const answers = report.judged.filter((j) => j.got.kind === 'answer');
  const rightAnswers = answers.filter((j) => j.judgement.readingRight && !j.reply.mustAsk);
  return thresholds.map((threshold) => ({
    threshold,
    wrongStored: answers.filter((j) => j.judgement.mustNotStore && j.got.confidence >= threshold).length,
    rightAnswersAsked: rightAnswers.filter((j) => j.got.confidence < threshold).length,
    rightAnswers: rightAnswers.length,
  }));
}
