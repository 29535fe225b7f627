import { adaptiveCard, AdaptiveCard, textBlock } from './adaptiveCard';
import { submitData } from './cardActions';
import { strings } from './strings';
import type { Locale } from '../services/vocabulary';

export interface AnswerEchoModel {
  responseSetId: string;
  itemId: string;
  /** The stored answer as its button shows it, or `null` for a skip. */
  answerLabel: string | null;
  locale: Locale;
}

/**
 * "Your answer: 😐 Sometimes" after a typed answer, with one tap to change it.
 *
 * @remarks A typed reply is read, not clicked, so the person sees what was stored and can reopen
 * that question at once ("Change" submits `edit` for that item).
 */
export function createAnswerEchoCard(model: AnswerEchoModel): AdaptiveCard {
  const s = strings(model.locale);
  const echo = model.answerLabel === null ? s.youSkipped : s.youAnswered(model.answerLabel);
  return adaptiveCard([textBlock(echo, { weight: 'Bolder' })], {
    lang: model.locale,
    speak: echo,
    actions: [
      {
        type: 'Action.Submit',
        title: s.changeAnswer,
        data: submitData({ verb: 'edit', responseSetId: model.responseSetId, itemId: model.itemId }),
      },
    ],
  });
}
