/**
 * @packageDocumentation
 * Scores the interpreter on labelled replies: accuracy, confusions, polarity errors and how well
 * the confidence is calibrated. Shared by `npm run nlu:eval` and the unit tests.
 */
import { ReplyInterpreter, CONFIDENCE_THRESHOLD, type Interpretation } from '../services/replies/replyInterpreter';
import type { LabelledReply, Split } from './labelledReplies';

/** A label such as "answer:4", "skip" or "settings:language". */
export const labelOf = (r: { kind: string; value: number | null; setting?: string | null }): string =>
  r.kind === 'answer' ? `answer:${r.value}` : r.kind === 'settings' ? `settings:${r.setting ?? '?'}` : r.kind;

export interface Confusion {
  readonly reply: LabelledReply;
  readonly got: Interpretation;
  readonly expected: string;
  readonly actual: string;
  /** Agreement read as disagreement or the reverse: the one error we never accept. */
  readonly polarity: boolean;
}

export interface CalibrationBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly accuracy: number;
  readonly meanConfidence: number;
}

export interface SplitReport {
  readonly split: Split;
  readonly size: number;
  readonly correct: number;
  readonly accuracy: number;
  readonly confusions: readonly Confusion[];
  readonly polarityErrors: readonly Confusion[];
  /** Confident and wrong: above the threshold, so the bot would not have asked. */
  readonly confidentErrors: number;
  readonly calibration: readonly CalibrationBin[];
  /** Expected calibration error over the bins. */
  readonly ece: number;
}

const sideOf = (value: number | null): number => (value === null ? 0 : value <= 2 ? -1 : value >= 4 ? 1 : 0);

export function isPolarityError(expected: LabelledReply, got: Interpretation): boolean {
  if (expected.kind !== 'answer' || got.kind !== 'answer') return false;
  const a = sideOf(expected.value);
  const b = sideOf(got.value);
  return a !== 0 && b !== 0 && a !== b;
}

export function evaluateSplit(interpreter: ReplyInterpreter, replies: readonly LabelledReply[], split: Split): SplitReport {
  const selected = replies.filter((r) => r.split === split);
  const confusions: Confusion[] = [];
  const bins = [0, 0.2, 0.4, 0.6, 0.8, 1.0001]
    .slice(0, -1)
    .map((from, k, all) => ({ from, to: all[k + 1] ?? 1, count: 0, correct: 0, confidence: 0 }));
  let correct = 0;
  let confidentErrors = 0;
  for (const reply of selected) {
    const got = interpreter.interpret(reply.text, reply.locale);
    const expected = labelOf(reply);
    const actual = labelOf(got);
    const ok = expected === actual;
    const bin = bins.find((b) => got.confidence >= b.from && got.confidence < b.to) ?? bins[bins.length - 1];
    bin.count++;
    bin.confidence += got.confidence;
    if (ok) {
      correct++;
      bin.correct++;
    } else {
      confusions.push({ reply, got, expected, actual, polarity: isPolarityError(reply, got) });
      if (got.confidence >= CONFIDENCE_THRESHOLD) confidentErrors++;
    }
  }
  const calibration = bins.map((b) => ({
    from: b.from,
    to: Math.min(1, b.to),
    count: b.count,
    accuracy: b.count ? b.correct / b.count : 0,
    meanConfidence: b.count ? b.confidence / b.count : 0,
  }));
  const size = selected.length;
  const ece = size ? calibration.reduce((sum, b) => sum + (b.count / size) * Math.abs(b.accuracy - b.meanConfidence), 0) : 0;
  return {
    split,
    size,
    correct,
    accuracy: size ? correct / size : 0,
    confusions,
    polarityErrors: confusions.filter((c) => c.polarity),
    confidentErrors,
    calibration,
    ece,
  };
}
