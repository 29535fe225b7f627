import { adaptiveCard, AdaptiveCard, textBlock } from './adaptiveCard';
import { submitData } from './cardActions';
import { strings } from './strings';
import type { Locale } from '../services/vocabulary';

export interface AnswerOrCommentModel {
  responseSetId: string;
  itemId: string;
  /** What the person typed, quoted back so they know which message is meant. */
  typed: string;
  locale: Locale;
}

/**
 * "Is this your answer or a comment?" for a reply that reads like a remark. Nothing is stored
 * until one of the two buttons is tapped.
 */
export function createAnswerOrCommentCard(model: AnswerOrCommentModel): AdaptiveCard {
  const s = strings(model.locale);
  const quoted = `“${model.typed.length > 200 ? `${model.typed.slice(0, 200)}…` : model.typed}”`;
  const meant = (meaning: 'answer' | 'comment') =>
    submitData({ verb: 'replyMeant', responseSetId: model.responseSetId, itemId: model.itemId, meant: meaning });
  return adaptiveCard([textBlock(s.answerOrComment, { weight: 'Bolder' }), textBlock(quoted, { isSubtle: true, spacing: 'Small' })], {
    lang: model.locale,
    speak: s.answerOrComment,
    actions: [
      { type: 'Action.Submit', title: s.itIsAComment, data: meant('comment') },
      { type: 'Action.Submit', title: s.itIsMyAnswer, data: meant('answer') },
    ],
  });
}
