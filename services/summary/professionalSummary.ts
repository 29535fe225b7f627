/**
 * @packageDocumentation
 * Turns a comparison into what the professional needs before the next appointment: a few points
 * worth talking about, each with an open question, what goes well, the trend and what is missing.
 * (The client's own plain-words results are in `clientResults.ts`.)
 *
 * @remarks Pure domain. Every user-facing sentence lives in the dictionaries below, in Dutch and
 * English, written by us. Differences are offered as topics to talk about, never as verdicts.
 */
import { Dimension, Locale, Localized } from '../vocabulary';
import { ResponseSet } from '../questionnaire/responseSet';
import type { PairComparison, SideCompleteness } from './comparison';

/** At most this many talking points: a conversation has room for two or three topics. */
export const TALKING_POINT_LIMIT = 3;
/** A client mean this much lower than last time is worth a talking point. */
export const DROP_THRESHOLD = 0.5;
/** A change smaller than this reads as "about the same" in the trend. */
export const TREND_THRESHOLD = 0.5;
/** Client mean (or item) at or above this counts as going well, when both sides agree. */
export const GOING_WELL_MIN = 4;
/** At most this many entries under "what goes well", to keep the card short. */
export const GOING_WELL_LIMIT = 3;

// Means are floating point: 3.8333 - 4.3333 must still count as a drop of 0.5.
const EPSILON = 1e-9;

export type TalkingPointKind = 'gap' | 'lowClient' | 'drop';
/** `clientLower`: the client sees it less positively than the professional; `clientHigher`: more positively. */
export type GapDirection = 'clientLower' | 'clientHigher';

export interface TalkingPoint {
  kind: TalkingPointKind;
  dimension: Dimension;
  /** The client item the point is about; `null` for a point about a whole dimension. */
  clientItemId: string | null;
  /** The item text, or the dimension label for a dimension point. */
  title: string;
  /** What was seen, in plain neutral words. */
  detail: string;
  /** An open question to start the conversation with. */
  question: string;
  /** The client's own comment on this item, only when they chose to share it. */
  comment: string | null;
}

export interface GoingWellPoint {
  dimension: Dimension;
  /** `null` when the whole dimension goes well. */
  clientItemId: string | null;
  text: string;
  comment: string | null;
}

export interface TrendLine {
  dimension: Dimension;
  label: string;
  /** Unrounded change of the client mean; `null` when either round lacks it. */
  clientChange: number | null;
  professionalChange: number | null;
  text: string;
}

export interface DimensionRow {
  dimension: Dimension;
  label: string;
  /** Unrounded means; round only when showing them (see {@link formatScore}). */
  client: number | null;
  professional: number | null;
  clientAnswered: number;
  professionalAnswered: number;
  itemCount: number;
}

export interface SharedComment {
  clientItemId: string;
  itemText: string;
  comment: string;
}

/** Everything the summary card and its text fallback show; all text already in `locale`. */
export interface SummaryModel {
  locale: Locale;
  title: string;
  clientLabel: string | null;
  /** A difference is a topic for the conversation, not a verdict. */
  note: string;
  dimensions: DimensionRow[];
  agreement: { agreed: number; comparable: number; text: string | null };
  talkingPoints: TalkingPoint[];
  goingWell: GoingWellPoint[];
  trend: TrendLine[];
  /** Shown instead of (or besides) trend lines, e.g. "this is the first time". */
  trendNote: string | null;
  missing: string[];
  /** Shared comments on items that are not among the points above, so none gets lost. */
  otherComments: SharedComment[];
}

export interface SummaryOptions {
  locale: Locale;
  itemText: (itemId: string) => string;
  dimensionLabel: (d: Dimension) => string;
  /** Shared client comments by client item id; ignored unless the client chose to share them. */
  comments?: Record<string, string>;
  /** Pseudonymous label for the title, e.g. "K-12". */
  clientLabel?: string;
}

type QuestionKind = GapDirection | 'lowClient' | 'drop';

/**
 * Open questions, by dimension and by what was seen. Each starts with a question word (what, when,
 * how) so it invites a story rather than a yes or no, and asks out of curiosity.
 */
const QUESTIONS: Record<Dimension, Record<QuestionKind, Localized>> = {
  direction: {
    clientLower: {
      nl: 'Wat is voor jou nog niet duidelijk over waar we aan werken, of over de voorwaarden?',
      en: 'What is still unclear to you about what we are working on, or about the conditions?',
    },
    clientHigher: {
      nl: 'Hoe zou jij in je eigen woorden zeggen waar we samen aan werken?',
      en: 'How would you put in your own words what we are working on together?',
    },
    lowClient: { nl: 'Wat zou helpen om dit duidelijker te maken?', en: 'What would help to make this clearer?' },
    drop: {
      nl: 'Wat is er sinds de vorige keer veranderd in wat we samen afspreken?',
      en: 'What has changed since last time in what we agree on together?',
    },
  },
  trust: {
    clientLower: {
      nl: 'Wat zou het makkelijker maken om te zeggen wat je echt denkt?',
      en: 'What would make it easier to say what you really think?',
    },
    clientHigher: { nl: 'Wat maakt dat jij dit anders ziet dan ik?', en: 'What makes you see this differently from me?' },
    lowClient: {
      nl: 'Wat zou er moeten gebeuren zodat je je vrijer voelt om dingen te vertellen?',
      en: 'What would need to happen for you to feel freer to tell me things?',
    },
    drop: {
      nl: 'Wat is er sinds de vorige keer gebeurd dat invloed had op het vertrouwen tussen ons?',
      en: 'What has happened since last time that affected the trust between us?',
    },
  },
  bond: {
    clientLower: { nl: 'Wanneer voel je je door mij gehoord, en wanneer niet?', en: 'When do you feel heard by me, and when not?' },
    clientHigher: { nl: 'Wat doe ik dat voor jou goed werkt?', en: 'What do I do that works well for you?' },
    lowClient: { nl: 'Wat zou je meer steun geven in ons contact?', en: 'What would give you more support in our contact?' },
    drop: { nl: 'Hoe heb je ons contact de laatste tijd ervaren?', en: 'How have you experienced our contact lately?' },
  },
  friction: {
    clientLower: {
      nl: 'Wanneer voelt ons contact voor jou als moeten, of als strijd?',
      en: 'When does our contact feel like a must, or like a struggle, to you?',
    },
    clientHigher: {
      nl: 'Hoe zie jij de momenten waarop het tussen ons wat moeizamer gaat?',
      en: 'How do you see the moments when things between us are a bit harder?',
    },
    lowClient: { nl: 'Wat zou ons contact voor jou minder zwaar maken?', en: 'What would make our contact feel less heavy for you?' },
    drop: {
      nl: 'Wat is er veranderd, waardoor ons contact nu zwaarder voelt?',
      en: 'What has changed that makes our contact feel heavier now?',
    },
  },
};

/** Used when the question above was already chosen for another point, so no question repeats. */
const SECOND_QUESTIONS: Record<QuestionKind, Localized> = {
  clientLower: { nl: 'Wat zou je mij hierover willen vertellen?', en: 'What would you like to tell me about this?' },
  clientHigher: { nl: 'Hoe kijk jij hier zelf naar?', en: 'How do you see this yourself?' },
  lowClient: { nl: 'Wat zou hier voor jou het verschil maken?', en: 'What would make the difference here for you?' },
  drop: { nl: 'Wat is er voor jou veranderd sinds de vorige keer?', en: 'What has changed for you since last time?' },
};

interface SummaryStrings {
  title: (clientLabel: string | null) => string;
  note: string;
  gap: Record<GapDirection, (points: number) => string>;
  lowClient: string;
  drop: (before: string, now: string) => string;
  agreement: (agreed: number, comparable: number) => string;
  trendLine: (label: string, sentences: string) => string;
  clientTrend: Record<TrendDirection, string>;
  professionalTrend: Record<TrendDirection, string>;
  trendFirst: string;
  trendUnavailable: string;
  clientMissing: string;
  clientIncomplete: string;
  professionalMissing: string;
  professionalIncomplete: string;
  clientSkipped: (count: number) => string;
  professionalSkipped: (count: number) => string;
}

type TrendDirection = 'up' | 'same' | 'down';

const STRINGS: Record<Locale, SummaryStrings> = {
  nl: {
    title: (label) => (label ? `Monitor met cliënt ${label}` : 'Monitor: jullie antwoorden naast elkaar'),
    note: 'Een verschil is een onderwerp voor het gesprek. Het is geen oordeel over jullie contact of over iemand.',
    gap: {
      clientLower: (points) => `De cliënt ziet dit minder positief dan jij (verschil van ${points} punten).`,
      clientHigher: (points) => `De cliënt ziet dit positiever dan jij (verschil van ${points} punten).`,
    },
    lowClient: 'Voor de cliënt is dit een van de minst positieve punten.',
    drop: (before, now) => `Het gemiddelde van de cliënt ging van ${before} naar ${now}.`,
    agreement: (agreed, comparable) => `Jullie antwoorden liggen dicht bij elkaar bij ${agreed} van de ${comparable} vragen.`,
    trendLine: (label, sentences) => `${label}: ${sentences}`,
    clientTrend: {
      up: 'De cliënt is positiever dan vorige keer.',
      same: 'De cliënt ziet het ongeveer hetzelfde als vorige keer.',
      down: 'De cliënt is minder positief dan vorige keer.',
    },
    professionalTrend: {
      up: 'Jouw eigen score is hoger.',
      same: 'Jouw eigen score is ongeveer gelijk.',
      down: 'Jouw eigen score is lager.',
    },
    trendFirst: 'Dit is de eerste keer. Er is nog geen vorige keer om mee te vergelijken.',
    trendUnavailable: 'Vergelijken met vorige keer lukt nog niet, omdat er antwoorden ontbreken.',
    clientMissing: 'De cliënt heeft de monitor nog niet ingevuld.',
    clientIncomplete: 'De cliënt heeft nog niet alles ingevuld.',
    professionalMissing: 'Je hebt de monitor zelf nog niet ingevuld.',
    professionalIncomplete: 'Je hebt zelf nog niet alles ingevuld.',
    clientSkipped: (count) =>
      count === 1
        ? 'De cliënt heeft 1 vraag overgeslagen. Die telt niet mee.'
        : `De cliënt heeft ${count} vragen overgeslagen. Die tellen niet mee.`,
    professionalSkipped: (count) =>
      count === 1
        ? 'Je hebt zelf 1 vraag overgeslagen. Die telt niet mee.'
        : `Je hebt zelf ${count} vragen overgeslagen. Die tellen niet mee.`,
  },
  en: {
    title: (label) => (label ? `Monitor with client ${label}` : 'Monitor: your answers side by side'),
    note: 'A difference is a topic for the conversation. It is not a verdict on your working relationship or on anyone.',
    gap: {
      clientLower: (points) => `The client sees this less positively than you do (a difference of ${points} points).`,
      clientHigher: (points) => `The client sees this more positively than you do (a difference of ${points} points).`,
    },
    lowClient: 'For the client, this is one of the least positive points.',
    drop: (before, now) => `The client's average went from ${before} to ${now}.`,
    agreement: (agreed, comparable) => `Your answers are close to each other on ${agreed} of ${comparable} questions.`,
    trendLine: (label, sentences) => `${label}: ${sentences}`,
    clientTrend: {
      up: 'The client is more positive than last time.',
      same: 'The client sees it about the same as last time.',
      down: 'The client is less positive than last time.',
    },
    professionalTrend: {
      up: 'Your own score went up.',
      same: 'Your own score is about the same.',
      down: 'Your own score went down.',
    },
    trendFirst: 'This is the first time. There is no earlier round to compare with yet.',
    trendUnavailable: 'Comparing with last time is not possible yet, because answers are missing.',
    clientMissing: 'The client has not filled in the monitor yet.',
    clientIncomplete: 'The client has not answered everything yet.',
    professionalMissing: 'You have not filled in the monitor yet.',
    professionalIncomplete: 'You have not answered everything yet.',
    clientSkipped: (count) =>
      count === 1 ? 'The client skipped 1 question. It is not counted.' : `The client skipped ${count} questions. They are not counted.`,
    professionalSkipped: (count) =>
      count === 1 ? 'You skipped 1 question. It is not counted.' : `You skipped ${count} questions. They are not counted.`,
  },
};

const NUMBER_LOCALES: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };

/**
 * Formats a mean for display, rounded to 1 decimal in the reader's locale ("3,5" in Dutch).
 *
 * @remarks The only place where means are rounded: the model keeps exact values.
 */
export function formatScore(value: number, locale: Locale): string {
  return new Intl.NumberFormat(NUMBER_LOCALES[locale], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

/**
 * The client's comments the professional may see: only when the client chose to share them.
 *
 * @returns comments by client item id; empty when not shared or when there are none.
 */
export function sharedClientComments(client: ResponseSet | null): Record<string, string> {
  if (!client || !client.commentsShared) return {};
  const comments: Record<string, string> = {};
  for (const answer of Object.values(client.answers)) {
    const comment = answer.comment?.trim();
    if (comment) comments[answer.itemId] = comment;
  }
  return comments;
}

function trendDirection(change: number): TrendDirection {
  if (change >= TREND_THRESHOLD - EPSILON) return 'up';
  if (change <= -TREND_THRESHOLD + EPSILON) return 'down';
  return 'same';
}

function missingLines(client: SideCompleteness, professional: SideCompleteness, strings: SummaryStrings): string[] {
  const lines: string[] = [];
  if (client.status === 'missing') lines.push(strings.clientMissing);
  else if (client.status === 'incomplete') lines.push(strings.clientIncomplete);
  if (client.status !== 'missing' && client.skipped > 0) lines.push(strings.clientSkipped(client.skipped));
  if (professional.status === 'missing') lines.push(strings.professionalMissing);
  else if (professional.status === 'incomplete') lines.push(strings.professionalIncomplete);
  if (professional.status !== 'missing' && professional.skipped > 0) lines.push(strings.professionalSkipped(professional.skipped));
  return lines;
}

/**
 * Builds the summary the professional reads before the next appointment.
 *
 * @remarks Talking points, at most three and without duplicates, are picked in this order:
 * 1. gaps of 2 or more points, largest first (client lower first at equal size);
 * 2. the client's lowest items (2 or lower, after orienting), since the client's own rating
 *    predicts outcome best;
 * 3. dimensions where the client mean dropped by 0.5 or more since last time, largest drop
 *    first, unless a point about that dimension is already chosen (the trend still shows the drop).
 * Comments appear only when the comparison says the client chose to share them.
 */
export function buildSummary(comparison: PairComparison, options: SummaryOptions): SummaryModel {
  const { locale, itemText, dimensionLabel } = options;
  const strings = STRINGS[locale];
  const comments = comparison.clientCommentsShared ? (options.comments ?? {}) : {};
  const commentFor = (clientItemId: string): string | null => comments[clientItemId]?.trim() || null;
  const clientLabel = options.clientLabel?.trim() || null;

  const talkingPoints: TalkingPoint[] = [];
  const usedItems = new Set<string>();
  const room = (): boolean => talkingPoints.length < TALKING_POINT_LIMIT;
  const askedQuestions = new Set<string>();
  const question = (dimension: Dimension, kind: QuestionKind): string => {
    const first = QUESTIONS[dimension][kind][locale];
    const chosen = askedQuestions.has(first) ? SECOND_QUESTIONS[kind][locale] : first;
    askedQuestions.add(chosen);
    return chosen;
  };

  for (const gap of comparison.largestGaps) {
    if (!room()) break;
    if (gap.difference === null || usedItems.has(gap.clientItemId)) continue;
    const direction: GapDirection = gap.difference < 0 ? 'clientLower' : 'clientHigher';
    usedItems.add(gap.clientItemId);
    talkingPoints.push({
      kind: 'gap',
      dimension: gap.dimension,
      clientItemId: gap.clientItemId,
      title: itemText(gap.clientItemId),
      detail: strings.gap[direction](Math.abs(gap.difference)),
      question: question(gap.dimension, direction),
      comment: commentFor(gap.clientItemId),
    });
  }

  for (const low of comparison.lowestClientItems) {
    if (!room()) break;
    if (usedItems.has(low.clientItemId)) continue;
    usedItems.add(low.clientItemId);
    talkingPoints.push({
      kind: 'lowClient',
      dimension: low.dimension,
      clientItemId: low.clientItemId,
      title: itemText(low.clientItemId),
      detail: strings.lowClient,
      question: question(low.dimension, 'lowClient'),
      comment: commentFor(low.clientItemId),
    });
  }

  const byLargestDrop = [...(comparison.changes ?? [])].sort((a, b) => (a.client ?? 0) - (b.client ?? 0));
  for (const change of byLargestDrop) {
    if (!room()) break;
    if (change.client === null || change.client > -DROP_THRESHOLD + EPSILON) continue;
    if (talkingPoints.some((point) => point.dimension === change.dimension)) continue;
    const now = comparison.dimensions.find((d) => d.dimension === change.dimension)?.client.mean ?? null;
    if (now === null) continue;
    talkingPoints.push({
      kind: 'drop',
      dimension: change.dimension,
      clientItemId: null,
      title: dimensionLabel(change.dimension),
      detail: strings.drop(formatScore(now - change.client, locale), formatScore(now, locale)),
      question: question(change.dimension, 'drop'),
      comment: null,
    });
  }

  const goingWell: GoingWellPoint[] = [];
  const wellDimensions = new Set<Dimension>();
  for (const d of comparison.dimensions) {
    const { mean: client } = d.client;
    const { mean: professional } = d.professional;
    if (client === null || professional === null) continue;
    if (client >= GOING_WELL_MIN && Math.abs(client - professional) <= 1 + EPSILON && goingWell.length < GOING_WELL_LIMIT) {
      wellDimensions.add(d.dimension);
      goingWell.push({ dimension: d.dimension, clientItemId: null, text: dimensionLabel(d.dimension), comment: null });
    }
  }
  for (const item of comparison.items) {
    if (goingWell.length >= GOING_WELL_LIMIT) break;
    // A dimension already listed as a whole covers its items; talking points are not repeated here.
    if (wellDimensions.has(item.dimension) || usedItems.has(item.clientItemId)) continue;
    if (item.agreement && item.client !== null && item.client >= GOING_WELL_MIN) {
      usedItems.add(item.clientItemId);
      goingWell.push({
        dimension: item.dimension,
        clientItemId: item.clientItemId,
        text: itemText(item.clientItemId),
        comment: commentFor(item.clientItemId),
      });
    }
  }

  const trend: TrendLine[] = [];
  for (const change of comparison.changes ?? []) {
    const sentences: string[] = [];
    if (change.client !== null) sentences.push(strings.clientTrend[trendDirection(change.client)]);
    if (change.professional !== null) sentences.push(strings.professionalTrend[trendDirection(change.professional)]);
    if (sentences.length === 0) continue;
    const label = dimensionLabel(change.dimension);
    trend.push({
      dimension: change.dimension,
      label,
      clientChange: change.client,
      professionalChange: change.professional,
      text: strings.trendLine(label, sentences.join(' ')),
    });
  }
  let trendNote: string | null = null;
  if (comparison.changes === null) trendNote = strings.trendFirst;
  else if (trend.length === 0) trendNote = strings.trendUnavailable;

  const shownItems = new Set<string>([
    ...talkingPoints.flatMap((p) => (p.clientItemId && p.comment ? [p.clientItemId] : [])),
    ...goingWell.flatMap((p) => (p.clientItemId && p.comment ? [p.clientItemId] : [])),
  ]);
  const pairOrder = comparison.items.map((item) => item.clientItemId);
  const commentIds = Object.keys(comments).sort((a, b) => rank(pairOrder, a) - rank(pairOrder, b));
  const otherComments: SharedComment[] = commentIds.flatMap((clientItemId) => {
    const comment = commentFor(clientItemId);
    if (comment === null || shownItems.has(clientItemId)) return [];
    return [{ clientItemId, itemText: itemText(clientItemId), comment }];
  });

  const { agreed, comparable } = comparison.agreement;
  return {
    locale,
    title: strings.title(clientLabel),
    clientLabel,
    note: strings.note,
    dimensions: comparison.dimensions.map((d) => ({
      dimension: d.dimension,
      label: dimensionLabel(d.dimension),
      client: d.client.mean,
      professional: d.professional.mean,
      clientAnswered: d.client.answered,
      professionalAnswered: d.professional.answered,
      itemCount: d.itemCount,
    })),
    agreement: { agreed, comparable, text: comparable > 0 ? strings.agreement(agreed, comparable) : null },
    talkingPoints,
    goingWell,
    trend,
    trendNote,
    missing: missingLines(comparison.client, comparison.professional, strings),
    otherComments,
  };
}

function rank(order: string[], id: string): number {
  const index = order.indexOf(id);
  return index === -1 ? order.length : index;
}
