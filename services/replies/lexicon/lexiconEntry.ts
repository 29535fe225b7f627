import type { ScaleValue } from '../../vocabulary';

/** Replies that are not an answer on the scale but a wish about the conversation. */
export type IntentKind = 'skip' | 'back' | 'pause' | 'help' | 'restart' | 'settings';
export type SettingKind = 'language' | 'simpleWords';

/**
 * How much a word settles the value on its own. A particle ("ja", "ok", "wel") gives way to a
 * graded word ("soms", "vaak"); a phrase ("best wel", "ja en nee") is as strong as a graded word.
 */
export type AnswerWeight = 'particle' | 'graded';

/** A word or phrase that points at a value on the 1..5 scale. */
export interface AnswerEntry {
  readonly role: 'answer';
  readonly value: ScaleValue;
  readonly weight: AnswerWeight;
  /** Value after a negator in front ("niet vaak" = 2). Defaults to the mirror of `value`. */
  readonly negated?: ScaleValue;
  /** Value when a negator follows ("vaak niet" = 2, "klopt niet" = 1). Particles take none. */
  readonly postNegated?: ScaleValue;
  /** Value after an intensifier ("heel vaak" = 5, "heel soms" = 2). */
  readonly intensified?: ScaleValue;
  /** The word can also strengthen a following answer word ("echt waar", "helemaal mee eens"). */
  readonly intensifies?: boolean;
  /** As an intensifier it is maximal, so "niet helemaal X" means "partly", not "no". */
  readonly maximal?: boolean;
  /** Where a negated reading leans when it is the middle ("niet altijd" = 3, leaning to 4). */
  readonly negatedLean?: ScaleValue;
  /** The word itself is a shrug ("mwah", "tja"): readable, but worth a confirmation. */
  readonly hedge?: boolean;
  /**
   * A judgement ("goed", "leuk") rather than a measure: when a reply also has a frequency or
   * degree word ("altijd goed", "meestal wel, maar niet leuk"), that word decides.
   */
  readonly evaluative?: boolean;
  /** A hedge on a following word that keeps its value ("best vaak", "fairly often" = 4). */
  readonly modifier?: boolean;
  /** An emoji: beside words it only colours them ("ja hoor 😊" = 5); alone it is the answer. */
  readonly emoji?: boolean;
  /** An amount ("veel", "weinig", "a lot"): before a content word it counts that thing ("weinig tijd"), not the scale. */
  readonly quantity?: boolean;
}

export interface NegatorEntry {
  readonly role: 'negator';
}

/** "heel", "erg", "very": pushes a following answer to its extreme. */
export interface IntensifierEntry {
  readonly role: 'intensifier';
  /** Reading when nothing follows ("heel erg" = 5). */
  readonly standalone?: ScaleValue;
}

/** "bijna", "almost": pulls a following extreme one step back ("bijna nooit" = 2). */
export interface DowntonerEntry {
  readonly role: 'downtoner';
}

/** A number word; `article` marks words that are mostly "a/an" ("een 4") and only count alone. */
export interface NumberEntry {
  readonly role: 'number';
  readonly value: ScaleValue;
  readonly article?: boolean;
}

export interface IntentEntry {
  readonly role: 'intent';
  readonly kind: IntentKind;
  readonly setting?: SettingKind;
}

/** Known words without meaning for the scale ("hoor", "nou", "ik"): explained, never fuzzed. */
export interface FillerEntry {
  readonly role: 'filler';
}

/**
 * A word that carries content but no scale value ("bus", "luistert"). `relationship` marks words
 * about the working relationship, which keep a judgement word on topic ("zij helpt mij heel goed").
 */
export interface ContentEntry {
  readonly role: 'content';
  readonly relationship: boolean;
  /** Known only from lexicon phrases ("vrij", "vanavond"): content, but neither about the relationship nor off topic. */
  readonly lexical?: boolean;
}

/** "meer", "minder", "beter", "less": a wish for change, which makes a clause a remark ("meer tijd nemen"). */
export interface WishEntry {
  readonly role: 'wish';
}

/** "zeggen", "praten", "answer": with a negator it is a refusal to answer ("daar wil ik niks over zeggen"). */
export interface SpeechEntry {
  readonly role: 'speech';
}

export type LexiconEntry =
  | AnswerEntry
  | NegatorEntry
  | IntensifierEntry
  | DowntonerEntry
  | NumberEntry
  | IntentEntry
  | FillerEntry
  | ContentEntry
  | WishEntry
  | SpeechEntry;

/**
 * One lexicon row: a word or a phrase of canonical words. `gap` lists the words that may stand
 * between the phrase words ("weet ik het niet" matches "weet niet" with gap words "ik", "het").
 */
export interface LexiconRow {
  readonly words: string;
  readonly entry: LexiconEntry;
  readonly gap?: readonly string[];
}
