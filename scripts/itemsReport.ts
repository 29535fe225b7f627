/**
 * Prints the readability of every item in an item bank and checks the B1 bounds for the simple
 * register: `npm run items:report [-- path/to/bank.json]`.
 *
 * @remarks Exits with code 1 when a bound fails, so it can guard content changes in CI. Dutch
 * scores are Flesch-Douma; the English table shows Flesch Reading Ease for comparison only.
 */
import path from 'node:path';
import { DEFAULT_ITEM_BANK_PATH, ItemBank, ItemBankError, loadItemBank } from '../services/questionnaire/itemBank';
import { englishReadabilityOf, readabilityOf } from '../services/questionnaire/readability';
import { Domain, DOMAINS, PERSPECTIVES, REGISTERS } from '../services/vocabulary';

const SIMPLE_MAX_WORDS = 12;
const SIMPLE_MIN_FLESCH_DOUMA = 60;
const SIMPLE_MIN_MEAN_FLESCH_DOUMA = 80;
const STANDARD_MAX_WORDS = 20;

interface Row {
  id: string;
  register: string;
  words: number;
  syllables: number;
  score: number;
  sentences: number;
  text: string;
}

const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

function dutchRows(bank: ItemBank, domain: Domain | null): Row[] {
  return PERSPECTIVES.flatMap((perspective) =>
    REGISTERS.flatMap((register) =>
      bank.items('full', perspective).map((item) => {
        const text = bank.questionText(item.id, { register, locale: 'nl', domain });
        const r = readabilityOf(text);
        return { id: item.id, register, words: r.words, syllables: r.syllables, score: r.fleschDouma, sentences: r.sentences, text };
      }),
    ),
  );
}

function englishRows(bank: ItemBank, domain: Domain | null): Row[] {
  return PERSPECTIVES.flatMap((perspective) =>
    REGISTERS.flatMap((register) =>
      bank.items('full', perspective).map((item) => {
        const text = bank.questionText(item.id, { register, locale: 'en', domain });
        const r = englishReadabilityOf(text);
        return { id: item.id, register, words: r.words, syllables: r.syllables, score: r.fleschReadingEase, sentences: r.sentences, text };
      }),
    ),
  );
}

function table(rows: Row[], scoreName: string): string {
  const idWidth = Math.max(2, ...rows.map((row) => row.id.length));
  const header = `${'id'.padEnd(idWidth)}  register  words  syll  ${scoreName.padStart(6)}  text`;
  const lines = rows.map(
    (row) =>
      `${row.id.padEnd(idWidth)}  ${row.register.padEnd(8)}  ${String(row.words).padStart(5)}  ${String(row.syllables).padStart(4)}  ${row.score.toFixed(1).padStart(6)}  ${row.text}`,
  );
  return [header, '-'.repeat(header.length + 40), ...lines].join('\n');
}

/** The B1 bounds for one set of Dutch rows; returns the failures, empty when all hold. */
function boundFailures(rows: Row[], label: string): string[] {
  const failures: string[] = [];
  const simple = rows.filter((row) => row.register === 'simple');
  for (const row of simple) {
    if (row.words > SIMPLE_MAX_WORDS) failures.push(`${label} ${row.id} simple: ${row.words} words (max ${SIMPLE_MAX_WORDS})`);
    if (row.score < SIMPLE_MIN_FLESCH_DOUMA)
      failures.push(`${label} ${row.id} simple: Flesch-Douma ${row.score.toFixed(1)} (min ${SIMPLE_MIN_FLESCH_DOUMA})`);
  }
  const simpleMean = mean(simple.map((row) => row.score));
  if (simpleMean < SIMPLE_MIN_MEAN_FLESCH_DOUMA)
    failures.push(`${label} simple: mean Flesch-Douma ${simpleMean.toFixed(1)} (min ${SIMPLE_MIN_MEAN_FLESCH_DOUMA})`);
  for (const row of rows) {
    if (row.sentences !== 1) failures.push(`${label} ${row.id} ${row.register}: ${row.sentences} sentences (must be 1)`);
    if (row.register === 'standard' && row.words > STANDARD_MAX_WORDS)
      failures.push(`${label} ${row.id} standard: ${row.words} words (max ${STANDARD_MAX_WORDS})`);
  }
  return failures;
}

function summary(rows: Row[]): string {
  const simple = rows.filter((row) => row.register === 'simple');
  const standard = rows.filter((row) => row.register === 'standard');
  return (
    `simple: mean FD ${mean(simple.map((row) => row.score)).toFixed(1)}, min FD ${Math.min(...simple.map((row) => row.score)).toFixed(1)}, ` +
    `max words ${Math.max(...simple.map((row) => row.words))}; standard: max words ${Math.max(...standard.map((row) => row.words))}`
  );
}

function main(): void {
  const filePath = process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_ITEM_BANK_PATH;
  let bank: ItemBank;
  try {
    bank = loadItemBank(filePath);
  } catch (error) {
    if (error instanceof ItemBankError) {
      console.error(error.message);
      for (const problem of error.problems.slice(1)) console.error(`  ${problem}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }

  console.log(`Item bank ${bank.id} ${bank.version} (${filePath})\n`);
  const defaultRows = dutchRows(bank, null);
  console.log(`Dutch, role word "${bank.roleWord(null, 'nl')}" (FD = Flesch-Douma)`);
  console.log(table(defaultRows, 'FD'));

  const failures = boundFailures(defaultRows, 'nl');
  console.log(`\nnl, no domain: ${summary(defaultRows)}`);
  console.log('\nDomain variants (role word and overrides filled in):');
  for (const domain of DOMAINS) {
    const rows = dutchRows(bank, domain);
    failures.push(...boundFailures(rows, `nl/${domain}`));
    console.log(`  ${domain.padEnd(16)} ${bank.roleWord(domain, 'nl').padEnd(20)} ${summary(rows)}`);
  }

  console.log('\nEnglish (FRE = Flesch Reading Ease, for comparison only)');
  const english = englishRows(bank, null);
  console.log(table(english, 'FRE'));
  for (const domain of [null, ...DOMAINS]) {
    for (const row of englishRows(bank, domain)) {
      const max = row.register === 'simple' ? SIMPLE_MAX_WORDS : STANDARD_MAX_WORDS;
      if (row.words > max) failures.push(`en/${domain ?? 'no domain'} ${row.id} ${row.register}: ${row.words} words (max ${max})`);
      if (row.sentences !== 1)
        failures.push(`en/${domain ?? 'no domain'} ${row.id} ${row.register}: ${row.sentences} sentences (must be 1)`);
    }
  }

  console.log(
    `\nBounds (simple: <= ${SIMPLE_MAX_WORDS} words, FD >= ${SIMPLE_MIN_FLESCH_DOUMA}, mean FD >= ${SIMPLE_MIN_MEAN_FLESCH_DOUMA}; ` +
      `standard: <= ${STANDARD_MAX_WORDS} words; one sentence each): ${failures.length === 0 ? 'all hold' : `${failures.length} failing`}`,
  );
  for (const failure of failures) console.log(`  FAIL ${failure}`);
  if (failures.length > 0) process.exitCode = 1;
}

main();
