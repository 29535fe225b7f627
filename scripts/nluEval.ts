/**
 * `npm run nlu:eval`: accuracy of the answer interpreter on the labelled replies.
 *
 * Prints test and train accuracy with their sizes, the confusions (test first), a confusion
 * matrix for the test split, any polarity error (agreement read as disagreement or the reverse)
 * and the calibration of the confidence. Exits 1 when test accuracy is below 95% or when any
 * polarity error occurs in either split.
 */
import { ReplyInterpreter, CONFIDENCE_THRESHOLD } from '../services/replies/replyInterpreter';
import { evaluateSplit, labelOf, type SplitReport } from '../nlu/evaluation';
import { loadLabelledReplies } from '../nlu/labelledReplies';

const TARGET_ACCURACY = 0.95;

const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;

function printConfusions(report: SplitReport): void {
  if (report.confusions.length === 0) {
    console.log(`  (none)`);
    return;
  }
  for (const c of report.confusions) {
    const flag = c.polarity ? '  <-- POLARITY ERROR' : '';
    console.log(
      `  ${c.reply.locale} ${JSON.stringify(c.reply.text)} expected ${c.expected}, got ${c.actual} (confidence ${c.got.confidence.toFixed(2)})${flag}`,
    );
  }
}

function main(): number {
  const replies = loadLabelledReplies();
  const started = process.hrtime.bigint();
  const interpreter = new ReplyInterpreter();
  const constructionMs = Number(process.hrtime.bigint() - started) / 1e6;
  const test = evaluateSplit(interpreter, replies, 'test');
  const train = evaluateSplit(interpreter, replies, 'train');

  console.log(`Answer interpreter on nlu/replies.tsv (${replies.length} labelled replies; construction ${constructionMs.toFixed(1)} ms)`);
  console.log(
    `TEST  accuracy ${pct(test.accuracy)} (${test.correct}/${test.size})  polarity errors: ${test.polarityErrors.length}  wrong with confidence >= ${CONFIDENCE_THRESHOLD}: ${test.confidentErrors}`,
  );
  console.log(
    `TRAIN accuracy ${pct(train.accuracy)} (${train.correct}/${train.size})  polarity errors: ${train.polarityErrors.length}  wrong with confidence >= ${CONFIDENCE_THRESHOLD}: ${train.confidentErrors}`,
  );

  console.log('\nConfusions (test):');
  printConfusions(test);
  console.log('\nConfusions (train):');
  printConfusions(train);

  // The matrix lists every label that occurs in the test split; the diagonal holds the hits.
  const labels = [
    ...new Set(
      replies
        .filter((r) => r.split === 'test')
        .map((r) => labelOf(r))
        .concat(test.confusions.map((c) => c.actual)),
    ),
  ].sort();
  const hits = new Map<string, number>();
  for (const r of replies.filter((x) => x.split === 'test')) hits.set(labelOf(r), (hits.get(labelOf(r)) ?? 0) + 1);
  for (const c of test.confusions) hits.set(c.expected, (hits.get(c.expected) ?? 0) - 1);
  console.log('\nConfusion matrix (test; rows expected, columns got):');
  const width = Math.max(...labels.map((l) => l.length)) + 1;
  const short = (l: string): string =>
    l.replace('settings:language', 's:lang').replace('settings:simpleWords', 's:simple').replace('answer:', 'a');
  console.log(`  ${''.padEnd(width)}${labels.map((l) => short(l).padStart(9)).join('')}`);
  for (const expected of labels) {
    const cells = labels.map((actual) => {
      const n =
        expected === actual
          ? (hits.get(expected) ?? 0)
          : test.confusions.filter((c) => c.expected === expected && c.actual === actual).length;
      return (n === 0 ? '.' : String(n)).padStart(9);
    });
    console.log(`  ${expected.padEnd(width)}${cells.join('')}`);
  }

  console.log('\nCalibration (test + train; confidence bin → accuracy):');
  for (const [k, bin] of test.calibration.entries()) {
    const t = train.calibration[k];
    const count = bin.count + t.count;
    const accuracy = count ? (bin.accuracy * bin.count + t.accuracy * t.count) / count : 0;
    const mean = count ? (bin.meanConfidence * bin.count + t.meanConfidence * t.count) / count : 0;
    console.log(
      `  [${bin.from.toFixed(1)}, ${bin.to.toFixed(1)}) n=${String(count).padStart(3)}  mean confidence ${mean.toFixed(2)}  accuracy ${count ? pct(accuracy) : '-'}`,
    );
  }
  console.log(`  expected calibration error: test ${test.ece.toFixed(3)}, train ${train.ece.toFixed(3)}`);

  const polarity = [...test.polarityErrors, ...train.polarityErrors];
  if (polarity.length > 0) {
    console.log(`\nPOLARITY ERRORS (${polarity.length}):`);
    for (const c of polarity) console.log(`  ${c.reply.split} ${JSON.stringify(c.reply.text)} expected ${c.expected}, got ${c.actual}`);
  } else {
    console.log('\nPolarity errors: none (no agreement read as disagreement or the reverse).');
  }
  const passed = test.accuracy >= TARGET_ACCURACY && polarity.length === 0;
  console.log(`\nTarget: test accuracy >= ${pct(TARGET_ACCURACY)} and zero polarity errors: ${passed ? 'PASS' : 'FAIL'}`);
  return passed ? 0 : 1;
}

process.exitCode = main();
