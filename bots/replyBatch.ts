import type { Activity } from 'botbuilder';

/**
 * Joins a plain text message with the card message right after it into one activity: "Jouw
 * antwoord: Soms" and the next question arrive as one message (the text above the card) instead
 * of two.
 *
 * @remarks Every outgoing activity is its own POST to the channel, with its own serialisation and
 * connection work on both sides; an answer turn sent two of them. Web Chat shows an activity's text
 * above its attachments, Teams shows them in one message, so the person sees the same order. Only
 * messages that are nothing but text are joined, onto a card message that has no text of its own;
 * the card keeps its `speak` (the page's read-aloud reads the question, not the echo).
 */
export function coalesceReplies(activities: Partial<Activity>[]): Partial<Activity>[] {
  const joined: Partial<Activity>[] = [];
  for (let index = 0; index < activities.length; index += 1) {
    const current = activities[index];
    const next = activities[index + 1];
    if (next && isPlainText(current) && isCardWithoutText(next)) {
      joined.push({ ...next, text: current.text, ...(current.textFormat ? { textFormat: current.textFormat } : {}) });
      index += 1;
    } else joined.push(current);
  }
  return joined;
}

const TEXT_FIELDS = new Set(['type', 'text', 'textFormat', 'inputHint', 'locale']);

function isPlainText(activity: Partial<Activity>): boolean {
  if ((activity.type ?? 'message') !== 'message' || typeof activity.text !== 'string' || activity.text === '') return false;
  return Object.entries(activity).every(([field, value]) => value === undefined || TEXT_FIELDS.has(field));
}

function isCardWithoutText(activity: Partial<Activity>): boolean {
  return (activity.type ?? 'message') === 'message' && (activity.attachments?.length ?? 0) > 0 && !activity.text && !activity.value;
}
