/**
 * Timing of the reply interpreter: construction, the first pass over the labelled replies
 * (word cache cold) and the mean time per reply over 50,000 interpretations. Prints figures,
 * asserts nothing. Run: `npx ts-node --transpile-only bench/replyInterpreter.bench.ts`.
 */
import { ReplyInterpreter } from '../services/replies/replyInterpreter';
import { loadLabelledReplies } from '../nlu/labelledReplies';

const TOTAL_REPLIES = 50_000;

const now = (): bigint => process.hrtime.bigint();
const micros = (from: bigint, to: bigint, count = 1): number => Number(to - from) / 1000 / count;

function main(): void {
  const replies = loadLabelledReplies();
  const labels = ['Helemaal niet waar', 'Meestal niet waar', 'Soms waar', 'Meestal waar', 'Helemaal waar'];

  const constructStart = now();
  const interpreter = new ReplyInterpreter();
  const constructEnd = now();

  // First pass: every word is new to the cache, as after a restart.
  const coldStart = now();
  for (const r of replies) interpreter.interpret(r.text, r.locale);
  const coldEnd = now();

  let checksum = 0;
  const warmStart = now();
  for (let n = 0; n < TOTAL_REPLIES; n++) {
    const r = replies[n % replies.length];
    checksum += interpreter.interpret(r.text, r.locale).confidence;
  }
  const warmEnd = now();

  const labelStart = now();
  for (let n = 0; n < 10_000; n++) {
    const r = replies[n % replies.length];
    checksum += interpreter.interpret(r.text, r.locale, { scaleLabels: labels }).confidence;
  }
  const labelEnd = now();

  const long = 'Nou, eigenlijk vind ik dat mijn begeleider meestal wel goed luistert, maar soms ook niet, '.repeat(8);
  const longStart = now();
  for (let n = 0; n < 2_000; n++) checksum += interpreter.interpret(long, 'nl').confidence;
  const longEnd = now();

  console.log(`reply interpreter benchmark (${replies.length} labelled replies, node ${process.version})`);
  console.log(`  construction:                      ${(micros(constructStart, constructEnd) / 1000).toFixed(2)} ms`);
  console.log(`  first pass, cold word cache:       ${micros(coldStart, coldEnd, replies.length).toFixed(1)} µs per reply`);
  console.log(`  mean over ${TOTAL_REPLIES} replies:          ${micros(warmStart, warmEnd, TOTAL_REPLIES).toFixed(1)} µs per reply`);
  console.log(`  with 5 button labels (10000):      ${micros(labelStart, labelEnd, 10_000).toFixed(1)} µs per reply`);
  console.log(`  500-character reply (2000):        ${micros(longStart, longEnd, 2_000).toFixed(1)} µs per reply`);
  console.log(`  (checksum ${checksum.toFixed(1)})`);
}

main();
