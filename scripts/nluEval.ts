/**
 * `npm run nlu:eval`: how well the reply interpreter reads the labelled replies.
 *
 * Prints test and train accuracy with their sizes, polarity flips, wrong scale values the bot
 * would store without asking, every confusion, a confusion matrix for the test split, the
 * calibration table (per confidence band: count, how often the reading was right, wrong answer
 * values) and a threshold sweep. Exits 1 when a target is missed: test accuracy >= 98% on at
 * least 400 test replies, no polarity flip in either split, no wrong value stored without asking
 * on the test split.
 *
 * `npm run nlu:eval -- --file other.tsv` scores another labelled file of the same format as one
 * set (no split): a way to check the interpreter on replies it was not tuned on.
 */
import { ReplyInterpreter, CONFIDENCE_THRESHOLD } from '../services/replies/replyInterpreter';
import { evaluate, labelOf, sweepThresholds, type SplitReport } from '../nlu/evaluation';
import { loadLabelledReplies } from '../nlu/labelledReplies';

const TARGET_ACCURACY = 0.98;
const MIN_TEST_SIZE = 400;

const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;

function printConfusions(report: SplitReport): void {
  if (report.confusions.length === 0) {
    console.log(`  (none)`);
    return;
  }
  for (const c of report.confusions) {
    const flags = [c.judgement.polarity ? 'POLARITY FLIP' : '', c.judgement.wrongStored ? 'STORED WITHOUT ASKING' : '']
      .filter(Boolean)
      .join(', ');
    const alternative = c.got.alternatives[0] ? `; first alternative ${labelOf(c.got.alternatives[0])}` : '';
    console.log(
      `  ${c.reply.locale} ${JSON.stringify(c.reply.text)} expected ${c.expected}, got ${c.actual} (confidence ${c.got.confidence.toFixed(2)}${alternative})${flags ? `  <-- ${flags}` : ''}`,
    );
  }
}

function summaryLine(name: string, report: SplitReport): string {
  return `${name.padEnd(5)} accuracy ${pct(report.accuracy)} (${report.correct}/${report.size})  polarity flips: ${report.polarityErrors.length}  wrong values stored without asking (confidence >= ${CONFIDENCE_THRESHOLD}): ${report.wrongStored.length}`;
}

function printBands(report: SplitReport): void {
  console.log(`  ${report.split}: band        replies  reading right   answers  wrong values  "ask" answers`);
  for (const b of report.bands) {
    const band = b.from === 0 ? `< ${b.to.toFixed(1)}    ` : `${b.from.toFixed(1)}-${b.to.toFixed(1)}   `;
    const right = b.count ? `${pct(b.readingsRight / b.count).padStart(6)} (${b.readingsRight})` : '     -';
    console.log(
      `  ${''.padEnd(report.split.length)}  ${band} ${String(b.count).padStart(7)}  ${right.padEnd(14)} ${String(b.answers).padStart(8)}  ${String(b.wrongValues).padStart(12)}  ${String(b.mustAsk).padStart(13)}`,
    );
  }
  const share = report.mustNotStore ? report.wrongStored.length / report.mustNotStore : 0;
  console.log(
    `  ${''.padEnd(report.split.length)}  answers that must not be stored unasked (wrong values + "ask" answers): ${report.mustNotStore}; ` +
      `stored without asking at threshold ${CONFIDENCE_THRESHOLD}: ${report.wrongStored.length} (${pct(share)})`,
  );
}

function printMatrix(test: SplitReport): void {
  const rows = test.judged;
  const labels = [...new Set(rows.flatMap((j) => [labelOf(j.reply), labelOf(j.got)]))].sort();
  const width = Math.max(...labels.map((l) => l.length)) + 1;
  const short = (l: string): string =>
    l.replace('settings:language', 's:lang').replace('settings:simpleWords', 's:simple').replace('answer:', 'a');
  console.log(`  ${''.padEnd(width)}${labels.map((l) => short(l).padStart(9)).join('')}`);
  for (const expected of labels) {
    const cells = labels.map((actual) => {
      const n = rows.filter((j) => labelOf(j.reply) === expected && labelOf(j.got) === actual).length;
      return (n === 0 ? '.' : String(n)).padStart(9);
    });
    console.log(`  ${expected.padEnd(width)}${cells.join('')}`);
  }
}

function scoreFile(file: string): number {
  const report = evaluate(new ReplyInterpreter(), loadLabelledReplies(file), 'all');
  console.log(summaryLine('FILE', report));
  console.log('\nConfusions:');
  printConfusions(report);
  console.log('\nCalibration per confidence band:');
  printBands(report);
  const ok = report.accuracy >= TARGET_ACCURACY && report.polarityErrors.length === 0 && report.wrongStored.length === 0;
  console.log(`\nTargets (>= ${pct(TARGET_ACCURACY)}, no polarity flip, no wrong value stored): ${ok ? 'PASS' : 'FAIL'}`);
  return ok ? 0 : 1;
}

function main(): number {
  const fileAt = process.argv.indexOf('--file');
  if (fileAt >= 0 && process.argv[fileAt + 1]) return scoreFile(process.argv[fileAt + 1]);
  const replies = loadLabelledReplies();
  const started = process.hrtime.bigint();
  const interpreter = new ReplyInterpreter();
  const constructionMs = Number(process.hrtime.bigint() - started) / 1e6;
  const test = evaluate(interpreter, replies, 'test');
  const train = evaluate(interpreter, replies, 'train');
  const all = evaluate(interpreter, replies, 'all');
  const count = (f: (r: (typeof replies)[number]) => boolean): number => replies.filter(f).length;

  console.log(
    `Reply interpreter on nlu/replies.tsv: ${replies.length} labelled replies (nl ${count((r) => r.locale === 'nl')}, en ${count((r) => r.locale === 'en')}; ` +
      `${count((r) => r.mustAsk)} marked "ask"); construction ${constructionMs.toFixed(1)} ms`,
  );
  console.log(summaryLine('TEST', test));
  console.log(summaryLine('TRAIN', train));

  console.log('\nConfusions (test):');
  printConfusions(test);
  console.log('\nConfusions (train):');
  printConfusions(train);

  console.log('\nConfusion matrix (test; rows labelled, columns read; "ask" rows under their label):');
  printMatrix(test);

  console.log(`\nCalibration per confidence band ("reading right" = the top reading is the label):`);
  printBands(train);
  printBands(test);
  printBands(all);

  const thresholds = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];
  const sweepTrain = sweepThresholds(train, thresholds);
  const sweepTest = sweepThresholds(test, thresholds);
  console.log('\nThreshold sweep (answers only): wrong values stored without asking / right answers the bot would ask about');
  console.log('  threshold   train wrong stored   train right asked   test wrong stored   test right asked');
  thresholds.forEach((t, k) => {
    const a = sweepTrain[k];
    const b = sweepTest[k];
    const mark = t === CONFIDENCE_THRESHOLD ? '  <-- CONFIDENCE_THRESHOLD' : '';
    console.log(
      `  ${t.toFixed(2).padStart(9)}   ${String(a.wrongStored).padStart(18)}   ${`${a.rightAnswersAsked}/${a.rightAnswers}`.padStart(17)}   ${String(b.wrongStored).padStart(17)}   ${`${b.rightAnswersAsked}/${b.rightAnswers}`.padStart(16)}${mark}`,
    );
  });

  const flips = [...test.polarityErrors, ...train.polarityErrors];
  const checks: [string, boolean][] = [
    [`test split has >= ${MIN_TEST_SIZE} replies (${test.size})`, test.size >= MIN_TEST_SIZE],
    [`test accuracy >= ${pct(TARGET_ACCURACY)} (${pct(test.accuracy)})`, test.accuracy >= TARGET_ACCURACY],
    [`no polarity flip in either split (${flips.length})`, flips.length === 0],
    [`no wrong value stored without asking on test (${test.wrongStored.length})`, test.wrongStored.length === 0],
  ];
  console.log('\nTargets:');
  for (const [name, ok] of checks) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}`);
  return checks.every(([, ok]) => ok) ? 0 : 1;
}

process.exitCode = main();
