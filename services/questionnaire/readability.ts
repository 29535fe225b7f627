/**
 * @packageDocumentation
 * Readability measures for item wording: Dutch syllable counting, Flesch-Douma and Leesindex A.
 *
 * @remarks Pure functions. The item bank uses them to hold the simple (B1) register to measurable
 * bounds; they are estimates for short questionnaire sentences, not a linguistic analysis.
 */

/** Counts for one text and the two Dutch readability scores computed from them. */
export interface Readability {
  words: number;
  syllables: number;
  sentences: number;
  /** 206.84 - 77 * spw - 0.93 * wps; `NaN` for a text without words. */
  fleschDouma: number;
  /** 195 - 66.67 * spw - 2 * wps (Brouwer); `NaN` for a text without words. */
  leesindexA: number;
}

/** Counts for one English text and its Flesch Reading Ease. */
export interface EnglishReadability {
  words: number;
  syllables: number;
  sentences: number;
  /** 206.835 - 84.6 * spw - 1.015 * wps; `NaN` for a text without words. */
  fleschReadingEase: number;
}

const WORD_PATTERN = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** The words of a text: runs of letters and digits; `e-mail` and `auto's` count as one word. */
export function words(text: string): string[] {
  return text.match(WORD_PATTERN) ?? [];
}

/**
 * The sentences of a text: split after `.`, `!`, `?` or `…` when a capital, digit or quote
 * follows, so `bijv. een` stays one sentence. Pieces without words are dropped; a text with words
 * but no end mark is one sentence.
 */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+(?=[\p{Lu}\p{N}"'“‘(])/u)
    .map((piece) => piece.trim())
    .filter((piece) => words(piece).length > 0);
}

// Dutch vowel spellings that are one sound, longest first so greedy matching prefers them.
// `ai`, `oi`, `ay`, `ey`, `oy`, `eau` cover common loans ("mail", "hoi", "bureau"); Dutch spells a
// real hiatus in these with a diaeresis ("naïef"), which the counter honours separately.
const DUTCH_VOWEL_UNITS = [
  'aai',
  'ooi',
  'oei',
  'eeu',
  'ieu',
  'eau',
  'aa',
  'ee',
  'oo',
  'uu',
  'ie',
  'oe',
  'eu',
  'ui',
  'ei',
  'ij',
  'ou',
  'au',
  'ai',
  'oi',
  'ay',
  'ey',
  'oy',
  'uy',
];

// Loanwords common in social work whose spelling misleads the Dutch rule (silent final e, "oa").
const DUTCH_EXCEPTIONS: Readonly<Record<string, number>> = {
  online: 2,
  offline: 2,
  update: 2,
  updates: 2,
  website: 2,
  site: 1,
  date: 1,
  game: 1,
  games: 1,
  team: 1,
  teams: 1,
  coach: 1,
  coaches: 2,
  coachen: 2,
  deadline: 2,
  timeout: 2,
  'e-mail': 2,
  email: 2,
  mail: 1,
  mailen: 2,
  chat: 1,
  chatten: 2,
  app: 1,
  appen: 2,
  oké: 2,
  okay: 2,
  ok: 2,
  whatsapp: 2,
};

const UNITS = [
  'nul',
  'een',
  'twee',
  'drie',
  'vier',
  'vijf',
  'zes',
  'zeven',
  'acht',
  'negen',
  'tien',
  'elf',
  'twaalf',
  'dertien',
  'veertien',
  'vijftien',
  'zestien',
  'zeventien',
  'achttien',
  'negentien',
];
const TENS = ['', '', 'twintig', 'dertig', 'veertig', 'vijftig', 'zestig', 'zeventig', 'tachtig', 'negentig'];

/** Spells a whole number the way it is read aloud in Dutch (0 … 999 999), or `null` beyond that. */
function spellDutchNumber(n: number): string | null {
  if (!Number.isInteger(n) || n < 0 || n > 999_999) return null;
  if (n < 20) return UNITS[n];
  if (n < 100) {
    const unit = n % 10;
    const tens = TENS[Math.floor(n / 10)];
    if (unit === 0) return tens;
    const unitWord = UNITS[unit];
    return unitWord + (unitWord.endsWith('e') ? 'ën' : 'en') + tens;
  }
  if (n < 1000) {
    const hundreds = Math.floor(n / 100);
    const rest = n % 100;
    return (hundreds > 1 ? UNITS[hundreds] : '') + 'honderd' + (rest > 0 ? spellDutchNumber(rest) : '');
  }
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  return (thousands > 1 ? spellDutchNumber(thousands) : '') + 'duizend' + (rest > 0 ? spellDutchNumber(rest) : '');
}

function countDigitGroup(digits: string): number {
  const spelled = digits.length <= 6 && !/^0\d/.test(digits) ? spellDutchNumber(Number(digits)) : null;
  // Long numbers and ones with leading zeros (codes, phone numbers) are read digit by digit.
  if (spelled === null) return [...digits].reduce((sum, digit) => sum + countLetters(UNITS[Number(digit)]), 0);
  return countLetters(spelled);
}

const isVowel = (letter: string): boolean => 'aeiouy'.includes(letter);

/** Syllables of a run of letters without digits or hyphens. */
function countLetters(word: string): number {
  // Decompose so an accent (é, ó: stress only) falls away, and a diaeresis (ë, ï: new syllable)
  // can be seen as a boundary marker.
  const decomposed = word.normalize('NFD');
  const letters: { letter: string; startsSyllable: boolean }[] = [];
  for (const char of decomposed) {
    if (/\p{M}/u.test(char)) {
      if (char === '\u0308' && letters.length > 0) letters[letters.length - 1].startsSyllable = true;
      continue;
    }
    if (/\p{L}/u.test(char)) letters.push({ letter: char, startsSyllable: false });
  }

  let count = 0;
  let run = '';
  const flush = (): void => {
    let index = 0;
    while (index < run.length) {
      const unit = DUTCH_VOWEL_UNITS.find((candidate) => run.startsWith(candidate, index));
      index += unit ? unit.length : 1;
      count += 1;
    }
    run = '';
  };
  letters.forEach(({ letter, startsSyllable }, index) => {
    const next = letters[index + 1]?.letter ?? '';
    // `j` is part of the vowel in `ij`; `y` before a vowel at the start is a consonant ("yoga").
    const vowel = (letter === 'j' && run.endsWith('i')) || (isVowel(letter) && !(letter === 'y' && index === 0 && isVowel(next)));
    if (!vowel) {
      flush();
      return;
    }
    if (startsSyllable) flush();
    run += letter;
  });
  flush();
  return count;
}

/**
 * Counts the syllables of one Dutch word.
 *
 * @remarks The rule: every group of vowel letters is read left to right and cut greedily into the
 * longest known Dutch vowel spelling (`aai ooi oei eeu ieu`, then `aa ee oo uu ie oe eu ui ei ij ou au`,
 * and loan spellings `ai oi ay ey oy eau`); each piece is one syllable, so `ideaal` is i-de-aal (3)
 * and `mooie` is mooi-e (2). `y` is a vowel (`baby`) except before a vowel at the start of a word
 * (`yoga`). A diaeresis starts a new syllable (`ideeën` 3, `cliënt` 2); other accents only mark
 * stress (`één` 1). Hyphenated parts are counted apart (`e-mail` is an exception entry). Digits are
 * counted as spoken Dutch (`19` = negentien, 3; `2024` = tweeduizendvierentwintig, 7); numbers
 * beyond 999 999 or with a leading zero digit by digit. Dutch has no silent final `e`, so
 * `rustige` keeps three syllables; the few English loans where it is silent (`online`, `update`)
 * or where `oa`/`ea` is one sound (`coach`, `team`) come from a small exception list. Any word
 * with a letter or digit has at least one syllable.
 */
export function countSyllablesNl(word: string): number {
  const lower = word.toLowerCase().replace(/['’]/g, '');
  const exception = DUTCH_EXCEPTIONS[lower];
  if (exception !== undefined) return exception;
  let total = 0;
  for (const part of lower.split('-')) {
    const exceptionPart = DUTCH_EXCEPTIONS[part];
    if (exceptionPart !== undefined) {
      total += exceptionPart;
      continue;
    }
    for (const piece of part.match(/\p{N}+|\p{L}+/gu) ?? []) {
      total += /\p{N}/u.test(piece) ? countDigitGroup(piece) : countLetters(piece);
    }
  }
  return /[\p{L}\p{N}]/u.test(word) ? Math.max(1, total) : 0;
}

/**
 * Counts the syllables of one English word with the usual heuristic: vowel groups, minus a silent
 * final `e` (but not `-le` after a consonant), minus `-es`/`-ed` endings that add no sound.
 *
 * @remarks Good enough to compare item wordings in the report; not used for any bound.
 */
export function countSyllablesEn(word: string): number {
  let lower = word.toLowerCase().replace(/[^a-z]/g, '');
  if (lower.length === 0) return /\p{N}/u.test(word) ? Math.max(1, word.replace(/\D/g, '').length) : 0;
  if (lower.length <= 3) return 1;
  lower = lower.replace(/(?:[^laeiouy]es|[^laeiouy]e|[^tdaeiouy]ed)$/, (ending) => ending[0]).replace(/^y/, '');
  const groups = lower.match(/[aeiouy]+/g);
  return Math.max(1, groups ? groups.length : 0);
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

/** Flesch-Douma for a Dutch text: 60-70 normal, 70-80 fairly easy, 80-90 easy, 90-100 very easy. */
export function fleschDouma(text: string): number {
  return readabilityOf(text).fleschDouma;
}

/** Leesindex A (Brouwer) for a Dutch text. */
export function leesindexA(text: string): number {
  return readabilityOf(text).leesindexA;
}

/** Word, syllable and sentence counts of a Dutch text with its Flesch-Douma and Leesindex A. */
export function readabilityOf(text: string): Readability {
  const wordList = words(text);
  const syllables = wordList.reduce((sum, word) => sum + countSyllablesNl(word), 0);
  const sentenceCount = wordList.length === 0 ? 0 : sentences(text).length;
  const spw = ratio(syllables, wordList.length);
  const wps = ratio(wordList.length, sentenceCount);
  return {
    words: wordList.length,
    syllables,
    sentences: sentenceCount,
    fleschDouma: 206.84 - 77 * spw - 0.93 * wps,
    leesindexA: 195 - 66.67 * spw - 2 * wps,
  };
}

/** Word, syllable and sentence counts of an English text with its Flesch Reading Ease. */
export function englishReadabilityOf(text: string): EnglishReadability {
  const wordList = words(text);
  const syllables = wordList.reduce((sum, word) => sum + countSyllablesEn(word), 0);
  const sentenceCount = wordList.length === 0 ? 0 : sentences(text).length;
  return {
    words: wordList.length,
    syllables,
    sentences: sentenceCount,
    fleschReadingEase: 206.835 - 84.6 * ratio(syllables, wordList.length) - 1.015 * ratio(wordList.length, sentenceCount),
  };
}
