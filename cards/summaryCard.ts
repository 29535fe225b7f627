/**
 * @packageDocumentation
 * The professional's summary of one round: first how complete it is and what changed since last
 * time, then both sides per dimension, the points worth talking about with open questions, what
 * goes well, the trend, the skipped items, and behind "All questions" every item pair side by side.
 *
 * @remarks Bars are weighted columns with container styles (`accent` for the client, `good` for
 * the professional, `emphasis` for the empty part): they follow the Teams theme in light and
 * dark. Screen readers skip the empty columns and read the number beside each bar.
 */
import { Locale } from '../services/vocabulary';
import { AnswerView, ItemRow, SummaryModel, TalkingPoint, formatScore } from '../services/summary/professionalSummary';
import { SCALE_MAX } from '../services/summary/comparison';
import { Action, AdaptiveCard, CardElement, Column, ColumnSet, Container, ContainerStyle, adaptiveCard, textBlock } from './adaptiveCard';

interface SummaryCardStrings {
  byDimension: string;
  scaleHint: string;
  clientScore: (score: string) => string;
  professionalScore: (score: string) => string;
  clientNoAnswer: string;
  professionalNoAnswer: string;
  talkingPoints: string;
  nothingStandsOut: string;
  youCouldAsk: (question: string) => string;
  clientComment: (comment: string) => string;
  goingWell: string;
  goingWellHint: string;
  trend: string;
  skipped: string;
  skippedBy: Record<'client' | 'professional', string>;
  otherComments: string;
  allQuestions: string;
  allQuestionsHint: string;
  reversedItemsHint: string;
  clientSide: string;
  ownSide: string;
  answerLine: (client: string, professional: string) => string;
  overview: string;
  commentOnItem: (item: string, comment: string) => string;
  dimensionLine: (label: string, client: string, professional: string) => string;
}

const STRINGS: Record<Locale, SummaryCardStrings> = {
  nl: {
    byDimension: 'Per onderdeel',
    scaleHint: 'Gemiddelde op een schaal van 1 tot 5. Hoger is beter.',
    clientScore: (score) => `Cliënt: ${score}`,
    professionalScore: (score) => `Jij: ${score}`,
    clientNoAnswer: 'Cliënt: geen antwoord',
    professionalNoAnswer: 'Jij: geen antwoord',
    talkingPoints: 'Om over te praten',
    nothingStandsOut: 'Er springt niets uit. Je kunt vragen: "Waar wil jij het vandaag over hebben?"',
    youCouldAsk: (question) => `Je kunt vragen: "${question}"`,
    clientComment: (comment) => `Opmerking van de cliënt: "${comment}"`,
    goingWell: 'Wat goed gaat',
    goingWellHint: 'Jullie zijn hier allebei positief over.',
    trend: 'Sinds vorige keer',
    skipped: 'Overgeslagen vragen',
    skippedBy: { client: 'Door de cliënt', professional: 'Door jou' },
    otherComments: 'Andere opmerkingen van de cliënt',
    allQuestions: 'Alle vragen',
    allQuestionsHint: 'Elke vraag met het antwoord van de cliënt en dat van jou. Een groot verschil is gemarkeerd.',
    reversedItemsHint: 'Deze vragen zijn negatief gesteld: "niet waar" is hier een goed teken.',
    clientSide: 'Cliënt',
    ownSide: 'Jij',
    answerLine: (client, professional) => `Cliënt: ${client} · Jij: ${professional}`,
    overview: 'Overzicht',
    commentOnItem: (item, comment) => `${item}: "${comment}"`,
    dimensionLine: (label, client, professional) => `${label}: cliënt ${client}, jij ${professional}`,
  },
  en: {
    byDimension: 'By dimension',
    scaleHint: 'Average on a scale of 1 to 5. Higher is better.',
    clientScore: (score) => `Client: ${score}`,
    professionalScore: (score) => `You: ${score}`,
    clientNoAnswer: 'Client: no answer',
    professionalNoAnswer: 'You: no answer',
    talkingPoints: 'Worth talking about',
    nothingStandsOut: 'Nothing stands out. You could ask: "What would you like to talk about today?"',
    youCouldAsk: (question) => `You could ask: "${question}"`,
    clientComment: (comment) => `Comment from the client: "${comment}"`,
    goingWell: 'What goes well',
    goingWellHint: 'You are both positive about this.',
    trend: 'Since last time',
    skipped: 'Skipped questions',
    skippedBy: { client: 'By the client', professional: 'By you' },
    otherComments: 'Other comments from the client',
    allQuestions: 'All questions',
    allQuestionsHint: "Every question with the client's answer and yours. A big difference is marked.",
    reversedItemsHint: 'These questions are asked the negative way: "not true" is a good sign here.',
    clientSide: 'Client',
    ownSide: 'You',
    answerLine: (client, professional) => `Client: ${client} · You: ${professional}`,
    overview: 'Overview',
    commentOnItem: (item, comment) => `${item}: "${comment}"`,
    dimensionLine: (label, client, professional) => `${label}: client ${client}, you ${professional}`,
  },
};

const NO_ANSWER_MARK = '–';
/** Bar resolution: weights in tenths of a point keep the bar exact to the rounded number beside it. */
const BAR_STEPS_PER_POINT = 10;

/**
 * A horizontal bar for a score on the 1–5 scale, made of two weighted columns.
 *
 * @remarks Decorative only: always place the score as text next to it for screen readers.
 */
export function scoreBar(value: number, style: ContainerStyle): ColumnSet {
  const total = SCALE_MAX * BAR_STEPS_PER_POINT;
  const filled = Math.min(total, Math.max(0, Math.round(value * BAR_STEPS_PER_POINT)));
  const columns: Column[] = [{ type: 'Column', width: filled, style, minHeight: '10px', items: [] }];
  if (filled < total)
    columns.push({ type: 'Column', width: total - filled, style: 'emphasis', minHeight: '10px', spacing: 'None', items: [] });
  return { type: 'ColumnSet', columns, spacing: 'Small' };
}

function heading(text: string): CardElement {
  return textBlock(text, { size: 'Medium', weight: 'Bolder', spacing: 'Large' });
}

function sideColumn(
  value: number | null,
  label: (score: string) => string,
  noAnswer: string,
  style: ContainerStyle,
  locale: Locale,
): Column {
  const items: CardElement[] = [textBlock(value === null ? noAnswer : label(formatScore(value, locale)), { size: 'Small' })];
  if (value !== null) items.push(scoreBar(value, style));
  return { type: 'Column', width: 'stretch', items };
}

function talkingPointBlock(point: TalkingPoint, strings: SummaryCardStrings, first: boolean): Container {
  const items: CardElement[] = [
    textBlock(point.title, { weight: 'Bolder' }),
    textBlock(point.detail, { spacing: 'Small', isSubtle: true }),
    textBlock(strings.youCouldAsk(point.question), { spacing: 'Small', color: 'Accent' }),
  ];
  if (point.comment) items.push(textBlock(strings.clientComment(point.comment), { spacing: 'Small', isSubtle: true }));
  return { type: 'Container', items, spacing: 'Medium', separator: !first };
}

const STATUS_STYLE: Record<SummaryModel['status']['kind'], ContainerStyle> = {
  complete: 'good',
  skipped: 'emphasis',
  incomplete: 'warning',
  sideMissing: 'warning',
};

function answerText(answer: AnswerView): string {
  return answer.face ? `${answer.face} ${answer.label}` : answer.label;
}

/** One item pair: the statement, both answers side by side (words and faces), and how far apart they are. */
function itemPairBlock(row: ItemRow, strings: SummaryCardStrings): Container {
  const side = (title: string, answer: AnswerView): Column => ({
    type: 'Column',
    width: 'stretch',
    items: [
      textBlock(title, { size: 'Small', isSubtle: true }),
      textBlock(answerText(answer), { spacing: 'None', isSubtle: answer.state !== 'answered' }),
    ],
  });
  const items: CardElement[] = [
    textBlock(row.text, { weight: 'Bolder' }),
    { type: 'ColumnSet', spacing: 'Small', columns: [side(strings.clientSide, row.client), side(strings.ownSide, row.professional)] },
  ];
  if (row.gapText) {
    items.push(
      row.gap === 'big'
        ? textBlock(`⚠ ${row.gapText}`, { spacing: 'Small', color: 'Attention', weight: 'Bolder' })
        : textBlock(row.gapText, { spacing: 'Small', size: 'Small', isSubtle: true }),
    );
  }
  // No container style for a big gap: a padded box narrows the text on a phone; the red line marks it.
  return { type: 'Container', items, spacing: 'Medium', separator: true };
}

function allQuestionsBody(summary: SummaryModel, strings: SummaryCardStrings): CardElement[] {
  const body: CardElement[] = [textBlock(strings.allQuestionsHint, { size: 'Small', isSubtle: true })];
  let dimension: string | null = null;
  for (const row of summary.items) {
    if (row.dimension !== dimension) {
      dimension = row.dimension;
      body.push(heading(row.dimensionLabel));
      if (row.reverse) body.push(textBlock(strings.reversedItemsHint, { size: 'Small', isSubtle: true, spacing: 'Small' }));
    }
    body.push(itemPairBlock(row, strings));
  }
  return body;
}

export interface SummaryCardOptions {
  /** A short-lived link to the professional's tab ("Overview"); no button without it. */
  overviewUrl?: string | null;
}

/**
 * Builds the summary card the professional gets before the next appointment.
 *
 * @param summary - the model from `buildSummary`, already in the reader's language.
 * @param locale - the language of the card's own headings (normally `summary.locale`).
 */
export function createSummaryCard(summary: SummaryModel, locale: Locale, options: SummaryCardOptions = {}): AdaptiveCard {
  const strings = STRINGS[locale];
  const alert = summary.changeAlert;
  const body: CardElement[] = [
    textBlock(summary.title, { size: 'Large', weight: 'Bolder', style: 'heading' }),
    {
      type: 'Container',
      style: STATUS_STYLE[summary.status.kind],
      spacing: 'Small',
      items: [textBlock(summary.status.text)],
    },
    alert.kind === 'drop'
      ? {
          type: 'Container',
          style: 'attention',
          spacing: 'Small',
          items: alert.lines.map((line) => textBlock(line, { weight: 'Bolder', color: 'Attention', spacing: 'Small' })),
        }
      : { type: 'Container', spacing: 'Small', items: alert.lines.map((line) => textBlock(line, { size: 'Small' })) },
    textBlock(summary.note, { size: 'Small', isSubtle: true, spacing: 'Small' }),
    heading(strings.byDimension),
    textBlock(strings.scaleHint, { size: 'Small', isSubtle: true, spacing: 'Small' }),
  ];
  if (summary.reversedNote) body.push(textBlock(summary.reversedNote, { size: 'Small', isSubtle: true, spacing: 'Small' }));

  for (const row of summary.dimensions) {
    body.push({
      type: 'Container',
      spacing: 'Medium',
      items: [
        textBlock(row.label, { weight: 'Bolder' }),
        {
          type: 'ColumnSet',
          spacing: 'Small',
          columns: [
            sideColumn(row.client, strings.clientScore, strings.clientNoAnswer, 'accent', locale),
            sideColumn(row.professional, strings.professionalScore, strings.professionalNoAnswer, 'good', locale),
          ],
        },
      ],
    });
  }
  if (summary.agreement.text) body.push(textBlock(summary.agreement.text, { size: 'Small', isSubtle: true, spacing: 'Medium' }));

  body.push(heading(strings.talkingPoints));
  if (summary.talkingPoints.length === 0) body.push(textBlock(strings.nothingStandsOut, { spacing: 'Small' }));
  summary.talkingPoints.forEach((point, index) => body.push(talkingPointBlock(point, strings, index === 0)));

  if (summary.goingWell.length > 0) {
    body.push(heading(strings.goingWell), textBlock(strings.goingWellHint, { size: 'Small', isSubtle: true, spacing: 'Small' }));
    for (const point of summary.goingWell) {
      body.push(textBlock(`- ${point.text}`, { spacing: 'Small' }));
      if (point.comment) body.push(textBlock(strings.clientComment(point.comment), { spacing: 'None', isSubtle: true }));
    }
  }

  if (summary.trend.length > 0) {
    body.push(heading(strings.trend));
    for (const line of summary.trend) body.push(textBlock(line.text, { spacing: 'Small' }));
  }

  if (summary.skipped.length > 0) {
    body.push(heading(strings.skipped));
    for (const perspective of ['client', 'professional'] as const) {
      const mine = summary.skipped.filter((item) => item.perspective === perspective);
      if (mine.length === 0) continue;
      body.push(textBlock(strings.skippedBy[perspective], { weight: 'Bolder', spacing: 'Small' }));
      for (const item of mine) body.push(textBlock(`- ${item.text}`, { spacing: 'None' }));
    }
  }

  if (summary.otherComments.length > 0) {
    body.push(heading(strings.otherComments));
    for (const c of summary.otherComments) body.push(textBlock(strings.commentOnItem(c.itemText, c.comment), { spacing: 'Small' }));
  }

  const actions: Action[] = [];
  if (summary.items.length > 0) {
    actions.push({
      type: 'Action.ShowCard',
      title: strings.allQuestions,
      card: { type: 'AdaptiveCard', body: allQuestionsBody(summary, strings) },
    });
  }
  if (options.overviewUrl) actions.push({ type: 'Action.OpenUrl', title: strings.overview, url: options.overviewUrl });

  return { ...adaptiveCard(body, { lang: locale, actions }), fallbackText: summaryText(summary, locale) };
}

/**
 * The same summary as short plain-text lines, for channels without Adaptive Cards.
 *
 * @remarks Markdown-light: a bold title and dashes for lists, nothing a plain client would garble.
 */
export function summaryText(summary: SummaryModel, locale: Locale): string {
  const strings = STRINGS[locale];
  const score = (value: number | null): string => (value === null ? NO_ANSWER_MARK : formatScore(value, locale));
  const lines: string[] = [`**${summary.title}**`, summary.status.text, ...summary.changeAlert.lines, summary.note];
  lines.push('', `**${strings.byDimension}**`, strings.scaleHint);
  if (summary.reversedNote) lines.push(summary.reversedNote);
  for (const row of summary.dimensions) lines.push(`- ${strings.dimensionLine(row.label, score(row.client), score(row.professional))}`);
  if (summary.agreement.text) lines.push(summary.agreement.text);

  lines.push('', `**${strings.talkingPoints}**`);
  if (summary.talkingPoints.length === 0) lines.push(strings.nothingStandsOut);
  summary.talkingPoints.forEach((point, index) => {
    lines.push(`${index + 1}. ${point.title}`, `   ${point.detail}`, `   ${strings.youCouldAsk(point.question)}`);
    if (point.comment) lines.push(`   ${strings.clientComment(point.comment)}`);
  });

  if (summary.goingWell.length > 0) {
    lines.push('', `**${strings.goingWell}**`, strings.goingWellHint);
    for (const point of summary.goingWell) {
      lines.push(`- ${point.text}`);
      if (point.comment) lines.push(`  ${strings.clientComment(point.comment)}`);
    }
  }

  if (summary.trend.length > 0) {
    lines.push('', `**${strings.trend}**`);
    for (const line of summary.trend) lines.push(`- ${line.text}`);
  }

  if (summary.skipped.length > 0) {
    lines.push('', `**${strings.skipped}**`);
    for (const item of summary.skipped) lines.push(`- ${strings.skippedBy[item.perspective]}: ${item.text}`);
  }

  if (summary.otherComments.length > 0) {
    lines.push('', `**${strings.otherComments}**`);
    for (const c of summary.otherComments) lines.push(`- ${strings.commentOnItem(c.itemText, c.comment)}`);
  }

  if (summary.items.length > 0) {
    lines.push('', `**${strings.allQuestions}**`);
    for (const row of summary.items) {
      lines.push(`- ${row.text}`, `  ${strings.answerLine(answerText(row.client), answerText(row.professional))}`);
      if (row.gap === 'big' && row.gapText) lines.push(`  ⚠ ${row.gapText}`);
    }
  }
  return lines.join('\n');
}
