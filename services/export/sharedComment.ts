import type { ResponseSet } from '../questionnaire/responseSet';

/**
 * The comment on an item that may leave the bot: only when the respondent chose to share their
 * comments, and only a non-empty one. Every export asks here, so the rule exists once.
 */
export function sharedComment(set: ResponseSet | null, itemId: string): string | undefined {
  if (!set?.commentsShared) return undefined;
  const comment = set.answers[itemId]?.comment?.trim();
  return comment ? comment : undefined;
}
