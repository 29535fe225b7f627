/**
 * @packageDocumentation
 * Byte budgets for the local Direct Line's in-memory transcripts, so no client can grow the
 * server's memory by sending big bodies.
 *
 * @remarks A client activity is kept in the transcript only as far as Web Chat needs it to show
 * and acknowledge the message: its text cut to `MAX_MESSAGE_CHARS`, a small card value, and the
 * `clientActivityID` Web Chat matches its pending send with. The bot still receives the whole
 * activity (the body limit bounds it), so a too-long message gets the bot's kind "keep it short"
 * reply instead of being read cut off. Each conversation keeps at most `perConversationBytes`, and
 * all conversations together at most `totalBytes`: the oldest activities, then the least recently
 * used conversations, go first.
 */

export interface TranscriptBudgetLimits {
  /** Longest client text kept per activity (the bot's `MAX_MESSAGE_CHARS`). */
  maxClientTextChars: number;
  perConversationBytes: number;
  totalBytes: number;
}

/** A card value or channel data bigger than this is not kept in the transcript. */
const MAX_KEPT_JSON_BYTES = 2048;
const MAX_NAME_CHARS = 100;

type Fields = Record<string, unknown>;

/** What of a client's activity the transcript keeps: bounded, whatever the client sent. */
export function clientTranscriptCopy<T extends Fields>(activity: T, maxClientTextChars: number): T {
  const kept: Fields = {};
  for (const field of ['type', 'id', 'timestamp', 'channelId', 'conversation', 'from', 'locale', 'textFormat', 'replyToId']) {
    if (activity[field] !== undefined) kept[field] = activity[field];
  }
  if (typeof activity.text === 'string') kept.text = activity.text.slice(0, maxClientTextChars);
  if (typeof activity.name === 'string') kept.name = activity.name.slice(0, MAX_NAME_CHARS);
  if (activity.value !== undefined && jsonBytes(activity.value) <= MAX_KEPT_JSON_BYTES) kept.value = activity.value;
  const channelData = activity.channelData;
  if (typeof channelData === 'object' && channelData !== null) {
    const data = channelData as Fields;
    const small: Fields = {};
    for (const field of ['clientActivityID', 'clientTimestamp']) {
      if (typeof data[field] === 'string') small[field] = data[field].slice(0, 100);
    }
    kept.channelData = small;
  }
  return kept as T;
}

/** Size of a value as the transcript holds it (its JSON in UTF-8). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

export interface BudgetedTranscript {
  /** Watermark of `activities[0]`. */
  base: number;
  activities: Fields[];
  /** Sum of `jsonBytes` over `activities`. */
  bytes: number;
}

/**
 * Drops the oldest activities of `transcript` until it fits `perConversationBytes` and `maxActivities`
 * (the watermark base moves on, as when the count limit drops them).
 * @returns how many bytes were freed.
 */
export function trimTranscript(transcript: BudgetedTranscript, perConversationBytes: number, maxActivities: number): number {
  let freed = 0;
  let drop = 0;
  while (
    drop < transcript.activities.length &&
    (transcript.bytes - freed > perConversationBytes || transcript.activities.length - drop > maxActivities)
  ) {
    freed += jsonBytes(transcript.activities[drop]);
    drop += 1;
  }
  if (drop > 0) {
    transcript.activities.splice(0, drop);
    transcript.base += drop;
    transcript.bytes -= freed;
  }
  return freed;
}
