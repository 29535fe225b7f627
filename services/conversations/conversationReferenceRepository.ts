/**
 * @packageDocumentation
 * Where to write to someone without them writing first: the summary to a professional, the
 * reminder to a client.
 *
 * @remarks The reference is the channel's opaque JSON (a botbuilder `ConversationReference`), kept
 * here as a plain record so the domain needs no botbuilder. It can hold a display name; the bot should
 * drop `user.name` before saving, since proactive messages do not need it.
 */

/** Keys: `professional:<professionalId>` or `client:<channel user id>`. */
export type ConversationReferenceKey = `professional:${string}` | `client:${string}`;

export interface StoredConversationReference {
  key: string;
  reference: Record<string, unknown>;
  updatedAt: string;
}

export interface ConversationReferenceRepository {
  /** Replaces the reference under `key` (the latest conversation wins). */
  save(key: string, reference: Record<string, unknown>): Promise<void>;
  get(key: string): Promise<Record<string, unknown> | undefined>;
  delete(key: string): Promise<void>;
}

/** The key for a professional's conversation. */
export function professionalReferenceKey(professionalId: string): ConversationReferenceKey {
  return `professional:${professionalId}`;
}

/** The key for a client's conversation (by channel user id). */
export function clientReferenceKey(clientUserId: string): ConversationReferenceKey {
  return `client:${clientUserId}`;
}
