import { adaptiveCard, AdaptiveCard, textBlock } from './adaptiveCard';
import { formSubmitData, submitData } from './cardActions';
import { strings } from './strings';
import type { Locale } from '../services/vocabulary';

export interface CommentCardModel {
  responseSetId: string;
  itemId: string;
  /** The question the comment is about, so the card makes sense on its own. */
  questionText: string;
  /** `followUp`: offered after a low answer ("what would help?"); `comment`: asked for by the person. */
  kind: 'followUp' | 'comment';
  current: string | null;
  locale: Locale;
}

/** An optional comment on one answered item. Never required: "No, go on" is always there. */
export function createCommentCard(model: CommentCardModel): AdaptiveCard {
  const s = strings(model.locale);
  const title = model.kind === 'followUp' ? s.followUpQuestion : s.commentQuestion;
  return adaptiveCard(
    [
      textBlock(title, { size: 'Medium', weight: 'Bolder' }),
      textBlock(model.questionText, { isSubtle: true, spacing: 'Small' }),
      textBlock(s.followUpHint, { spacing: 'Small' }),
      {
        type: 'Input.Text',
        id: 'comment',
        label: s.commentLabel,
        isMultiline: true,
        maxLength: 500,
        ...(model.current ? { value: model.current } : {}),
      },
    ],
    {
      lang: model.locale,
      speak: `${title} ${s.followUpHint}`,
      actions: [
        {
          type: 'Action.Submit',
          title: s.commentSave,
          data: formSubmitData('comment', { responseSetId: model.responseSetId, itemId: model.itemId }),
          style: 'positive',
        },
        {
          type: 'Action.Submit',
          title: s.commentSkip,
          data: submitData({ verb: 'skipComment', responseSetId: model.responseSetId, itemId: model.itemId }),
        },
      ],
    },
  );
}
