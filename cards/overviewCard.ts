import { adaptiveCard, AdaptiveCard, CardElement, SubmitAction, textBlock } from './adaptiveCard';
import { formSubmitData, submitData } from './cardActions';
import { strings } from './strings';
import type { Locale } from '../services/vocabulary';

export interface OverviewRow {
  itemId: string;
  number: number;
  text: string;
  /** The answer label (with its face in simple words), or `null` when skipped. */
  answerLabel: string | null;
  comment: string | null;
}

export interface OverviewCardModel {
  responseSetId: string;
  rows: OverviewRow[];
  locale: Locale;
  /** The round's role word from the item bank ("reclasseringswerker", "begeleider", …). */
  roleWord: string;
}

/**
 * All answers at the end as a short list, one "change something" button, then sending.
 *
 * @remarks Made to fit about two phone screens: one line per answer (a face and its words), not the
 * question text. "Change something" opens a question picker inside the card (no round trip); it
 * submits the existing `edit` and `commentItem` verbs with the picked item merged in by the host.
 * With comments, the two ways to send are whole sentences on full-width buttons, in the round's role word.
 */
export function createOverviewCard(model: OverviewCardModel): AdaptiveCard {
  const s = strings(model.locale);
  // One row per answer: "Vraag 3" (never wrapped) beside the face and words of the answer.
  const answers: CardElement = {
    type: 'Container',
    spacing: 'Medium',
    items: model.rows.map(
      (row): CardElement => ({
        type: 'ColumnSet',
        spacing: 'Small',
        columns: [
          { type: 'Column', width: 'auto', items: [textBlock(s.questionShort(row.number), { weight: 'Bolder', wrap: false })] },
          {
            type: 'Column',
            width: 'stretch',
            items: [textBlock(`${row.answerLabel ?? s.skip}${row.comment ? ` · ${s.withComment}` : ''}`)],
          },
        ],
      }),
    ),
  };
  const picker: CardElement[] = [
    {
      type: 'Input.ChoiceSet',
      id: 'itemId',
      label: s.whichQuestion,
      style: 'compact',
      isRequired: true,
      errorMessage: s.whichQuestion,
      value: model.rows[0]?.itemId,
      choices: model.rows.map((row) => ({ title: `${s.questionShort(row.number)}: ${row.text}`, value: row.itemId })),
    },
  ];
  const hasComments = model.rows.some((row) => row.comment);
  // With comments, the person chooses whether they go to the professional; both buttons send.
  const sendActions: SubmitAction[] = hasComments
    ? [
        {
          type: 'Action.Submit',
          title: s.sendWithComments(model.roleWord),
          data: submitData({ verb: 'confirm', responseSetId: model.responseSetId, shareComments: true }),
          style: 'positive',
        },
        {
          type: 'Action.Submit',
          title: s.sendWithoutComments,
          data: submitData({ verb: 'confirm', responseSetId: model.responseSetId, shareComments: false }),
        },
      ]
    : [
        {
          type: 'Action.Submit',
          title: s.confirm,
          data: submitData({ verb: 'confirm', responseSetId: model.responseSetId }),
          style: 'positive',
        },
      ];
  const intro = hasComments ? s.overviewText : s.overviewTextNoComments;
  return adaptiveCard(
    [
      textBlock(s.overviewTitle, { size: 'Large', weight: 'Bolder' }),
      textBlock(intro),
      answers,
      {
        type: 'ActionSet',
        spacing: 'Medium',
        actions: [
          {
            type: 'Action.ShowCard',
            title: s.changeSomething,
            card: {
              type: 'AdaptiveCard',
              body: picker,
              actions: [
                {
                  type: 'Action.Submit',
                  title: s.changeTheAnswer,
                  data: formSubmitData('edit', { responseSetId: model.responseSetId }),
                  style: 'positive',
                },
                {
                  type: 'Action.Submit',
                  title: s.writeComment,
                  data: formSubmitData('commentItem', { responseSetId: model.responseSetId }),
                },
              ],
            },
          },
        ],
      },
      ...(hasComments ? [textBlock(s.sharingQuestion(model.roleWord), { weight: 'Bolder', spacing: 'Large' })] : []),
    ],
    {
      lang: model.locale,
      speak: `${s.overviewTitle}. ${intro}${hasComments ? ` ${s.sharingQuestion(model.roleWord)}` : ''}`,
      actions: sendActions,
    },
  );
}
