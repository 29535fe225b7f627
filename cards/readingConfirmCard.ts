import { adaptiveCard, AdaptiveCard, textBlock } from './adaptiveCard';
import { submitData } from './cardActions';
import type { AnswerOption } from './questionCard';
import { optionTitle } from './questionCard';
import { strings } from './strings';
import type { Locale } from '../services/vocabulary';

/**
 * When a typed reply is not clear enough, the bot asks before storing anything: the two most
 * likely answers as buttons, plus "something else".
 */
export function createReadingConfirmCard(model: {
  responseSetId: string;
  itemId: string;
  choices: (AnswerOption | 'skip')[];
  locale: Locale;
}): AdaptiveCard {
  const s = strings(model.locale);
  return adaptiveCard([textBlock(s.didYouMean, { weight: 'Bolder' })], {
    lang: model.locale,
    speak: s.didYouMean,
    actions: [
      ...model.choices.map((choice) => ({
        type: 'Action.Submit' as const,
        title: choice === 'skip' ? s.skip : optionTitle(choice),
        data: submitData({
          verb: 'answer',
          responseSetId: model.responseSetId,
          itemId: model.itemId,
          value: choice === 'skip' ? null : choice.value,
        }),
      })),
      { type: 'Action.Submit', title: s.notOneOfThese, data: submitData({ verb: 'resume' }) },
    ],
  });
}
