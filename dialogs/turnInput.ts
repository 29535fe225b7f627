import { Activity, ActivityTypes } from 'botbuilder';
import { CardAction, parseCardAction } from '../cards/cardActions';
import type { Locale } from '../services/vocabulary';

/**
 * What a turn brings, read the same way by every dialog: someone joined, a card click (typed and
 * validated), typed text, or something to ignore.
 *
 * @remarks A card click is a message with `value` and no text. A value that is not one of our
 * actions, or text over the length limit, is its own kind so dialogs answer it kindly.
 */
export type TurnInput =
  | { kind: 'joined' }
  | { kind: 'event' }
  | { kind: 'action'; action: CardAction }
  | { kind: 'invalidValue' }
  | { kind: 'text'; text: string }
  | { kind: 'tooLong' }
  | { kind: 'none' };

export function readTurnInput(activity: Activity, maxMessageChars: number): TurnInput {
  if (activity.type === ActivityTypes.ConversationUpdate || activity.type === ActivityTypes.InstallationUpdate) return { kind: 'joined' };
  if (activity.type === ActivityTypes.Event) return { kind: 'event' };
  if (activity.type !== ActivityTypes.Message) return { kind: 'none' };
  if (activity.value !== undefined && activity.value !== null) {
    const action = parseCardAction(activity.value);
    return action ? { kind: 'action', action } : { kind: 'invalidValue' };
  }
  const text = typeof activity.text === 'string' ? activity.text.trim() : '';
  if (text === '') return { kind: 'none' };
  if (text.length > maxMessageChars) return { kind: 'tooLong' };
  return { kind: 'text', text };
}

/** The language someone asked for in words ("english", "nederlands"); otherwise the other one. */
export function requestedLocale(current: Locale, text: string): Locale {
  if (/\b(english|engels)\b/i.test(text)) return 'en';
  if (/\b(nederlands|dutch)\b/i.test(text)) return 'nl';
  return current === 'nl' ? 'en' : 'nl';
}

/** Whether a request about words asks for simple ones ("makkelijke woorden") or not ("gewone woorden"). */
export function wantsSimpleWords(text: string): boolean {
  return !/\b(moeilijke|gewone|normale|normal|standard|difficult)\b/i.test(text);
}
