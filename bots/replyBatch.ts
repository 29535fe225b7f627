import type { Activity } from 'botbuilder';

/**
 * Joins a plain text message with the card message right after it into one activity: "Jouw
 * antwoord: Soms" and the next question arrive as one message (the text above the card) instead
 * of two.
 *
 * @remarks Every outgoing activity is its own POST to the channel, with its own serialisation and
 * connection work on both sides; an answer turn sent two of them. Web Chat shows an activity's text
 * above its attachments, Teams shows them in one message, so the person sees the same order. Only
 * messages that are nothing but text are joined, onto a card message that has no text of its own
 * and goes to the same place; the card keeps its `speak` (the page's read-aloud reads the question,
 * not the echo). The turn's outgoing hook sees activities after `TurnContext` has addressed them
 * (channel, conversation, sender, recipient, the activity replied to), so those fields are expected
 * on both and must match.
 */
export function coalesceReplies(activities: Partial<Activity>[]): Partial<Activity>[] {
  const joined: Partial<Activity>[] = [];
  for (let index = 0; index < activities.length; index += 1) {
    const current = activities[index];
    const next = activities[index + 1];
    if (next && isPlainText(current) && isCardWithoutText(next) && sameAddress(current, next)) {
      joined.push({ ...next, text: current.text, ...(current.textFormat ? { textFormat: current.textFormat } : {}) });
      index += 1;
    } else joined.push(current);
  }
  return joined;
}

/** Where an activity goes, as `TurnContext.applyConversationReference` stamps it on every reply. */
const ADDRESS_FIELDS = ['channelId', 'serviceUrl', 'conversation', 'from', 'recipient', 'replyToId'] as const;
const TEXT_FIELDS = new Set<string>(['type', 'text', 'textFormat', 'inputHint', 'locale', ...ADDRESS_FIELDS]);

function sameAddress(a: Partial<Activity>, b: Partial<Activity>): boolean {
  return ADDRESS_FIELDS.every((field) => JSON.stringify(a[field]) === JSON.stringify(b[field]));
}

function isPlainText(activity: Partial<Activity>): boolean {
  if ((activity.type ?? 'message') !== 'message' || typeof activity.text !== 'string' || activity.text === '') return false;
  return Object.entries(activity).every(([field, value]) => value === undefined || TEXT_FIELDS.has(field));
}

function isCardWithoutText(activity: Partial<Activity>): boolean {
  return (activity.type ?? 'message') === 'message' && (activity.attachments?.length ?? 0) > 0 && !activity.text && !activity.value;
}
