/**
 * @packageDocumentation
 * Maps one typed token to the canonical lexicon word(s) it stands for: exact, variant spelling,
 * stretched letters ("jaaaa"), Dutch y/ij, glued words ("nietecht"), then fuzzy matching with
 * natural's Jaro-Winkler and Damerau-Levenshtein distances.
 *
 * @remarks Fuzzy matching only touches tokens that are no known word (a lexicon word or one of
 * natural's Dutch/English stopwords), of 4+ letters, and gives up when two candidates with
 * different meanings are equally close: a typo must never turn "agree" into "disagree".
 */
import JaroWinklerDistance from 'natural/lib/natural/distance/jaro-winkler_distance';
import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/levenshtein_distance';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords';
import { words as dutchStopwords } from 'natural/lib/natural/util/stopwords_nl';
import type { LexiconEntry, LexiconRow } from './lexiconEntry';
import { SPELLING_VARIANTS } from './lexicon';

export interface ResolvedWord {
  /** Canonical words; empty for an unknown token (see `unknown`). */
  readonly words: readonly string[];
  /** How sure the spelling repair is: 1 = typed exactly as in the lexicon. */
  readonly quality: number;
  /** The token is no word we know: it carries content we could not read. */
  readonly unknown: boolean;
}

interface FuzzyTarget {
  readonly word: string;
  readonly meaning: string;
}

const QUALITY = { exact: 1, variant: 0.97, stretched: 0.95, respelled: 0.93, glued: 0.9 } as const;
const MIN_FUZZY_LENGTH = 4;
const GLUE_CLITICS: ReadonlySet<string> = new Set(['ik', 'k', 't']);
const MIN_JARO_WINKLER = 0.84;

/** Same letters in another order ("vaka"), or one vowel for another ("sums" for "soms"). */
function swappedOrVowel(token: string, target: string): boolean {
  if ([...token].sort().join('') === [...target].sort().join('')) return true;
  if (token.length !== target.length) return false;
  const differing = [...token].flatMap((ch, k) => (ch === target[k] ? [] : [[ch, target[k]]]));
  return differing.length === 1 && differing.every(([a, b]) => /[aeiouy]/.test(a) && /[aeiouy]/.test(b));
}

/** Collapses letter runs: "jaaaa" → "ja", "nooooit" → "noit". */
const squeeze = (word: string): string => word.replace(/(.)\1+/g, '$1');

export class WordResolver {
  private readonly known: ReadonlySet<string>;
  private readonly stopwords: ReadonlySet<string>;
  private readonly meaningful: ReadonlySet<string>;
  private readonly squeezed: ReadonlyMap<string, string | null>;
  private readonly fuzzyTargets: ReadonlyMap<string, readonly FuzzyTarget[]>;
  private readonly cache = new Map<string, ResolvedWord>();

  constructor(
    rows: readonly LexiconRow[],
    singleEntries: ReadonlyMap<string, LexiconEntry>,
    private readonly cacheSize: number,
  ) {
    const lexiconWords = new Set<string>();
    for (const row of rows) for (const w of row.words.split(' ')) lexiconWords.add(w);
    const stopwords = [...dutchStopwords, ...englishStopwords].map((w) => w.trim()).filter((w) => /^[a-z]+$/.test(w));
    this.known = new Set([...lexiconWords, ...stopwords]);
    this.stopwords = new Set(stopwords);
    // Words that say something for the reading (not fillers, not content): the only targets worth a
    // repair. Yes/no particles are left out: a short real word one letter off ("nemen", "neem")
    // must never become "neen".
    const repairable = (entry: LexiconEntry | undefined): boolean =>
      entry?.role !== 'filler' && entry?.role !== 'content' && !(entry?.role === 'answer' && entry.weight === 'particle');
    this.meaningful = new Set([...lexiconWords].filter((w) => repairable(singleEntries.get(w))));

    const squeezed = new Map<string, string | null>();
    const stretchable = [...lexiconWords].filter((w) => !['filler', 'content'].includes(singleEntries.get(w)?.role ?? ''));
    for (const word of stretchable) {
      const key = squeeze(word);
      const previous = squeezed.get(key);
      squeezed.set(key, previous === undefined || previous === word ? word : null);
    }
    this.squeezed = squeezed;

    const targets = new Map<string, FuzzyTarget[]>();
    for (const word of this.meaningful) {
      if (word.length < MIN_FUZZY_LENGTH || !/^[a-z]+$/.test(word)) continue;
      const entry = singleEntries.get(word);
      // A short command word is too easily reached from a real word ("bazig" is no "bezig"); their
      // usual misspellings are listed as variants instead.
      if (entry?.role === 'intent' && word.length < 8) continue;
      const meaning = entry ? JSON.stringify(entry) : `phrase:${word}`;
      const list = targets.get(word[0]) ?? [];
      list.push({ word, meaning });
      targets.set(word[0], list);
    }
    this.fuzzyTargets = targets;
  }

  /** True for one of natural's Dutch or English stopwords (grammar, not content). */
  isStopword(word: string): boolean {
    return this.stopwords.has(word);
  }

  /** True for a word the lexicon or the stopword lists know. */
  isKnown(word: string): boolean {
    return this.known.has(word);
  }

  resolve(token: string): ResolvedWord {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const resolved = this.resolveUncached(token);
    // A bounded cache: replies repeat a lot ("ja", "nee"); a flood of new words must not grow memory.
    if (this.cache.size >= this.cacheSize) this.cache.clear();
    this.cache.set(token, resolved);
    return resolved;
  }

  private resolveUncached(token: string): ResolvedWord {
    const direct = this.resolveDirect(token);
    if (direct) return direct;
    const glued = this.splitGlued(token);
    if (glued) return glued;
    const fuzzy = this.fuzzy(token);
    if (fuzzy) return fuzzy;
    return { words: [token], quality: 1, unknown: true };
  }

  /** Exact, variant, stretched or respelled; no guessing. */
  private resolveDirect(token: string): ResolvedWord | null {
    const variant = SPELLING_VARIANTS[token];
    if (variant !== undefined)
      return { words: variant.split(' '), quality: token === variant ? QUALITY.exact : QUALITY.variant, unknown: false };
    if (this.known.has(token)) return { words: [token], quality: QUALITY.exact, unknown: false };
    if (/^(num|rng|numout)\d+$/.test(token)) return { words: [token], quality: QUALITY.exact, unknown: false };
    const shortened = token.replace(/(.)\1{2,}/g, '$1$1');
    if (shortened !== token) {
      const again = this.resolveDirect(shortened);
      if (again) return { ...again, quality: Math.min(again.quality, QUALITY.stretched) };
    }
    const squeezedWord = this.squeezed.get(squeeze(token));
    if (squeezedWord) return { words: [squeezedWord], quality: QUALITY.stretched, unknown: false };
    // Dutch learners and texters write "y" or "ei" for "ij" (altyd, zeiker).
    for (const respelled of [token.replace(/y/g, 'ij'), token.replace(/ei/g, 'ij'), token.replace(/ij/g, 'ei')]) {
      if (respelled !== token && this.meaningful.has(respelled)) return { words: [respelled], quality: QUALITY.respelled, unknown: false };
    }
    return null;
  }

  /** Only exact words and listed variants: parts of a glued word are not repaired further. */
  private resolveStrict(part: string, leftmost = false): ResolvedWord | null {
    // Short parts only as clitics ("weetiknie", "kweet", "tis"): "nieuw" is no "nie uw", "foutje"
    // no "fout je", "belt" no "bel het".
    if (part.length < 3 && part !== 'ik' && !(leftmost && GLUE_CLITICS.has(part))) return null;
    const variant = SPELLING_VARIANTS[part];
    if (variant !== undefined) return { words: variant.split(' '), quality: QUALITY.variant, unknown: false };
    return this.known.has(part) ? { words: [part], quality: QUALITY.exact, unknown: false } : null;
  }

  /** "nietecht" → niet echt, "bestwel" → best wel, "weetiknie" → weet ik niet. */
  private splitGlued(token: string, depth = 0): ResolvedWord | null {
    if (token.length < 5 || depth > 1) return null;
    for (let i = 2; i <= token.length - 2; i++) {
      const left = this.resolveStrict(token.slice(0, i), depth === 0);
      if (!left) continue;
      const right = this.resolveStrict(token.slice(i)) ?? this.splitGlued(token.slice(i), depth + 1);
      if (!right || right.unknown) continue;
      const words = [...left.words, ...right.words];
      if (!words.some((w) => this.meaningful.has(w))) continue;
      return { words, quality: Math.min(left.quality, right.quality, QUALITY.glued), unknown: false };
    }
    return null;
  }

  private fuzzy(token: string): ResolvedWord | null {
    if (token.length < MIN_FUZZY_LENGTH || !/^[a-z]+$/.test(token)) return null;
    const maxDistance = token.length >= 7 ? 2 : 1;
    let best: { target: FuzzyTarget; distance: number; similarity: number } | null = null;
    let tied = false;
    for (const target of this.fuzzyTargets.get(token[0]) ?? []) {
      if (Math.abs(target.word.length - token.length) > maxDistance) continue;
      // Four letters leave no room for a changed letter ("belt" is no "best", "rest" no "reset"):
      // only a swapped pair or a missing letter is repaired.
      if (token.length === 4 && target.word.length <= 4 && !swappedOrVowel(token, target.word)) continue;
      const similarity = JaroWinklerDistance(token, target.word);
      if (similarity < MIN_JARO_WINKLER) continue;
      const distance = DamerauLevenshteinDistance(token, target.word);
      if (distance > maxDistance) continue;
      if (!best || distance < best.distance || (distance === best.distance && similarity > best.similarity)) {
        tied =
          best !== null &&
          distance === best.distance &&
          best.target.meaning !== target.meaning &&
          Math.abs(similarity - best.similarity) < 0.02;
        best = { target, distance, similarity };
      } else if (distance === best.distance && target.meaning !== best.target.meaning && Math.abs(similarity - best.similarity) < 0.02) {
        tied = true;
      }
    }
    if (!best || tied) return null;
    const quality = (best.distance === 1 ? 0.88 : 0.78) * best.similarity;
    return { words: [best.target.word], quality, unknown: false };
  }
}
