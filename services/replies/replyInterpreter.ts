/**
 * @packageDocumentation
 * Reads a typed chat reply to a 5-point question: a value on the scale, a wish about the
 * conversation (skip, back, pause, help, restart, settings), a remark or "unknown", with a confidence.
 *
 * @remarks Pipeline: normalise (emoji, numbers, diacritics) → repair each word (variants,
 * stretched letters, glued words, fuzzy match) → match lexicon phrases → read negation and
 * intensifiers per clause → weigh the cues. Conflicting cues ("ja … nooit") never pick a side:
 * they give the middle with a low confidence so the bot asks. Pure domain, no I/O.
 */
import JaroWinklerDistance from 'natural/lib/natural/distance/jaro-winkler_distance';
import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/levenshtein_distance';
import {
  CLAUSE_BREAKERS,
  FUNCTION_WORDS,
  LEXICON_ROWS,
  NEGATOR_WORDS,
  QUESTION_SUBJECTS,
  QUESTION_VERBS,
  QUESTION_WORDS,
} from './lexicon/lexicon';
import type { AnswerEntry, LexiconEntry, LexiconRow, SettingKind } from './lexicon/lexiconEntry';
import { MAX_REPLY_LENGTH, capLength, prepareReply } from './lexicon/replyText';
import { WordResolver } from './lexicon/wordResolver';
import type { Locale, ScaleValue } from '../vocabulary';

/**
 * What a reply is.
 *
 * - `answer`: a value on the 1..5 scale (`value` is set).
 * - `skip`: no answer for this item: "weet ik niet", "geen idee", and refusals such as "daar wil
 *   ik niks over zeggen" or "liever niet" (never read as "no").
 * - `back`, `pause`, `help`, `restart`, `settings`: a wish about the conversation.
 * - `remark`: free text that reads as a comment rather than an answer: several words, at least
 *   one of them about something (not only greetings or fillers), and no clear scale signal or
 *   command ("ik voel me niet gehoord", "meer tijd nemen", "niet zo streng zijn", "the weather
 *   is nice"). The dialogs ask "Is dit je antwoord of een opmerking?"; when the words also
 *   suggest a value ("ik voel me niet gehoord" ~ 1) that value is the first alternative.
 * - `unknown`: nothing to go on: empty, chatter ("hallo", "haha"), a question to the bot, a
 *   lone unreadable word, or a mark outside 1..5 ("8").
 */
export type ReplyKind = 'answer' | 'skip' | 'back' | 'pause' | 'help' | 'restart' | 'settings' | 'remark' | 'unknown';

/** One way to read a reply. `value` is set only for `answer`, `setting` only for `settings`. */
export interface ReplyReading {
  kind: ReplyKind;
  value: ScaleValue | null;
  /** 0..1: how likely this reading is right (calibrated on `nlu/replies.tsv`). */
  confidence: number;
  setting?: 'language' | 'simpleWords';
}

/** The best reading of a reply, with the next most likely readings, best first. */
export interface Interpretation extends ReplyReading {
  /** The reply as received (capped at {@link MAX_REPLY_LENGTH} characters). */
  text: string;
  alternatives: ReplyReading[];
}

export interface InterpretOptions {
  /**
   * Texts of the five answer buttons of the current question (index 0 = value 1), e.g. from the
   * item bank. A reply equal to a label, or a near miss of one, maps to that label's value.
   */
  scaleLabels?: readonly string[];
}

export interface ReplyInterpreterOptions {
  /** How many repaired words to remember (default 5000). */
  wordCacheSize?: number;
}

/**
 * Below this confidence the bot asks, offering the top two readings as buttons.
 *
 * @remarks Chosen from the threshold sweep of `npm run nlu:eval` (see `nlu/README.md`): 0.75 is the
 * lowest threshold at which no answer that must not be stored unasked is stored on the train split
 * (14 at 0.55, where the hedges "mwah" and "redelijk" sit; 1 from 0.60 to 0.70: "ze vergeet steeds
 * onze afspraak" read as 5 at 0.73). It asks about 16 of 910 right train answers (1.8%): mixed
 * particles ("ja ok"), a lone "een", repaired typos. 0.90 would ask about 85 and catch nothing more.
 * The real misreads of the blind rounds had confidences up to 0.96: no threshold separates those,
 * lexicon rules do.
 */
export const CONFIDENCE_THRESHOLD = 0.75;

export { MAX_REPLY_LENGTH };

/** A word or phrase found in the reply, in order. */
interface Item {
  readonly entry: LexiconEntry | null;
  readonly quality: number;
  readonly position: number;
  /** A phrase with a negator in it ("denk het niet") also negates what follows it. */
  readonly carriesNegation: boolean;
  readonly words: readonly string[];
}

interface Cue {
  readonly kind: Exclude<ReplyKind, 'unknown'>;
  readonly value: ScaleValue | null;
  readonly setting?: SettingKind;
  readonly strength: number;
  readonly quality: number;
  readonly position: number;
  readonly base: number;
  /** A middle reading that leans one way ("niet altijd" = 3, leaning to 4). */
  readonly lean?: ScaleValue;
  /** From a judgement word ("goed"): gives way to a frequency or degree word. */
  readonly evaluative?: boolean;
  /** From an emoji: beside words it only colours them. */
  readonly emoji?: boolean;
  /** From a negator alone or a phrase built on one ("niet", "niet zo"): about content, if the clause has any. */
  readonly fromNegation?: boolean;
  /** From a particle ("ja", "ok"). */
  readonly particle?: boolean;
  /** From an amount word ("veel", "weinig"). */
  readonly quantity?: boolean;
  /** In a clause after "maar" / "but". */
  readonly afterBut?: boolean;
  readonly clause: number;
}

/** What the clauses of a reply say beyond their cues: content, wishes, refusals, question form. */
interface ReplyShape {
  /** Clause numbers with a content word (an unread word or a known word that is about something). */
  readonly contentClauses: ReadonlySet<number>;
  /** The reply has content not about the relationship ("bus", "weer", an unread word). */
  readonly otherContent: number;
  /** The reply has a word about the relationship ("luistert", "helpt", "begeleider"). */
  readonly relationshipContent: boolean;
  /** Clauses that wish for a change ("meer tijd nemen", "dat ze luistert"). */
  readonly wishClauses: ReadonlySet<number>;
  /** Clauses that refuse to answer ("daar wil ik niks over zeggen"). */
  readonly refusalClauses: ReadonlySet<number>;
  /** Clauses that thank ("thank you so much"). */
  readonly thanksClauses: ReadonlySet<number>;
  /** "wat …", "hoe …": a question to the bot. */
  readonly whQuestion: boolean;
  /** "kan ik …", "is dit …", or a question mark. */
  readonly question: boolean;
  /** "moet dit echt", "is dit anoniem": a yes/no question to the bot. */
  readonly verbFirstQuestion: boolean;
  readonly words: number;
}

/** How much a cue settles the reading; a stronger cue outranks weaker ones. */
const STRENGTH = { emoji: 0.9, particle: 1, graded: 2, digit: 3, skip: 3, intent: 3.5, label: 5 } as const;
/** Confidence of a cue before repairs, conflicts and unread words lower it. */
const BASE = {
  label: 0.99,
  digit: 0.98,
  intent: 0.97,
  graded: 0.96,
  particle: 0.94,
  refusal: 0.9,
  remark: 0.8,
  hedge: 0.55,
  leaning: 0.5,
  article: 0.72,
} as const;
const ENGLISH_WANT_BEFORE = new Set(['i', 'you', 'we', 'they', 'dont', 'doesnt', 'didnt', 'to', 'really', 'just', 'she', 'he']);
const HELP_WORDS = new Set(['help', 'hulp', 'helpen']);
const BACK_WORDS = new Set(['terug', 'back']);
/** "ik voel me niet vrij om te praten" describes a feeling, it refuses nothing. */
const FEELING_WORDS = new Set(['voel', 'voelt', 'feel', 'feels']);
const THANKS_WORDS = new Set(['thank', 'thanks', 'thx', 'bedankt', 'dank', 'merci', 'dankjewel']);
const THANKS_AMOUNTS = new Set(['much', 'a lot', 'lots', 'very much', 'veel', 'heel veel', 'heel erg', 'erg', 'so much', 'really']);
const THIRD_PERSON = new Set(['hij', 'zij', 'ze', 'she', 'he', 'they']);
/** Yes/no words: "echt nee hoor" is not "very no". */
const YES_NO_WORDS = new Set(['nee', 'no', 'ja', 'yes', 'nope', 'neen', 'welnee', 'yeah']);
/** Words that turn a following "meer" / "more" into "anymore" rather than a wish ("nooit meer"). */
const NOT_A_WISH_AFTER = new Set(['niet', 'nooit', 'geen', 'not', 'never', 'no', 'any', 'dont', 'nie']);
/** Words that make "liever" and the like a refusal together with a verb of saying. */
const REFUSAL_WORDS = new Set(['liever', 'rather', 'prefer', 'wont', 'niks', 'niets', 'nothing']);
/** "dat ze …", "that she …" at the start: a wish, not an answer. */
const WISH_OPENERS = new Set(['dat', 'als', 'that', 'if']);
const WISH_SUBJECTS = new Set([
  'ze',
  'zij',
  'hij',
  'je',
  'jij',
  'we',
  'wij',
  'ik',
  'u',
  'jullie',
  'mijn',
  'de',
  'she',
  'he',
  'they',
  'you',
  'we',
  'i',
  'my',
  'the',
]);
/** After "waar" / "wat" these are no question ("waar hoor" = true). */
const NOT_A_QUESTION_AFTER = new Set(['hoor', 'ja', 'joh', 'zeker', 'wel', 'echt', 'helemaal', 'yes', 'indeed']);

/** Words that negate what follows; a phrase holding one ("denk het niet") negates onward too. */
const NEGATORS: ReadonlySet<string> = new Set(NEGATOR_WORDS);
/** Words after which "een" / "one" is the number ("cijfer een"). */
const NUMBER_PROMPTS = new Set([
  'cijfer',
  'nummer',
  'optie',
  'score',
  'geef',
  'punt',
  'antwoord',
  'number',
  'option',
  'answer',
  'give',
  'is',
]);
/** Any word of no / not, for comparing a reply with a button label. */
const NEGATION_WORDS: ReadonlySet<string> = new Set([...NEGATOR_WORDS, 'no', 'nee', 'never', 'nooit']);

const isAnswer = (entry: LexiconEntry | null): entry is AnswerEntry => entry?.role === 'answer';
const clampScale = (n: number): ScaleValue => (n <= 1 ? 1 : n >= 5 ? 5 : (Math.round(n) as ScaleValue));
const side = (v: ScaleValue): -1 | 0 | 1 => (v <= 2 ? -1 : v >= 4 ? 1 : 0);
const round2 = (n: number): number => Math.round(n * 100) / 100;

/** "niet X": 5 → 1, 4 → 2, 3 → 3, and "niet slecht" → 4 rather than 5. */
const mirror = (v: ScaleValue): ScaleValue => (v >= 3 ? clampScale(6 - v) : 4);

interface ReadingKeyed extends ReplyReading {
  readonly key: string;
}

const readingKey = (r: Pick<ReplyReading, 'kind' | 'value' | 'setting'>): string => `${r.kind}:${r.value ?? ''}:${r.setting ?? ''}`;

/**
 * Interprets typed replies. Build one per process: construction indexes the lexicon (a few ms),
 * after which `interpret` takes microseconds.
 */
export class ReplyInterpreter {
  private readonly singles = new Map<string, LexiconEntry>();
  private readonly phrasesByFirstWord = new Map<string, { words: readonly string[]; row: LexiconRow }[]>();
  private readonly resolver: WordResolver;
  private readonly labelCache = new Map<string, readonly string[]>();

  constructor(options: ReplyInterpreterOptions = {}) {
    for (const row of LEXICON_ROWS) {
      const words = row.words.split(' ');
      if (words.length === 1) {
        // First row wins: intents and answers are listed before fillers of the same spelling.
        if (!this.singles.has(words[0])) this.singles.set(words[0], row.entry);
      } else {
        const list = this.phrasesByFirstWord.get(words[0]) ?? [];
        list.push({ words, row });
        this.phrasesByFirstWord.set(words[0], list);
      }
    }
    for (const list of this.phrasesByFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);
    this.resolver = new WordResolver(LEXICON_ROWS, this.singles, options.wordCacheSize ?? 5000);
  }

  /**
   * Reads one reply.
   *
   * @param text - what the client typed; only the first {@link MAX_REPLY_LENGTH} characters count.
   * @param locale - the conversation language; both languages are understood, the locale only
   *   decides ambiguous number phrases ("4 of 5" is "4 or 5" in Dutch, "4 out of 5" in English).
   * @param options - the current question's button labels, if any.
   */
  interpret(text: string, locale: Locale, options: InterpretOptions = {}): Interpretation {
    const capped = capLength(typeof text === 'string' ? text : '', MAX_REPLY_LENGTH);
    const { items, clauseOf, unread } = this.read(capped, locale);
    const shape = this.shapeOf(items, clauseOf, capped.includes('?'));
    const label = options.scaleLabels ? this.matchLabel(items, options.scaleLabels, locale) : null;
    const { cues, hints } = label
      ? { cues: [...this.cuesFrom(items, clauseOf, unread), label], hints: [] }
      : this.screen(this.cuesFrom(items, clauseOf, unread), items, shape);
    const outOfRange = items.flatMap((it) => it.words).find((w) => /^numout\d+$/.test(w));
    const decided = this.decide(
      cues,
      items.length,
      unread + shape.otherContent,
      shape,
      hints,
      outOfRange,
      label !== null && label.quality === 1,
    );
    return { text: capped, ...decided };
  }

  /** Content, wishes, refusals and question form, per clause. */
  private shapeOf(items: readonly Item[], clauseOf: readonly number[], hasQuestionMark: boolean): ReplyShape {
    const contentClauses = new Set<number>();
    const wishClauses = new Set<number>();
    const refusalClauses = new Set<number>();
    const speechClauses = new Set<number>();
    const negationClauses = new Set<number>();
    const thirdPersonClauses = new Set<number>();
    const thanksClauses = new Set<number>();
    let otherContent = 0;
    let relationshipContent = false;
    const words = items.flatMap((it) => it.words);
    items.forEach((item, i) => {
      const entry = item.entry;
      const clause = clauseOf[i];
      const word = item.words[0];
      if (entry === null || entry.role === 'content' || entry.role === 'speech') contentClauses.add(clause);
      if (entry === null || (entry.role === 'content' && !entry.relationship && !entry.lexical)) otherContent++;
      if ((entry?.role === 'content' && entry.relationship) || entry?.role === 'speech') relationshipContent = true;
      if (entry?.role === 'speech' || (word === 'hebben' && items.some((it, k) => clauseOf[k] === clause && it.words[0] === 'over')))
        speechClauses.add(clause);
      if (entry?.role === 'negator' || item.carriesNegation || REFUSAL_WORDS.has(word)) negationClauses.add(clause);
      // "hij doet niet wat hij zegt" is about someone else, not a refusal by the client.
      if (THIRD_PERSON.has(word) || FEELING_WORDS.has(word)) thirdPersonClauses.add(clause);
      if (THANKS_WORDS.has(word)) thanksClauses.add(clause);
      if (entry?.role === 'wish') {
        const before = i > 0 && clauseOf[i - 1] === clause ? items[i - 1].words[items[i - 1].words.length - 1] : '';
        // Dutch "meer" closing a clause is "anymore" ("geen tijd meer"); English "more" there is a wish ("listen to me more").
        const closesClause = word === 'meer' && (i + 1 >= items.length || clauseOf[i + 1] !== clause);
        if (!NOT_A_WISH_AFTER.has(before) && !closesClause) wishClauses.add(clause);
      }
    });
    for (const clause of speechClauses) if (negationClauses.has(clause) && !thirdPersonClauses.has(clause)) refusalClauses.add(clause);
    if (items.length >= 2 && WISH_OPENERS.has(items[0].words[0]) && WISH_SUBJECTS.has(items[1].words[0])) wishClauses.add(clauseOf[0]);
    const [first = '', second = ''] = words;
    const secondEntry = items[1]?.entry;
    // "waar, maar niet altijd": a question word alone in its clause is no question.
    const sameClause = items.length >= 2 && clauseOf[0] === clauseOf[1];
    const whQuestion =
      sameClause && QUESTION_WORDS.has(first) && !NOT_A_QUESTION_AFTER.has(second) && !(secondEntry && secondEntry.role === 'answer');
    const verbFirstQuestion = sameClause && QUESTION_VERBS.has(first) && QUESTION_SUBJECTS.has(second);
    const question = whQuestion || verbFirstQuestion || hasQuestionMark;
    return {
      verbFirstQuestion,
      contentClauses,
      otherContent,
      relationshipContent,
      wishClauses,
      refusalClauses,
      thanksClauses,
      whQuestion,
      question,
      words: new Set(words.filter((w) => !w.startsWith('emoji'))).size,
    };
  }

  /**
   * Drops cues that are not about the scale: negation of content ("ik voel me niet gehoord"),
   * wishes ("meer tijd nemen"), amounts of things ("weinig tijd"), judgement words about something
   * else ("het eten is lekker"), refusals ("daar wil ik niks over zeggen") and questions. What a
   * dropped cue would have meant is kept as a hint for a remark's alternatives.
   */
  private screen(cues: readonly Cue[], items: readonly Item[], shape: ReplyShape): { cues: Cue[]; hints: ScaleValue[] } {
    const hints: ScaleValue[] = [];
    const drop = (c: Cue): boolean => {
      if (c.kind === 'answer' && c.value !== null) hints.push(c.value);
      return false;
    };
    const isContent = (k: number): boolean => {
      const e = items[k]?.entry;
      return e === null || e?.role === 'content';
    };
    let kept = cues.filter((c) => {
      if (shape.wishClauses.has(c.clause)) return drop(c);
      if (shape.refusalClauses.has(c.clause) && c.kind === 'answer') return drop(c);
      if (c.fromNegation && shape.contentClauses.has(c.clause)) return drop(c);
      if (c.quantity && isContent(c.position + 1)) return drop(c);
      // "thank you so much", "heel erg bedankt": an amount of thanks, not of agreement.
      if (shape.thanksClauses.has(c.clause) && c.kind === 'answer' && THANKS_AMOUNTS.has(items[c.position]?.words.join(' ') ?? ''))
        return false;
      return true;
    });
    // A refusal counts as said last, so it outranks an answer word elsewhere in the reply.
    for (const clause of shape.refusalClauses)
      kept.push({ kind: 'skip', value: null, strength: STRENGTH.skip, quality: 1, position: items.length, base: BASE.refusal, clause });
    const answers = kept.filter((c) => c.kind === 'answer');
    const offTopic = shape.otherContent > 0 && !shape.relationshipContent;
    if (offTopic && answers.length > 0 && answers.every((c) => c.evaluative || c.emoji))
      kept = kept.filter((c) => c.kind !== 'answer' || drop(c));
    if (shape.whQuestion)
      kept = kept.filter((c) => c.kind === 'help' || c.kind === 'back' || c.kind === 'restart' || c.kind === 'settings');
    else if (shape.verbFirstQuestion) kept = kept.filter((c) => c.kind !== 'answer' || c.strength >= STRENGTH.digit);
    else if (shape.question) {
      // "ok?", "ja?": asking back, not answering.
      const weak = kept.filter((c) => c.kind === 'answer').every((c) => c.particle || c.emoji);
      kept = kept.filter((c) => c.kind !== 'answer' || !weak);
    }
    return { cues: kept, hints };
  }

  /** Tokens → repaired words → lexicon items (phrases longest first), with the clause of each. */
  private read(text: string, locale: Locale): { items: Item[]; clauseOf: number[]; unread: number } {
    const prepared = prepareReply(text, locale);
    const items: Item[] = [];
    const clauseOf: number[] = [];
    let unread = 0;
    prepared.clauses.forEach((tokens, clause) => {
      const words: string[] = [];
      const qualities: number[] = [];
      for (const token of tokens) {
        const resolved = this.resolver.resolve(token);
        if (resolved.unknown) unread++;
        for (const w of resolved.words) {
          words.push(w);
          qualities.push(resolved.unknown ? -1 : resolved.quality);
        }
      }
      let i = 0;
      while (i < words.length) {
        const phrase = this.matchPhrase(words, i);
        if (phrase) {
          const quality = Math.min(...phrase.indices.map((k) => qualities[k]));
          const carriesNegation = isAnswer(phrase.row.entry) && phrase.row.words.split(' ').some((w) => NEGATORS.has(w));
          items.push({ entry: phrase.row.entry, quality, position: i, carriesNegation, words: phrase.row.words.split(' ') });
          clauseOf.push(clause);
          i = phrase.end;
          continue;
        }
        const word = words[i];
        const entry = qualities[i] < 0 ? null : this.entryFor(word);
        items.push({ entry, quality: Math.max(0, qualities[i]), position: i, carriesNegation: false, words: [word] });
        // "maar" / "but" start a new clause: negation before them does not reach past them. English
        // "want" after a subject or negator ("i don't want to") is a verb, not Dutch "because".
        const englishWant = word === 'want' && i > 0 && ENGLISH_WANT_BEFORE.has(words[i - 1]);
        clauseOf.push(CLAUSE_BREAKERS.has(word) && !englishWant ? -1 : clause);
        i++;
      }
    });
    items.forEach((item, k) => {
      const previous = k > 0 && clauseOf[k - 1] === clauseOf[k] ? items[k - 1].entry : null;
      // "vaak genoeg", "goed genoeg": "enough" after an answer word is a degree, not "stop".
      if ((item.words[0] === 'genoeg' || item.words[0] === 'enough') && previous?.role === 'answer')
        items[k] = { ...item, entry: { role: 'filler' } };
      // "hij belt nooit terug", "mijn leven terug": "terug" after content words is no wish to go back.
      const contentBefore = items
        .slice(0, k)
        .some((it, j) => clauseOf[j] === clauseOf[k] && (it.entry === null || it.entry.role === 'content'));
      if (item.entry?.role === 'intent' && item.entry.kind === 'back' && BACK_WORDS.has(item.words.join(' ')) && contentBefore)
        items[k] = { ...item, entry: { role: 'content', relationship: true } };
      // "ik krijg geen hulp", "he doesn't help me": help that is missing is content, not a request.
      if (item.entry?.role === 'intent' && item.entry.kind === 'help' && HELP_WORDS.has(item.words[0]) && previous?.role === 'negator')
        items[k] = { ...item, entry: { role: 'content', relationship: true } };
    });
    // Renumber so that breaker words split clauses too.
    let current = 0;
    let last = -2;
    const clauses = clauseOf.map((c) => {
      if (c === -1) {
        current++;
        return -1;
      }
      if (c !== last) {
        current++;
        last = c;
      }
      return current;
    });
    return { items, clauseOf: clauses, unread };
  }

  private entryFor(word: string): LexiconEntry | null {
    const entry = this.singles.get(word);
    if (entry) return entry;
    const digit = /^num([1-5])$/.exec(word);
    if (digit) return { role: 'number', value: Number(digit[1]) as ScaleValue };
    if (/^(rng\d\d|numout\d+)$/.test(word)) return { role: 'filler' };
    if (!this.resolver.isKnown(word)) return null;
    // Grammar carries no meaning; a known word that is neither grammar nor a lexicon word is content.
    // Words known only from lexicon phrases ("vrij", "moeilijk") count as on topic.
    return FUNCTION_WORDS.has(word) || this.resolver.isStopword(word)
      ? { role: 'filler' }
      : { role: 'content', relationship: false, lexical: true };
  }

  private matchPhrase(words: readonly string[], start: number): { row: LexiconRow; end: number; indices: number[] } | null {
    const candidates = this.phrasesByFirstWord.get(words[start]);
    if (!candidates) return null;
    for (const { words: phrase, row } of candidates) {
      const indices = [start];
      let at = start + 1;
      let ok = true;
      for (let k = 1; k < phrase.length && ok; k++) {
        let gaps = 0;
        while (at < words.length && words[at] !== phrase[k] && row.gap && gaps < 3 && row.gap.includes(words[at])) {
          at++;
          gaps++;
        }
        if (at < words.length && words[at] === phrase[k]) {
          indices.push(at);
          at++;
        } else ok = false;
      }
      if (ok) return { row, end: at, indices };
    }
    return null;
  }

  /** Reads negation, intensifiers and downtoners inside each clause and turns items into cues. */
  private cuesFrom(items: readonly Item[], clauseOf: readonly number[], unread: number): Cue[] {
    const cues: Cue[] = [];
    const claimedNegators = new Set<number>();
    const actingAsIntensifier = new Set<number>();
    const actingAsModifier = new Set<number>();
    const sameClause = (a: number, b: number): boolean => clauseOf[a] === clauseOf[b] && clauseOf[a] !== -1;
    const isNegatorAt = (k: number): boolean => items[k].entry?.role === 'negator' || items[k].carriesNegation;
    const isIntensifierAt = (k: number): boolean => items[k].entry?.role === 'intensifier' || actingAsIntensifier.has(k);

    // Pass 1: "echt", "helemaal" strengthen a following graded word ("echt waar"); "best",
    // "fairly" only hedge it ("best vaak" = 4). Particles ("ja", "wel") are not strengthened.
    items.forEach((item, i) => {
      const entry = item.entry;
      if (!isAnswer(entry) || !(entry.intensifies || entry.modifier)) return;
      for (let j = i + 1; j < items.length && j <= i + 3 && sameClause(i, j); j++) {
        const next = items[j].entry;
        if (isAnswer(next) && next.weight === 'graded' && !items[j].carriesNegation && !YES_NO_WORDS.has(items[j].words[0])) {
          (entry.modifier ? actingAsModifier : actingAsIntensifier).add(i);
          return;
        }
        // "he really helps me a lot": a verb about the relationship may stand between.
        const passes =
          next?.role === 'content'
            ? (next.relationship || next.lexical === true) && !entry.modifier
            : ['negator', 'intensifier', 'filler', 'downtoner'].includes(next?.role ?? '');
        if (!next || !passes) return;
        if (entry.modifier && next.role !== 'filler') return;
      }
    });

    items.forEach((item, i) => {
      const entry = item.entry;
      if (!entry) return;
      if (entry.role === 'intent') {
        cues.push({
          kind: entry.kind,
          value: null,
          setting: entry.setting,
          strength: entry.kind === 'skip' ? STRENGTH.skip : STRENGTH.intent,
          quality: item.quality,
          position: i,
          base: BASE.intent,
          clause: clauseOf[i],
        });
        return;
      }
      if (entry.role === 'number') {
        if (entry.article) return; // decided at the end: "een" counts only when nothing else does
        const isDigit = item.words[0].startsWith('num');
        cues.push({
          kind: 'answer',
          value: entry.value,
          strength: isDigit ? STRENGTH.digit : STRENGTH.graded,
          quality: item.quality,
          position: i,
          base: isDigit ? BASE.digit : BASE.graded,
          clause: clauseOf[i],
        });
        return;
      }
      if (!isAnswer(entry) || actingAsIntensifier.has(i) || actingAsModifier.has(i) || claimedNegators.has(i)) return;
      const cue = this.answerCue(items, i, entry, { sameClause, isNegatorAt, isIntensifierAt, claimedNegators });
      if (cue) cues.push({ ...cue, clause: clauseOf[i] });
    });

    // Ranges ("4 of 5", "3,5"): the value nearer the middle, leaning to the other.
    items.forEach((item, i) => {
      const range = /^rng([1-5])([1-5])$/.exec(item.words[0]);
      if (!range) return;
      const [a, b] = [Number(range[1]), Number(range[2])] as ScaleValue[];
      const [value, lean] = Math.abs(a - 3) <= Math.abs(b - 3) ? [a, b] : [b, a];
      cues.push({
        kind: 'answer',
        value,
        lean,
        strength: STRENGTH.digit,
        quality: item.quality,
        position: i,
        base: BASE.leaning,
        clause: clauseOf[i],
      });
    });

    // Negators nobody claimed: "niet zo" = 2, "bijna niet" = 2, "niet" / "geen" alone = 1.
    items.forEach((item, i) => {
      if (item.entry?.role !== 'negator' || claimedNegators.has(i)) return;
      const next = i + 1 < items.length && sameClause(i, i + 1) ? items[i + 1].entry : null;
      const previous = i > 0 && sameClause(i, i - 1) ? items[i - 1].entry : null;
      const softened = next?.role === 'intensifier' || previous?.role === 'downtoner';
      cues.push({
        kind: 'answer',
        value: softened ? 2 : 1,
        strength: softened ? STRENGTH.graded : STRENGTH.particle,
        quality: item.quality,
        position: i,
        base: softened ? BASE.graded : BASE.particle,
        fromNegation: true,
        clause: clauseOf[i],
      });
    });

    // "een" / "one" is mostly an article: it counts as 1 only alone or after "cijfer", "nummer" …
    if (cues.length === 0 && unread <= 1) {
      const words = items.flatMap((it) => it.words);
      items.forEach((item, i) => {
        const after = i > 0 ? items[i - 1].words[items[i - 1].words.length - 1] : '';
        if (item.entry?.role === 'number' && item.entry.article && (words.length <= 2 || NUMBER_PROMPTS.has(after))) {
          cues.push({
            kind: 'answer',
            value: item.entry.value,
            strength: STRENGTH.graded,
            quality: item.quality,
            position: i,
            base: BASE.article,
            clause: clauseOf[i],
          });
        }
      });
    }
    // Clauses that follow "maar" / "but".
    const afterBut = new Set(clauseOf.flatMap((c, k) => (c === -1 && k + 1 < clauseOf.length ? [clauseOf[k + 1]] : [])));
    return cues.map((c) => (afterBut.has(c.clause) ? { ...c, afterBut: true } : c));
  }

  private answerCue(
    items: readonly Item[],
    i: number,
    entry: AnswerEntry,
    ctx: {
      sameClause: (a: number, b: number) => boolean;
      isNegatorAt: (k: number) => boolean;
      isIntensifierAt: (k: number) => boolean;
      claimedNegators: Set<number>;
    },
  ): Omit<Cue, 'clause'> | null {
    const item = items[i];
    const strength = entry.emoji ? STRENGTH.emoji : entry.weight === 'particle' ? STRENGTH.particle : STRENGTH.graded;
    let value: ScaleValue = entry.value;
    let lean: ScaleValue | undefined;
    let negAt = -1;
    let intAt = -1;
    let downAt = -1;
    // Look back up to four items in the same clause for a negator, intensifier or downtoner.
    for (let k = i - 1; k >= 0 && k >= i - 4 && ctx.sameClause(k, i); k--) {
      const e = items[k].entry;
      if (ctx.isNegatorAt(k)) {
        if (negAt < 0) negAt = k;
      } else if (ctx.isIntensifierAt(k)) {
        if (intAt < 0) intAt = k;
      } else if (e?.role === 'downtoner') {
        if (downAt < 0) downAt = k;
      } else if (
        e &&
        e.role !== 'filler' &&
        !(isAnswer(e) && e.modifier) &&
        !(e.role === 'content' && (e.relationship || e.lexical === true))
      )
        break;
      // Particles only take a negator right in front of them ("not ok"), never one further back.
      if (entry.weight === 'particle' && k === i - 1 && negAt < 0) break;
    }
    const intensifier = intAt >= 0 ? items[intAt].entry : null;
    const maximalIntensifier = isAnswer(intensifier) && intensifier.maximal === true;
    if (negAt >= 0 && !(entry.weight === 'particle' && negAt !== i - 1)) {
      ctx.claimedNegators.add(negAt);
      if (intAt > negAt) {
        // "niet zo vaak" = 2; "niet helemaal waar" = partly; "niet echt altijd" stays "not always".
        if (entry.negated === 3) [value, lean] = [3, entry.negatedLean];
        else if (entry.value >= 4) [value, lean] = maximalIntensifier ? [3, 2] : [2, undefined];
        else value = 3;
      } else if (intAt >= 0 && intAt < negAt) {
        // "helemaal niet waar", "echt niet goed" = 1.
        value = entry.value >= 4 ? 1 : entry.value === 3 ? 2 : (entry.negated ?? mirror(entry.value));
      } else {
        value = entry.negated ?? mirror(entry.value);
        if (value === 3 && entry.negatedLean) lean = entry.negatedLean;
      }
    } else if (downAt >= 0) {
      value = entry.value >= 4 ? 4 : entry.value <= 2 ? 2 : 3;
    } else {
      // "klopt niet", "meestal niet", "klopt helemaal niet", "echt helemaal niet": a negator after a graded word.
      let k = i + 1;
      const passable = (e: LexiconEntry | null): boolean =>
        e?.role === 'filler' || e?.role === 'intensifier' || (isAnswer(e) && e.intensifies === true);
      while (entry.weight === 'graded' && k < items.length && ctx.sameClause(k, i) && passable(items[k].entry) && k <= i + 2) k++;
      // A phrase built on a negator negates too: "meestal eigenlijk niet" = 2.
      const negatedAfter =
        entry.weight === 'graded' &&
        k < items.length &&
        ctx.sameClause(k, i) &&
        (items[k].entry?.role === 'negator' || items[k].carriesNegation);
      const scoped = negatedAfter && k + 1 < items.length && ctx.sameClause(k + 1, i) ? items[k + 1].entry : null;
      if (negatedAfter && isAnswer(scoped) && scoped.weight === 'graded' && items[k].entry?.role === 'negator') {
        // "klopt niet helemaal", "klopt niet altijd", "klopt niet echt": the negation is about the
        // word after it, which gives the reading ("niet helemaal" = partly); this word adds nothing.
        return null;
      }
      if (negatedAfter) {
        ctx.claimedNegators.add(k);
        value = entry.postNegated ?? (entry.value >= 4 ? clampScale(6 - entry.value) : entry.value);
        if (value === 3 && entry.negatedLean) lean = entry.negatedLean;
      } else if (intAt >= 0) {
        value = entry.intensified ?? (entry.value >= 4 ? 5 : entry.value <= 2 ? 1 : 3);
      }
    }
    const base =
      lean !== undefined ? BASE.leaning : entry.hedge ? BASE.hedge : strength === STRENGTH.particle ? BASE.particle : BASE.graded;
    return {
      kind: 'answer',
      value,
      lean,
      strength,
      quality: item.quality,
      position: i,
      base,
      evaluative: entry.evaluative === true,
      emoji: entry.emoji === true,
      particle: entry.weight === 'particle',
      quantity: entry.quantity === true,
      fromNegation: item.carriesNegation && negAt < 0,
    };
  }

  /** Exact or near match of the reply with one of the five button labels. */
  private matchLabel(items: readonly Item[], labels: readonly string[], locale: Locale): Cue | null {
    const reply = items.flatMap((it) => it.words);
    if (reply.length === 0) return null;
    const replyText = reply.join(' ');
    const signatures = labels.slice(0, 5).map((label) => this.labelSignature(label, locale));
    const exact = signatures.flatMap((sig, index) => (sig.full === replyText || sig.text === replyText ? [index] : []));
    if (exact.length === 1) {
      return {
        kind: 'answer',
        value: (exact[0] + 1) as ScaleValue,
        strength: STRENGTH.label,
        quality: 1,
        position: 0,
        base: BASE.label,
        clause: 0,
      };
    }
    if (exact.length > 1 || replyText.length < 4) return null;
    const negations = (words: readonly string[]): number => words.filter((w) => NEGATION_WORDS.has(w)).length;
    let best: { index: number; similarity: number } | null = null;
    let runnerUp = 0;
    for (const [index, sig] of signatures.entries()) {
      // A label with another count of "niet"/"not" is never a near miss ("helemaal (niet) waar").
      if (sig.text.length < 4 || negations(sig.textWords) !== negations(reply)) continue;
      const similarity = JaroWinklerDistance(replyText, sig.text);
      const allowed = Math.max(1, Math.floor(sig.text.length * 0.12));
      if (similarity < 0.9 || DamerauLevenshteinDistance(replyText, sig.text) > allowed) continue;
      if (!best || similarity > best.similarity) {
        runnerUp = best?.similarity ?? runnerUp;
        best = { index, similarity };
      } else runnerUp = Math.max(runnerUp, similarity);
    }
    if (!best || best.similarity - runnerUp < 0.02) return null;
    const found = best;
    return {
      kind: 'answer',
      value: (found.index + 1) as ScaleValue,
      strength: STRENGTH.label,
      quality: 0.9 * found.similarity,
      position: 0,
      base: BASE.label,
      clause: 0,
    };
  }

  private labelSignature(label: string, locale: Locale): { full: string; text: string; textWords: readonly string[] } {
    const key = `${locale}\u0000${label}`;
    let words = this.labelCache.get(key);
    if (!words) {
      words = this.read(capLength(label), locale).items.flatMap((it) => it.words);
      if (this.labelCache.size > 500) this.labelCache.clear();
      this.labelCache.set(key, words);
    }
    const textWords = words.filter((w) => !w.startsWith('emoji'));
    return { full: words.join(' '), text: textWords.join(' '), textWords };
  }

  /** Weighs the cues into one reading with a confidence and ranked alternatives. */
  private decide(
    initialCues: readonly Cue[],
    items: number,
    unread: number,
    shape: ReplyShape,
    hints: readonly ScaleValue[],
    outOfRange: string | undefined,
    exactLabel: boolean,
  ): Omit<Interpretation, 'text'> {
    let cues = initialCues;
    const hasQuestionMark = shape.question;
    const coverage = Math.max(0.5, 1 - 0.06 * unread);
    if (cues.length === 0) {
      const alternatives: ReadingKeyed[] = [];
      // Several words about something, no question and nothing on the scale: a comment.
      const remark =
        !outOfRange &&
        !shape.question &&
        shape.words >= 2 &&
        (hints.length > 0 || shape.contentClauses.size > 0 || shape.wishClauses.size > 0);
      if (remark) {
        const values = [...new Set(hints)];
        const confidence = hints.length > 0 || shape.wishClauses.size > 0 ? BASE.remark : BASE.remark - 0.05;
        values.forEach((value, k) =>
          alternatives.push({ key: '', kind: 'answer', value, confidence: round2((1 - confidence) * (0.7 - 0.2 * k)) }),
        );
        return { kind: 'remark', value: null, confidence, alternatives: alternatives.filter((a) => a.confidence > 0).map(strip) };
      }
      // Nothing typed at all is surely no answer; known words without a cue ("hallo") nearly so.
      let confidence = items === 0 ? 0.95 : unread > 0 ? 0.85 : 0.8;
      if (outOfRange) {
        const n = Number(outOfRange.slice('numout'.length));
        confidence = 0.5;
        if (n >= 6 && n <= 10) alternatives.push({ key: '', kind: 'answer', value: clampScale(Math.ceil(n / 2)), confidence: 0.4 });
      }
      if (hasQuestionMark) alternatives.push({ key: '', kind: 'help', value: null, confidence: round2((1 - confidence) * 0.6) });
      return { kind: 'unknown', value: null, confidence, alternatives: alternatives.map(strip) };
    }

    // "weet niet precies, soms": an answer in a later clause than the shrug is the answer.
    // The same for "soms snap ik niet wat ze bedoelt, maar meestal wel".
    const shrugs = (c: Cue): boolean => (c.kind === 'skip' && c.base !== BASE.refusal) || c.kind === 'help';
    const lastSkip = cues.filter(shrugs).reduce((m, c) => Math.max(m, c.clause), -1);
    const laterAnswer = cues.some((c) => c.kind === 'answer' && c.strength >= STRENGTH.graded && !c.evaluative && c.clause > lastSkip);
    if (lastSkip >= 0 && laterAnswer) {
      cues = cues.map((c) => (shrugs(c) ? { ...c, strength: STRENGTH.particle } : c.kind === 'answer' ? { ...c, base: c.base * 0.8 } : c));
    }
    const top = Math.max(...cues.map((c) => c.strength));
    const leaders = cues.filter((c) => c.strength === top);
    const lower = cues.filter((c) => c.strength < top);
    const intents = leaders.filter((c) => c.kind !== 'answer');
    const answers = leaders.filter((c) => c.kind === 'answer');
    const candidates = new Map<string, ReadingKeyed & { score: number }>();
    const suggest = (reading: Pick<ReplyReading, 'kind' | 'value' | 'setting'>, score: number): void => {
      const key = readingKey(reading);
      const existing = candidates.get(key);
      if (!existing || existing.score < score) candidates.set(key, { ...reading, key, confidence: 0, score });
    };

    let chosen: Pick<ReplyReading, 'kind' | 'value' | 'setting'>;
    let confidence: number;
    if (
      intents.length > 0 &&
      (answers.length === 0 || intents[intents.length - 1].position >= answers[answers.length - 1].position || top > STRENGTH.digit)
    ) {
      const first = intents[0];
      chosen = { kind: first.kind, value: null, ...(first.setting ? { setting: first.setting } : {}) };
      const distinct = new Set(intents.map((c) => readingKey({ kind: c.kind, value: null, setting: c.setting })));
      const answerSeen = cues.some((c) => c.kind === 'answer' && c.strength >= STRENGTH.graded);
      confidence =
        first.base *
        Math.min(...intents.map((c) => c.quality)) *
        (distinct.size > 1 ? 0.6 : 1) *
        (answers.length > 0 ? 0.6 : answerSeen ? 0.8 : 1);
      intents.slice(1).forEach((c) => suggest({ kind: c.kind, value: null, setting: c.setting }, 0.6));
    } else {
      const decided = this.decideAnswer(answers, lower, exactLabel);
      chosen = { kind: 'answer', value: decided.value };
      confidence = decided.confidence;
      decided.alternatives.forEach(([value, score]) => suggest({ kind: 'answer', value }, score));
      intents.forEach((c) => suggest({ kind: c.kind, value: null, setting: c.setting }, 0.7));
    }
    confidence *= coverage;

    for (const c of cues) {
      if (c.kind === 'answer' && c.value !== null) suggest({ kind: 'answer', value: c.value }, 0.35 * c.base);
      else if (c.kind !== 'answer') suggest({ kind: c.kind, value: null, setting: c.setting }, 0.5 * c.base);
    }
    if (chosen.kind === 'answer' && chosen.value !== null) {
      // Neighbours on the scale, the one toward the middle first.
      const v = chosen.value;
      const towardMiddle = v > 3 ? v - 1 : v < 3 ? v + 1 : 4;
      const away = v > 3 ? v + 1 : v < 3 ? v - 1 : 2;
      suggest({ kind: 'answer', value: clampScale(towardMiddle) }, 0.12);
      if (away >= 1 && away <= 5) suggest({ kind: 'answer', value: clampScale(away) }, 0.08);
    }
    candidates.delete(readingKey(chosen));

    confidence = Math.min(0.99, Math.max(0.02, confidence));
    const ranked = [...candidates.values()].sort((a, b) => b.score - a.score).slice(0, 3);
    const total = ranked.reduce((sum, r) => sum + r.score, 0);
    const remaining = 1 - confidence;
    const alternatives = ranked.map((r) => strip({ ...r, confidence: round2((remaining * r.score) / Math.max(total, 1)) }));
    return { ...chosen, value: chosen.value, confidence: round2(confidence), alternatives };
  }

  private decideAnswer(
    allLeaders: readonly Cue[],
    allLower: readonly Cue[],
    exactLabel: boolean,
  ): { value: ScaleValue; confidence: number; alternatives: [ScaleValue, number][] } {
    // A judgement word gives way to a measure word: "altijd goed" = 5; it still counts as dissent.
    const measures = allLeaders.filter((c) => !c.evaluative);
    let leaders = measures.length > 0 ? measures : [...allLeaders];
    const lower = measures.length > 0 ? [...allLower, ...allLeaders.filter((c) => c.evaluative)] : [...allLower];
    // "not always, but often": a plain word on the side a middle reading leans to settles it.
    const plain = leaders.filter((c) => c.lean === undefined && c.value !== null);
    const consistent = (c: Cue): boolean =>
      c.lean !== undefined &&
      plain.length > 0 &&
      plain.every((p) => p.value !== null && (side(p.value) === 0 || side(p.value) === side(c.lean ?? 3)));
    // "waar, maar niet altijd" = 4: after "maar" a middle leaning the same way softens a clear word.
    const softening = leaders.find(
      (c) =>
        c.lean !== undefined &&
        c.afterBut === true &&
        plain.length > 0 &&
        plain.every((p) => p.value !== null && p.clause < c.clause && side(p.value) === side(c.lean ?? 3)),
    );
    if (softening?.lean !== undefined) {
      const softened = side(softening.lean) > 0 ? 4 : 2;
      return { value: softened, confidence: 0.85 * Math.min(...leaders.map((c) => c.quality)), alternatives: [[3, 0.7]] };
    }
    if (plain.length > 0) leaders = leaders.filter((c) => !consistent(c));
    const values = leaders.map((c) => c.value).filter((v): v is ScaleValue => v !== null);
    const sides = new Set(values.map(side));
    const alternatives: [ScaleValue, number][] = [];
    const quality = Math.min(...leaders.map((c) => c.quality));
    let value: ScaleValue;
    let agreement = 1;
    if (sides.has(1) && sides.has(-1)) {
      // Agreement and disagreement in one reply: never pick a side, ask.
      value = 3;
      agreement = 0.3;
      const polar = [...leaders].reverse().filter((c) => c.value !== null && side(c.value) !== 0);
      polar.forEach((c, k) => c.value !== null && alternatives.push([c.value, 0.9 - k * 0.1]));
    } else if (new Set(values).size === 1) {
      value = values[0];
    } else if (sides.has(0) && sides.size === 2 && contrastedCues(leaders)) {
      // "soms, maar meestal wel" = 4: a middle word and a clear word in separate clauses; the clear one says more.
      const polar = leaders.filter((c) => c.value !== null && side(c.value) !== 0);
      value = polar[polar.length - 1].value ?? 3;
      agreement = 0.85;
      alternatives.push([3, 0.7]);
    } else {
      // Same side, different strength ("niet echt waar" = 2 and 1): the commonest, else the milder.
      const counts = new Map<ScaleValue, number>();
      values.forEach((v) => counts.set(v, (counts.get(v) ?? 0) + 1));
      const most = Math.max(...counts.values());
      value = [...counts.entries()]
        .filter(([, n]) => n === most)
        .map(([v]) => v)
        .sort((a, b) => Math.abs(a - 3) - Math.abs(b - 3))[0];
      // A middle in one clause and a clear word in another ("soms wel soms niet, meestal wel")
      // is a mixed message: ask, offering the clear word first.
      const middleAndClearApart =
        value === 3 &&
        leaders.some((c) => c.value !== null && c.value !== 3 && leaders.some((m) => m.value === 3 && m.clause !== c.clause));
      agreement = middleAndClearApart ? 0.6 : 0.78;
      values.filter((v) => v !== value).forEach((v) => alternatives.push([v, middleAndClearApart ? 0.9 : 0.7]));
    }
    const winners = leaders.filter((c) => c.value === value);
    let base = winners.length > 0 ? Math.max(...winners.map((c) => c.base)) : BASE.graded;
    const leaning = winners.find((c) => c.lean !== undefined);
    const plainWinner = winners.some((c) => c.lean === undefined && c.base >= BASE.particle);
    if (leaning && !plainWinner) {
      // "ja, niet altijd" = 4; "nee, niet helemaal" = 2: a yes/no particle decides the lean.
      const particle = lower.find((c) => c.value !== null && side(c.value) !== 0 && c.kind === 'answer');
      if (particle && particle.value !== null) {
        value = side(particle.value) > 0 ? 4 : 2;
        base = 0.8;
        alternatives.push([3, 0.7]);
      } else if (leaning.lean !== undefined) {
        base = BASE.leaning;
        alternatives.unshift([leaning.lean, 0.95]);
      }
    } else if (leaning?.lean !== undefined) {
      alternatives.push([leaning.lean, 0.5]);
    } else if (value === 3 && winners.length > 0 && winners.every((c) => c.afterBut)) {
      // "nee, maar soms wel" = 2, "ja, maar soms niet" = 4: a yes or no before "maar" decides the side of a middle after it.
      const firstClause = Math.min(...winners.map((c) => c.clause));
      const before = lower.find((c) => c.kind === 'answer' && c.value !== null && side(c.value) !== 0 && c.clause < firstClause);
      if (before?.value) {
        value = side(before.value) > 0 ? 4 : 2;
        base = 0.8;
        alternatives.push([3, 0.7]);
      }
    }
    // Weaker cues that point the other way ("nee, altijd") lower the confidence.
    let dissent = 1;
    if (!exactLabel) {
      for (const c of lower) {
        if (c.kind !== 'answer' || c.value === null) continue;
        if (side(c.value) !== 0 && side(c.value) === -side(value)) {
          dissent = Math.min(dissent, 0.6);
          alternatives.push([c.value, 0.8]);
        } else if (side(c.value) !== side(value)) dissent = Math.min(dissent, 0.92);
      }
    }
    return { value, confidence: base * quality * agreement * dissent, alternatives };
  }
}

/** Do the clear cues come after "maar", later than every middle cue ("soms, maar meestal wel")? */
function contrastedCues(leaders: readonly Cue[]): boolean {
  const lastMiddle = Math.max(...leaders.filter((c) => c.value === 3).map((c) => c.clause));
  const polar = leaders.filter((c) => c.value !== null && c.value !== 3);
  return polar.length > 0 && polar.every((c) => c.clause > lastMiddle && c.afterBut === true);
}

function strip(r: ReadingKeyed): ReplyReading {
  return { kind: r.kind, value: r.value, confidence: r.confidence, ...(r.setting ? { setting: r.setting } : {}) };
}
