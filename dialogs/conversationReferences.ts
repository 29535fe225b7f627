import { TurnContext } from 'botbuilder';
import type { ConversationReferenceRepository } from '../services/conversations/conversationReferenceRepository';
import type { Locale } from '../services/vocabulary';

/**
 * Keeps where to reach this person later (summary, reminder): without a display name and without
 * the activity id, and written only when it changed.
 */
export async function saveConversationReference(
  references: ConversationReferenceRepository,
  context: TurnContext,
  key: string,
  locale: Locale,
): Promise<void> {
  const reference = TurnContext.getConversationReference(context.activity);
  const { activityId: _activityId, user, ...rest } = reference;
  // Plain JSON (no undefined fields), so an unchanged reference compares equal and is not rewritten.
  const stored = JSON.parse(
    JSON.stringify({ ...rest, user: user ? { id: user.id, role: user.role, aadObjectId: user.aadObjectId } : undefined, locale }),
  ) as Record<string, unknown>;
  const existing = await references.get(key);
  if (existing && JSON.stringify(existing) === JSON.stringify(stored)) return;
  await references.save(key, stored);
}
