import type { CardAction } from '../cards/cardActions';
import { CONFIDENCE_THRESHOLD, type Interpretation } from '../services/replies/replyInterpreter';
import type { Locale, ScaleValue } from '../services/vocabulary';
import { type PendingContext } from './pendingContext';
import { requestedLocale, wantsSimpleWords } from './turnInput';

/**
 * What typed text means that no card button expresses. Together with `CardAction` these are the
 * keys of the one routing table (`dialogs/routes.ts`).
 */
export type TextIntent =
  /** A clear answer (or "don't know") to the question on screen. */
  | { verb: 'typedAnswer'; value: ScaleValue | null }
  /** An unclear answer: ask which reading was meant, store nothing yet. */
  | { verb: 'confirmReading'; reading: Interpretation }
  /** Looks like a comment rather than an answer: ask, store nothing yet. */
  | { verb: 'askAnswerOrComment'; text: string }
  /** Free text while a comment prompt is open: it is the comment. */
  | { verb: 'commentText'; text: string }
  | { verb: 'greeting' }
  /** A signed-in professional typed "overzicht": the link to their tab. */
  | { verb: 'overviewLink' }
  /** `quiet`: a "go on" word, which needs no "I did not understand". */
  | { verb: 'notUnderstood'; quiet: boolean };

export interface TextFacts {
  signedInProfessional: boolean;
  locale: Locale;
  /** Labels of the five answer buttons, value 1 first. */
  scaleLabels: readonly string[];
}

const CODE_PATTERN = /^\s*[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4}\s*$/;
const GREETING_PATTERN = /^(hi|hoi|hallo|hello|hey|hee|goedemorgen|goedemiddag|goedenavond|good (morning|afternoon|evening))[\s!.]*$/i;
const RESUME_PATTERN = /^(verder|ga verder|doorgaan|continue|go on|resume|start|beginnen)[\s!.]*$/i;
const NEW_ROUND_PATTERN = /\b(nieuwe monitor|new monitor|nieuwe ronde|new round)\b/i;
const OVERVIEW_PATTERN = /\b(overzicht|overview|tabblad|tab)\b/i;
const ROUNDS_PATTERN = /\b(mijn rondes|my rounds|rondes|rounds)\b/i;
/** "No comment" after "what would help?": no, go on, next, nothing, and the like. */
const NO_COMMENT_PATTERN =
  /^(nee|nee hoor|nee dank je|nee bedankt|neen|nop|nope|no|no thanks|no thank you|verder|ga verder|ga maar verder|door|doorgaan|volgende|volgende vraag|next|go on|skip|overslaan|niks|niets|nee niks|niet|geen|geen opmerking|nothing|none|no comment|ok|oke|oké|okay|okey|prima|goed|is goed|laat maar|hoeft niet)$/;

/** Several words with no clear scale signal: more likely a comment than an answer. */
export function looksLikeRemark(reading: Interpretation): boolean {
  // The interpreter's own `remark` kind, once it has one; compared as a string so this compiles either way.
  if ((reading.kind as string) === 'remark') return true;
  if (wordCount(reading.text) < 3) return false;
  if (reading.kind === 'unknown') return true;
  return (reading.kind === 'answer' || reading.kind === 'skip') && reading.confidence < CONFIDENCE_THRESHOLD;
}

/** "nee", "verder", "niks", "next", …: the person has no comment. */
export function isNoComment(text: string): boolean {
  return NO_COMMENT_PATTERN.test(normalised(text));
}

/** The text of one answer button, typed (with or without its face), or a bare 1–5. */
export function isScaleReply(text: string, scaleLabels: readonly string[]): boolean {
  const plain = normalised(text);
  if (/^[1-5]$/.test(plain)) return true;
  return scaleLabels.some((label) => normalised(label) === plain);
}

/** One or two words that read as an answer ("niet echt", "👍", "geen idee"): maybe meant for a question. */
function readsAsShortAnswer(reading: Interpretation): boolean {
  return wordCount(reading.text) <= 2 && (reading.kind === 'answer' || reading.kind === 'skip');
}

/**
 * What typed text means in the pending context. Pure: the dialog does what the result says.
 *
 * @remarks Order matters and is the point of this function. While a comment prompt is open, text is
 * the comment unless it declines ("nee"), is a short command ("help", "stop"), or is an answer
 * label, a digit or one or two words that read as an answer (then the bot asks). Only while a question is on screen can text become an answer, and
 * only a clear reading that does not look like a remark.
 */
export function meaningOfText(pending: PendingContext, text: string, reading: Interpretation, facts: TextFacts): CardAction | TextIntent {
  if (pending.kind === 'commentPrompt' || pending.kind === 'commenting') {
    const { responseSetId, itemId } = pending;
    if (isNoComment(text)) return { verb: 'skipComment', responseSetId, itemId };
    const command = shortCommand(reading, text, facts.locale);
    if (command) return command;
    if (isScaleReply(text, facts.scaleLabels) || readsAsShortAnswer(reading)) return { verb: 'askAnswerOrComment', text };
    return { verb: 'commentText', text };
  }
  const inQuestionnaire =
    pending.kind === 'asking' ||
    pending.kind === 'confirmingReading' ||
    pending.kind === 'answerOrComment' ||
    pending.kind === 'confirmingRestart' ||
    pending.kind === 'overview';
  if (!inQuestionnaire) {
    if (!facts.signedInProfessional && CODE_PATTERN.test(text) && !RESUME_PATTERN.test(text)) return { verb: 'joinCode', code: text };
    if (facts.signedInProfessional && NEW_ROUND_PATTERN.test(text)) return { verb: 'newRound' };
    if (facts.signedInProfessional && OVERVIEW_PATTERN.test(text)) return { verb: 'overviewLink' };
    if (facts.signedInProfessional && ROUNDS_PATTERN.test(text)) return { verb: 'listRounds' };
  }
  // A greeting is not a misunderstanding: answer it with what this person can do next.
  if (GREETING_PATTERN.test(text)) return { verb: 'greeting' };
  const command = commandOf(reading, text, facts.locale);
  if (command) return command;
  if (RESUME_PATTERN.test(text)) return { verb: 'resume' };
  if (pending.kind === 'asking' || pending.kind === 'confirmingReading' || pending.kind === 'answerOrComment') {
    if (reading.kind === 'back') return { verb: 'back', responseSetId: pending.responseSetId, itemId: pending.itemId };
    if (looksLikeRemark(reading)) return { verb: 'askAnswerOrComment', text };
    if (reading.kind === 'answer' || reading.kind === 'skip') {
      if (reading.confidence < CONFIDENCE_THRESHOLD) return { verb: 'confirmReading', reading };
      return { verb: 'typedAnswer', value: reading.kind === 'skip' ? null : reading.value };
    }
    return { verb: 'notUnderstood', quiet: false };
  }
  if (pending.kind === 'overview' && reading.kind === 'back') return { verb: 'back', responseSetId: pending.responseSetId, itemId: null };
  return { verb: 'notUnderstood', quiet: false };
}

/** Help, settings, language, pause and start again, as the interruption layer handles them. */
function commandOf(reading: Interpretation, text: string, locale: Locale): CardAction | null {
  switch (reading.kind) {
    case 'help':
      return { verb: 'help' };
    case 'pause':
      return { verb: 'pause' };
    case 'restart':
      return { verb: 'restart' };
    case 'settings':
      if (reading.setting === 'language') return { verb: 'settings', locale: requestedLocale(locale, text) };
      if (reading.setting === 'simpleWords') return { verb: 'settings', register: wantsSimpleWords(text) ? 'simple' : 'standard' };
      return { verb: 'settings' };
    default:
      return null;
  }
}

/** A command said in a few words ("help", "stop", "english"): a sentence about help is a comment. */
function shortCommand(reading: Interpretation, text: string, locale: Locale): CardAction | null {
  if (wordCount(text) > 3 || reading.confidence < CONFIDENCE_THRESHOLD) return null;
  return commandOf(reading, text, locale);
}

function wordCount(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

/** Lower case, no emoji, punctuation or extra spaces, so "😐  Soms!" equals "soms". */
function normalised(text: string): string {
  return text
    .toLowerCase()
    .replace(/\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u{FE0F}/gu, '')
    .replace(/[!?,;:'"“”‘’()]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\.+$/, '');
}
