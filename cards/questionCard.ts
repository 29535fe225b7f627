import { ActionSet, adaptiveCard, AdaptiveCard, CardElement, ColumnSet, textBlock } from './adaptiveCard';
import { submitData } from './cardActions';
import { strings } from './strings';
import type { Locale, ScaleValue } from '../services/vocabulary';

export interface AnswerOption {
  value: ScaleValue;
  label: string;
  face: string | null;
}

export interface QuestionCardModel {
  responseSetId: string;
  itemId: string;
  text: string;
  /** 1-based position in the form. */
  number: number;
  total: number;
  answered: number;
  options: AnswerOption[];
  /** The stored answer when the respondent came back to change it (`null` = skipped). */
  current: ScaleValue | null | undefined;
  locale: Locale;
  canGoBack: boolean;
}

/**
 * One question: progress, the question, five large answer buttons (faces beside words in the
 * simple register), and back / don't know / later.
 *
 * @remarks Each answer is its own `ActionSet`, so the buttons stack full width on a phone in every
 * host instead of squeezing five into one row. Every button carries the response set and item it
 * belongs to, so a click on an old card can be recognised and never changes another answer.
 */
export function createQuestionCard(model: QuestionCardModel): AdaptiveCard {
  const s = strings(model.locale);
  const progress = s.questionOf(model.number, model.total);
  const answerButtons: ActionSet[] = model.options.map((option) => ({
    type: 'ActionSet',
    spacing: 'Small',
    actions: [
      {
        type: 'Action.Submit',
        title: optionTitle(option, model.current === option.value),
        data: submitData({ verb: 'answer', responseSetId: model.responseSetId, itemId: model.itemId, value: option.value }),
        ...(model.current === option.value ? { style: 'positive' as const } : {}),
      },
    ],
  }));
  const body: CardElement[] = [
    textBlock(progress, { isSubtle: true, size: 'Small', id: 'progress' }),
    progressBar(model.answered, model.total),
    textBlock(model.text, { size: 'Large', weight: 'Bolder', spacing: 'Medium' }),
    ...answerButtons,
  ];
  const optionsSpoken = model.options.map((option) => option.label).join(', ');
  return adaptiveCard(body, {
    lang: model.locale,
    speak: `${progress}. ${model.text} ${optionsSpoken}.`,
    actions: [
      ...(model.canGoBack
        ? [
            {
              type: 'Action.Submit' as const,
              title: `← ${s.back}`,
              data: submitData({ verb: 'back', responseSetId: model.responseSetId, itemId: model.itemId }),
            },
          ]
        : []),
      {
        type: 'Action.Submit',
        title: model.current === null ? `✓ ${s.skip}` : s.skip,
        data: submitData({ verb: 'answer', responseSetId: model.responseSetId, itemId: model.itemId, value: null }),
      },
      { type: 'Action.Submit', title: s.pause, data: submitData({ verb: 'pause' }) },
    ],
  });
}

export function optionTitle(option: AnswerOption, selected = false): string {
  const text = option.face ? `${option.face}  ${option.label}` : option.label;
  return selected ? `✓ ${text}` : text;
}

/** A thin two-colour bar; the same fact is in the "question n of m" text for screen readers. */
function progressBar(answered: number, total: number): ColumnSet {
  const done = Math.max(0, Math.min(total, answered));
  const columns: ColumnSet['columns'] = [];
  if (done > 0) columns.push({ type: 'Column', width: `${done}`, style: 'accent', items: [textBlock(' ', { size: 'Small' })] });
  if (total - done > 0)
    columns.push({ type: 'Column', width: `${total - done}`, style: 'emphasis', items: [textBlock(' ', { size: 'Small' })] });
  return { type: 'ColumnSet', spacing: 'Small', columns };
}

export interface AnsweredCardModel {
  text: string;
  number: number;
  total: number;
  /** The chosen answer as shown on its button, or `null` when skipped. */
  answerLabel: string | null;
  locale: Locale;
}

/**
 * What an answered question card becomes in Teams: the question and the answer, no buttons.
 *
 * @remarks Teams keeps old cards clickable; replacing the card in place stops a mistaken second
 * click on a question that is already done. Changing an answer goes through back or the overview.
 */
export function createAnsweredCard(model: AnsweredCardModel): AdaptiveCard {
  const s = strings(model.locale);
  const progress = s.questionOf(model.number, model.total);
  const answer = model.answerLabel === null ? s.youSkipped : s.youAnswered(model.answerLabel);
  return adaptiveCard(
    [
      textBlock(progress, { isSubtle: true, size: 'Small' }),
      textBlock(model.text, { spacing: 'Small' }),
      // Default colour: Teams' "Good" green is too light to read on white.
      textBlock(answer, { weight: 'Bolder', spacing: 'Small' }),
    ],
    { lang: model.locale, speak: `${progress}. ${model.text} ${answer}.` },
  );
}
