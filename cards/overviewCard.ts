import { adaptiveCard, AdaptiveCard, CardElement, textBlock } from './adaptiveCard';
import { submitData } from './cardActions';
import { strings } from './strings';
import type { Locale } from '../services/vocabulary';

export interface OverviewRow {
  itemId: string;
  number: number;
  text: string;
  /** The answer label, or `null` when skipped. */
  answerLabel: string | null;
  comment: string | null;
}

export interface OverviewCardModel {
  responseSetId: string;
  rows: OverviewRow[];
  locale: Locale;
}

/** All answers at the end, each with a button to change it, then one button to send. */
export function createOverviewCard(model: OverviewCardModel): AdaptiveCard {
  const s = strings(model.locale);
  const rows: CardElement[] = model.rows.flatMap((row): CardElement[] => [
    {
      type: 'Container',
      separator: true,
      spacing: 'Medium',
      items: [
        // Not "4. text": Markdown would turn that into a list numbered from 1.
        textBlock(s.questionOf(row.number, model.rows.length), { isSubtle: true, size: 'Small' }),
        textBlock(row.text, { weight: 'Bolder', spacing: 'None' }),
        textBlock(row.answerLabel ?? s.skippedLabel, {
          spacing: 'None',
          color: row.answerLabel ? 'Accent' : 'Default',
          isSubtle: row.answerLabel === null,
        }),
        ...(row.comment ? [textBlock(s.commentShown(row.comment), { spacing: 'Small', isSubtle: true })] : []),
      ],
    },
    {
      type: 'ActionSet',
      spacing: 'Small',
      actions: [
        {
          type: 'Action.Submit',
          title: `${s.change} (${row.number})`,
          data: submitData({ verb: 'edit', responseSetId: model.responseSetId, itemId: row.itemId }),
        },
        ...(row.answerLabel !== null || row.comment
          ? [
              {
                type: 'Action.Submit' as const,
                title: `${s.commentButton} (${row.number})`,
                data: submitData({ verb: 'commentItem', responseSetId: model.responseSetId, itemId: row.itemId }),
              },
            ]
          : []),
      ],
    },
  ]);
  const hasComments = model.rows.some((row) => row.comment);
  // With comments, the person chooses whether they go to the professional; both buttons send.
  const sendActions = hasComments
    ? [
        {
          type: 'Action.Submit' as const,
          title: s.sendWithComments,
          data: submitData({ verb: 'confirm', responseSetId: model.responseSetId, shareComments: true }),
          style: 'positive' as const,
        },
        {
          type: 'Action.Submit' as const,
          title: s.sendWithoutComments,
          data: submitData({ verb: 'confirm', responseSetId: model.responseSetId, shareComments: false }),
        },
      ]
    : [
        {
          type: 'Action.Submit' as const,
          title: s.confirm,
          data: submitData({ verb: 'confirm', responseSetId: model.responseSetId }),
          style: 'positive' as const,
        },
      ];
  return adaptiveCard(
    [
      textBlock(s.overviewTitle, { size: 'Large', weight: 'Bolder' }),
      textBlock(s.overviewText),
      ...rows,
      ...(hasComments ? [textBlock(s.sharingQuestion, { weight: 'Bolder', spacing: 'Large' })] : []),
    ],
    {
      lang: model.locale,
      speak: `${s.overviewTitle}. ${s.overviewText}${hasComments ? ` ${s.sharingQuestion}` : ''}`,
      actions: sendActions,
    },
  );
}
