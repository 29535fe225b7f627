/**
 * What the bot is waiting for in a conversation, stored in conversation state. It decides what
 * free text means: the same words are an answer while a question is asked, a comment while
 * "what would help?" is open, and a choice while a confirmation is open.
 *
 * @remarks Questionnaire contexts carry the response set, the item on screen and the set's
 * `version` when it was shown: an answer is a compare-and-set on that version, so a parallel
 * submit or a second tab cannot silently replace a confirmed answer.
 */
export type PendingContext =
  /** Nothing open (after a pause, after sending): free text is a command or not understood. */
  | { kind: 'none' }
  /** The welcome card asks client or professional. */
  | { kind: 'choosingRole' }
  /** The client was asked for an invitation code. */
  | { kind: 'enteringCode' }
  /** The professional's menu is shown. */
  | { kind: 'professionalMenu' }
  /** The settings card before the explanation; "done" leads to the explanation. */
  | { kind: 'settings' }
  /** The explanation or the "welcome back" card; "start" begins or resumes the questions. */
  | { kind: 'intro' }
  | QuestionnaireContext;

export type QuestionnaireContext =
  /** Question `itemId` is on screen: free text is read as an answer to it. */
  | (Shown & { kind: 'asking'; heldComment?: string })
  /** "What would help?" after a low answer to `itemId`: free text is the comment. */
  | (Shown & { kind: 'commentPrompt' })
  /** A comment card opened from the overview for `itemId`: free text is the comment. */
  | (Shown & { kind: 'commenting' })
  /** An unclear reply to `itemId` is being confirmed: nothing is stored until a tap. */
  | (Shown & { kind: 'confirmingReading' })
  /**
   * A reply that looks like a comment is being asked about ("answer or comment?"). `origin` is
   * where it was typed: while asking `itemId`, or while its comment prompt was open.
   */
  | (Shown & { kind: 'answerOrComment'; text: string; origin: 'asking' | 'commentPrompt' })
  /** "Start again? Your answers are erased." */
  | (Shown & { kind: 'confirmingRestart' })
  /** Every item has an answer: the overview with changes and sending. */
  | { kind: 'overview'; responseSetId: string; version: number };

interface Shown {
  responseSetId: string;
  itemId: string;
  /** The response set's version when this was shown. */
  version: number;
}

/** What the bot keeps per conversation. */
export interface ConversationMemory {
  pending: PendingContext;
}

export function isQuestionnaireContext(pending: PendingContext): pending is QuestionnaireContext {
  return (
    pending.kind === 'asking' ||
    pending.kind === 'commentPrompt' ||
    pending.kind === 'commenting' ||
    pending.kind === 'confirmingReading' ||
    pending.kind === 'answerOrComment' ||
    pending.kind === 'confirmingRestart' ||
    pending.kind === 'overview'
  );
}

/** The item whose answer buttons are live: the question on screen or being confirmed. */
export function answerableItem(pending: PendingContext): string | null {
  if (pending.kind === 'asking' || pending.kind === 'confirmingReading') return pending.itemId;
  return pending.kind === 'answerOrComment' && pending.origin === 'asking' ? pending.itemId : null;
}
