/**
 * @packageDocumentation
 * Turns a typed reply into clauses of plain lower-case ASCII tokens: emoji and emoticons become
 * words, numbers become `numN` / `rngLH` / `numoutN` tokens, diacritics and apostrophes go.
 *
 * @remarks Punctuation ends a clause, so negation never reaches across "nee, altijd".
 */
import AggressiveTokenizerNl from 'natural/lib/natural/tokenizers/aggressive_tokenizer_nl';
import type { Locale } from '../../vocabulary';
import { EMOJI_WORDS, EMOTICONS } from './lexicon';

/** Longest reply that is read; the rest of a rambling message is ignored. */
export const MAX_REPLY_LENGTH = 500;

export interface PreparedReply {
  /** Tokens per clause (split on punctuation and new lines). */
  readonly clauses: readonly (readonly string[])[];
  readonly hasQuestionMark: boolean;
}

const tokenizer = new AggressiveTokenizerNl();

const EMOJI_LOOKUP: ReadonlyMap<string, string> = new Map(EMOJI_WORDS);
// Variation selectors, zero-width joiners and skin tones only change how an emoji looks.
// eslint-disable-next-line no-misleading-character-class -- each code point is removed on its own, by design
const EMOJI_DECORATION = /[\uFE0E\uFE0F\u200D\u{1F3FB}-\u{1F3FF}]/gu;
const PICTOGRAPH = /\p{Extended_Pictographic}/gu;
const DIACRITIC = /[\u0300-\u036f]/g;
const ONE_WITH_ACCENTS = /(^|[^\p{L}])(één|eén|éen|ééntje)(?=$|[^\p{L}])/gu;

/** Cuts at `max` UTF-16 units without splitting a surrogate pair. */
export function capLength(text: string, max: number = MAX_REPLY_LENGTH): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function scaleToken(value: number): string {
  return value >= 1 && value <= 5 ? ` num${value} ` : ` numout${Math.min(99, Math.max(0, value))} `;
}

/** "7/10" → 4, "4/5" → 4, "3 out of 5" → 3: a mark on another scale mapped onto 1..5. */
function fractionToken(numerator: number, denominator: number): string {
  if (denominator <= 0 || numerator > denominator) return ` ${numerator} ${denominator} `;
  if (numerator === denominator && denominator !== 5 && denominator !== 10) return ' num3 '; // "50/50"
  if (denominator === 5) return scaleToken(numerator);
  return scaleToken(Math.max(1, Math.ceil((numerator / denominator) * 5)));
}

/** "4 of 5", "3-4", "3,5": between two values; read as the one nearer the middle. */
function rangeToken(a: number, b: number): string {
  const low = Math.min(a, b);
  const high = Math.max(a, b);
  return low === high ? scaleToken(low) : ` rng${low}${high} `;
}

/** Units after a number make it a count or a time ("om 3 uur", "2 jaar", "3 keer"), not a mark. */
const NUMBER_UNITS = [
  'uur',
  'u',
  'jaar',
  'jaren',
  'maand',
  'maanden',
  'week',
  'weken',
  'dag',
  'dagen',
  'keer',
  'keren',
  'minuten',
  'min',
  'euro',
  'kinderen',
  'kids',
  'years?',
  'months?',
  'weeks?',
  'days?',
  'times',
  'hours?',
  'minutes?',
  'euros?',
  'pm',
  'am',
].join('|');

function rewriteNumbers(text: string, locale: Locale): string {
  // "of" is "or" in Dutch ("4 of 5") but "out of" in English ("4 of 5").
  const fractionWords = locale === 'en' ? '\\/|out of|of|van de|op|uit' : '\\/|van de|op|uit|out of';
  const rangeWords = locale === 'en' ? '-|–|or|a|to|tot|of' : '-|–|of|or|a|tot|to|en';
  return text
    .replace(/\b50\s*[-/ ]\s*50\b/g, ' num3 ')
    .replace(/\b(om|at|around|rond)\s+\d{1,2}(?:[.:]\d{2})?\b/g, ' $1 numunit ')
    .replace(new RegExp(`\\b\\d{1,4}\\s*(${NUMBER_UNITS})\\b`, 'g'), ' numunit $1 ')
    .replace(/(\d{1,3})\s*(?:%|procent|percent)/g, (_m, p: string) => scaleToken(1 + Math.round(Math.min(100, Number(p)) / 25)))
    .replace(/\b([1-5])\s*\/\s*([1-5])\b(?!\s*\/)/g, (_m, a: string, b: string) =>
      b === '5' ? scaleToken(Number(a)) : rangeToken(Number(a), Number(b)),
    )
    .replace(new RegExp(`\\b(\\d{1,3})\\s*(?:${fractionWords})\\s*(\\d{1,3})\\b`, 'g'), (_m, a: string, b: string) =>
      fractionToken(Number(a), Number(b)),
    )
    .replace(new RegExp(`\\b([1-5])\\s*(?:${rangeWords})\\s*([1-5])\\b`, 'g'), (_m, a: string, b: string) =>
      rangeToken(Number(a), Number(b)),
    )
    .replace(/\b([1-4])[.,]5\b/g, (_m, a: string) => rangeToken(Number(a), Number(a) + 1))
    .replace(/\b(\d{1,2})(?:e|de|ste|tje|je)?\b/g, (_m, d: string) => scaleToken(Number(d)));
}

/** Normalises and tokenises one reply (already capped) into clauses. */
export function prepareReply(text: string, locale: Locale): PreparedReply {
  let working = text;
  for (const [pattern, word] of EMOTICONS) working = working.replace(pattern, word);
  working = working.toLowerCase().replace(ONE_WITH_ACCENTS, '$1 eennum ').replace(EMOJI_DECORATION, '');
  working = working.replace(PICTOGRAPH, (emoji) => ` ${EMOJI_LOOKUP.get(emoji) ?? 'emojiother'} `);
  // Symbols outside the pictograph class that we still map (♥, ✔, ☑ …).
  for (const [emoji, word] of EMOJI_WORDS) if (working.includes(emoji)) working = working.split(emoji).join(` ${word} `);
  working = working
    .normalize('NFD')
    .replace(DIACRITIC, '')
    .replace(/\bn\s*\/\s*a\b|\bn\.v\.t\.?/g, ' nvt ')
    .replace(/['’`´‘]/g, '');
  working = rewriteNumbers(working, locale).replace(/[-_–—]+/g, ' ');
  const clauses: string[][] = [];
  for (const part of working.split(/[.,;:!?¿¡()[\]{}"“”\n\r]+/)) {
    const tokens = tokenizer.tokenize(part).filter((t) => t.length > 0);
    if (tokens.length > 0) clauses.push(tokens);
  }
  return { clauses, hasQuestionMark: text.includes('?') };
}
