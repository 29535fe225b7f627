/**
 * @packageDocumentation
 * Turns a comparison into what the professional needs before the next appointment: a few points
 * worth talking about, each with an open question, what goes well, the trend and what is missing.
 * (The client's own plain-words results are in `clientResults.ts`.)
 *
 * @remarks Pure domain. Every user-facing sentence lives in the dictionaries below, in Dutch and
 * English, written by us. Differences are offered as topics to talk about, never as verdicts.
 */
import { formatDay } from '../dates';
import { Dimension, isScaleValue, Locale, Localized, Perspective, ScaleValue } from '../vocabulary';
import { ResponseSet } from '../questionnaire/responseSet';
import { GAP_MIN_DIFFERENCE, orient, type AnswerKind, type ItemComparison, type PairComparison, type SideCompleteness } from './comparison';

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
  /** Phrased so that it reads as something good, also for friction ("little friction", "not true for either of you"). */
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
  /** The score label: higher is always better under it ("Weinig stroefheid", not "Stroefheid"). */
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

/** `complete`: both answered everything; `skipped`: both done, with skipped items; `incomplete`: a side stopped early; `sideMissing`: a side has no answers. */
export type SummaryStatusKind = 'complete' | 'skipped' | 'incomplete' | 'sideMissing';

/** One answer as the "all questions" list shows it: the words (and face) the person chose. */
export interface AnswerView {
  state: AnswerKind;
  /** The value as answered (not oriented); `null` when skipped or not answered. */
  value: ScaleValue | null;
  label: string;
  face: string | null;
}

/** `big`: a gap worth talking about (2 or more points); `close`: 1 point apart; `same`; `null`: not comparable. */
export type GapSize = 'big' | 'close' | 'same';

export interface ItemRow {
  clientItemId: string;
  professionalItemId: string;
  dimension: Dimension;
  dimensionLabel: string;
  text: string;
  reverse: boolean;
  client: AnswerView;
  professional: AnswerView;
  /** Oriented client − professional; `null` when a side has no value. */
  difference: number | null;
  gap: GapSize | null;
  gapText: string | null;
}

export interface SkippedItem {
  perspective: Perspective;
  clientItemId: string;
  text: string;
}

/**
 * What changed for the client since the previous round, for the top of the card: `first` (no
 * previous round), `drop` (a dimension fell by {@link DROP_THRESHOLD} or more), `steady`, or
 * `unavailable` (answers missing in either round).
 */
export interface ChangeAlert {
  kind: 'first' | 'drop' | 'steady' | 'unavailable';
  lines: string[];
}

/** Everything the summary card and its text fallback show; all text already in `locale`. */
export interface SummaryModel {
  locale: Locale;
  title: string;
  clientLabel: string | null;
  /** The appointment day, formatted; `null` when not known. */
  appointment: string | null;
  /** One line that says how complete both sides are; never contradicts what follows. */
  status: { kind: SummaryStatusKind; text: string };
  changeAlert: ChangeAlert;
  /** A difference is a topic for the conversation, not a verdict. */
  note: string;
  /** Says that a negatively asked dimension (friction) was turned around; `null` when there is none. */
  reversedNote: string | null;
  dimensions: DimensionRow[];
  agreement: { agreed: number; comparable: number; text: string | null };
  talkingPoints: TalkingPoint[];
  goingWell: GoingWellPoint[];
  trend: TrendLine[];
  /** Shown instead of trend lines, e.g. "this is the first time". */
  trendNote: string | null;
  /** The status sentences when a side is not complete (also shown by the tab). */
  missing: string[];
  skipped: SkippedItem[];
  /** Shared comments on items that are not among the points above, so none gets lost. */
  otherComments: SharedComment[];
  /** Every item pair, in asking order, for the "all questions" section. */
  items: ItemRow[];
}

export interface SummaryOptions {
  locale: Locale;
  itemText: (itemId: string) => string;
  /** The score label of a dimension (higher is better); see `ItemBank.dimensionScoreLabel`. */
  dimensionLabel: (d: Dimension) => string;
  /** Shared client comments by client item id; ignored unless the client chose to share them. */
  comments?: Record<string, string>;
  /** Pseudonymous label for the title, e.g. "K-12". */
  clientLabel?: string;
  /** The appointment day (YYYY-MM-DD), shown in the title. */
  appointmentDate?: string;
  /** The item's own open question (client or professional item id); `null` falls back to the dimension's question. */
  itemQuestion?: (itemId: string) => string | null;
  /** The words (and face) of an answer as given to an item. */
  answerWords?: (itemId: string, value: ScaleValue) => { label: string; face: string | null };
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
  title: (clientLabel: string | null, appointment: string | null) => string;
  note: string;
  reversedNote: (label: string) => string;
  gap: Record<GapDirection, (points: number) => string>;
  closeGap: string;
  sameAnswer: string;
  lowClient: string;
  drop: (before: string, now: string) => string;
  agreement: (agreed: number, comparable: number) => string;
  trendLine: (label: string, sentences: string) => string;
  clientTrend: Record<TrendDirection, string>;
  professionalTrend: Record<TrendDirection, string>;
  trendFirst: string;
  trendUnavailable: string;
  alertDrop: (label: string, before: string, now: string) => string;
  alertSteady: string;
  status: {
    allAnswered: string;
    bothDone: string;
    noAnswers: string;
    clientMissing: string;
    professionalMissing: string;
    clientIncomplete: (given: number, total: number) => string;
    professionalIncomplete: (given: number, total: number) => string;
    clientNotSent: string;
    professionalNotSent: string;
    clientSkipped: (count: number) => string;
    professionalSkipped: (count: number) => string;
  };
  goingWellDimension: Record<Dimension, (label: string) => string>;
  goingWellReverseItem: (text: string) => string;
  skipped: string;
  noAnswer: string;
}

type TrendDirection = 'up' | 'same' | 'down';

const STRINGS: Record<Locale, SummaryStrings> = {
  nl: {
    title: (label, appointment) =>
      [label ? `Monitor met cliënt ${label}` : 'Monitor: jullie antwoorden naast elkaar', appointment ? `afspraak op ${appointment}` : null]
        .filter((part) => part !== null)
        .join(' · '),
    note: 'Een verschil is een onderwerp voor het gesprek. Het is geen oordeel over jullie contact of over iemand.',
    reversedNote: (label) =>
      `${label}: de vragen hierover zijn negatief gesteld ("het voelt als strijd"). De score is omgedraaid, dus ook hier is hoger beter.`,
    gap: {
      clientLower: (points) => `De cliënt ziet dit minder positief dan jij (verschil van ${points} punten).`,
      clientHigher: (points) => `De cliënt ziet dit positiever dan jij (verschil van ${points} punten).`,
    },
    closeGap: 'Dicht bij elkaar (1 punt verschil).',
    sameAnswer: 'Hetzelfde gezien.',
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
    trendFirst: 'Dit is de eerste ronde met deze cliënt. Er is nog geen vorige keer om mee te vergelijken.',
    trendUnavailable: 'Vergelijken met vorige keer lukt niet, omdat er antwoorden ontbreken.',
    alertDrop: (label, before, now) =>
      `Let op: de score van de cliënt voor ${label} is gedaald sinds vorige keer (van ${before} naar ${now}).`,
    alertSteady: 'Sinds vorige keer is de cliënt op geen enkel onderdeel een half punt of meer gedaald.',
    status: {
      allAnswered: 'Jullie hebben allebei alle vragen beantwoord.',
      bothDone: 'Jullie zijn allebei klaar.',
      noAnswers: 'Er zijn nog geen antwoorden, van geen van beiden.',
      clientMissing: 'De cliënt heeft de monitor niet ingevuld. Je ziet alleen jouw eigen antwoorden.',
      professionalMissing: 'Je hebt je eigen kant niet ingevuld. Je ziet alleen de antwoorden van de cliënt.',
      clientIncomplete: (given, total) => `De cliënt is gestopt na ${given} van de ${total} vragen.`,
      professionalIncomplete: (given, total) => `Je bent zelf gestopt na ${given} van de ${total} vragen.`,
      clientNotSent: 'De cliënt heeft alles ingevuld, maar niet verstuurd.',
      professionalNotSent: 'Je hebt alles ingevuld, maar niet verstuurd.',
      clientSkipped: (count) =>
        count === 1
          ? 'De cliënt heeft 1 vraag overgeslagen. Die telt niet mee.'
          : `De cliënt heeft ${count} vragen overgeslagen. Die tellen niet mee.`,
      professionalSkipped: (count) =>
        count === 1
          ? 'Je hebt zelf 1 vraag overgeslagen. Die telt niet mee.'
          : `Je hebt zelf ${count} vragen overgeslagen. Die tellen niet mee.`,
    },
    goingWellDimension: {
      direction: (label) => `${label}: jullie vinden allebei dat doelen en voorwaarden duidelijk zijn.`,
      trust: (label) => `${label}: jullie ervaren allebei vertrouwen in het contact.`,
      bond: (label) => `${label}: jullie ervaren allebei respect en steun.`,
      friction: (label) => `${label}: jullie ervaren allebei weinig strijd of tegenzin.`,
    },
    goingWellReverseItem: (text) => `Klopt volgens jullie allebei niet: "${text}"`,
    skipped: 'Overgeslagen',
    noAnswer: 'Geen antwoord',
  },
  en: {
    title: (label, appointment) =>
      [label ? `Monitor with client ${label}` : 'Monitor: your answers side by side', appointment ? `meeting on ${appointment}` : null]
        .filter((part) => part !== null)
        .join(' · '),
    note: 'A difference is a topic for the conversation. It is not a verdict on your working relationship or on anyone.',
    reversedNote: (label) =>
      `${label}: these questions are asked the negative way ("it feels like a battle"). The score is turned around, so here too higher is better.`,
    gap: {
      clientLower: (points) => `The client sees this less positively than you do (a difference of ${points} points).`,
      clientHigher: (points) => `The client sees this more positively than you do (a difference of ${points} points).`,
    },
    closeGap: 'Close to each other (1 point apart).',
    sameAnswer: 'Seen the same way.',
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
    trendFirst: 'This is the first round with this client. There is no earlier round to compare with yet.',
    trendUnavailable: 'Comparing with last time is not possible, because answers are missing.',
    alertDrop: (label, before, now) => `Note: the client's score for ${label} dropped since last time (from ${before} to ${now}).`,
    alertSteady: 'Since last time, the client has not dropped by half a point or more on any dimension.',
    status: {
      allAnswered: 'You have both answered every question.',
      bothDone: 'You are both done.',
      noAnswers: 'There are no answers yet, from either of you.',
      clientMissing: 'The client has not filled in the monitor. You only see your own answers.',
      professionalMissing: 'You have not filled in your own side. You only see the client’s answers.',
      clientIncomplete: (given, total) => `The client stopped after ${given} of ${total} questions.`,
      professionalIncomplete: (given, total) => `You stopped after ${given} of ${total} questions yourself.`,
      clientNotSent: 'The client answered everything, but did not send it.',
      professionalNotSent: 'You answered everything, but did not send it.',
      clientSkipped: (count) =>
        count === 1 ? 'The client skipped 1 question. It is not counted.' : `The client skipped ${count} questions. They are not counted.`,
      professionalSkipped: (count) =>
        count === 1 ? 'You skipped 1 question. It is not counted.' : `You skipped ${count} questions. They are not counted.`,
    },
    goingWellDimension: {
      direction: (label) => `${label}: you both find the goals and conditions clear.`,
      trust: (label) => `${label}: you both experience trust in the contact.`,
      bond: (label) => `${label}: you both experience respect and support.`,
      friction: (label) => `${label}: you both experience little struggle or reluctance.`,
    },
    goingWellReverseItem: (text) => `Not true for either of you: "${text}"`,
    skipped: 'Skipped',
    noAnswer: 'No answer',
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

function summaryStatus(
  client: SideCompleteness,
  professional: SideCompleteness,
  strings: SummaryStrings,
): { kind: SummaryStatusKind; sentences: string[] } {
  const s = strings.status;
  const total = (side: SideCompleteness): number => side.answered + side.skipped + side.unanswered;
  const given = (side: SideCompleteness): number => side.answered + side.skipped;
  if (client.status === 'missing' && professional.status === 'missing') return { kind: 'sideMissing', sentences: [s.noAnswers] };
  const sentences: string[] = [];
  if (client.status === 'missing') sentences.push(s.clientMissing);
  else if (client.status === 'incomplete')
    sentences.push(given(client) === total(client) ? s.clientNotSent : s.clientIncomplete(given(client), total(client)));
  if (professional.status === 'missing') sentences.push(s.professionalMissing);
  else if (professional.status === 'incomplete')
    sentences.push(
      given(professional) === total(professional)
        ? s.professionalNotSent
        : s.professionalIncomplete(given(professional), total(professional)),
    );
  const skips: string[] = [];
  if (client.status !== 'missing' && client.skipped > 0) skips.push(s.clientSkipped(client.skipped));
  if (professional.status !== 'missing' && professional.skipped > 0) skips.push(s.professionalSkipped(professional.skipped));
  if (client.status === 'missing' || professional.status === 'missing') return { kind: 'sideMissing', sentences: [...sentences, ...skips] };
  if (sentences.length > 0) return { kind: 'incomplete', sentences: [...sentences, ...skips] };
  if (skips.length > 0) return { kind: 'skipped', sentences: [s.bothDone, ...skips] };
  return { kind: 'complete', sentences: [s.allAnswered] };
}

function changeAlert(
  comparison: PairComparison,
  dimensionLabel: (d: Dimension) => string,
  strings: SummaryStrings,
  locale: Locale,
): ChangeAlert {
  if (comparison.changes === null) return { kind: 'first', lines: [strings.trendFirst] };
  const drops = comparison.changes
    .filter((change) => change.client !== null && change.client <= -DROP_THRESHOLD + EPSILON)
    .sort((a, b) => (a.client ?? 0) - (b.client ?? 0));
  if (drops.length > 0) {
    return {
      kind: 'drop',
      lines: drops.flatMap((change) => {
        const now = comparison.dimensions.find((d) => d.dimension === change.dimension)?.client.mean ?? null;
        if (now === null || change.client === null) return [];
        return [strings.alertDrop(dimensionLabel(change.dimension), formatScore(now - change.client, locale), formatScore(now, locale))];
      }),
    };
  }
  if (comparison.changes.every((change) => change.client === null)) return { kind: 'unavailable', lines: [strings.trendUnavailable] };
  return { kind: 'steady', lines: [strings.alertSteady] };
}

function answerView(
  state: ItemComparison['clientState'],
  oriented: number | null,
  itemId: string,
  reverse: boolean,
  options: SummaryOptions,
  strings: SummaryStrings,
): AnswerView {
  if (oriented === null || state !== 'answered') {
    return { state, value: null, label: state === 'skipped' ? strings.skipped : strings.noAnswer, face: null };
  }
  // Oriented values mirror back to the answer as given: orient is its own inverse.
  const value = orient(oriented, reverse);
  if (!isScaleValue(value)) return { state, value: null, label: String(value), face: null };
  const words = options.answerWords?.(itemId, value) ?? { label: String(value), face: null };
  return { state, value, label: words.label, face: words.face };
}

function itemRow(item: ItemComparison, options: SummaryOptions, strings: SummaryStrings): ItemRow {
  const difference = item.difference;
  let gap: GapSize | null = null;
  let gapText: string | null = null;
  if (difference !== null) {
    const size = Math.abs(difference);
    gap = size >= GAP_MIN_DIFFERENCE ? 'big' : size > 0 ? 'close' : 'same';
    gapText =
      gap === 'big'
        ? strings.gap[difference < 0 ? 'clientLower' : 'clientHigher'](size)
        : gap === 'close'
          ? strings.closeGap
          : strings.sameAnswer;
  }
  return {
    clientItemId: item.clientItemId,
    professionalItemId: item.professionalItemId,
    dimension: item.dimension,
    dimensionLabel: options.dimensionLabel(item.dimension),
    text: options.itemText(item.clientItemId),
    reverse: item.reverse,
    client: answerView(item.clientState, item.client, item.clientItemId, item.reverse, options, strings),
    professional: answerView(item.professionalState, item.professional, item.professionalItemId, item.reverse, options, strings),
    difference,
    gap,
    gapText,
  };
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
  // The item's own question first; the dimension's question when the bank has none (or it was asked already).
  const question = (dimension: Dimension, kind: QuestionKind, itemId: string | null = null): string => {
    const own = itemId ? (options.itemQuestion?.(itemId) ?? null) : null;
    const candidates = [own, QUESTIONS[dimension][kind][locale], SECOND_QUESTIONS[kind][locale]];
    const chosen = candidates.find((c): c is string => c !== null && !askedQuestions.has(c)) ?? SECOND_QUESTIONS[kind][locale];
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
      // Client lower: explore the client's experience; client higher: start from the professional's own doubt.
      question: question(gap.dimension, direction, direction === 'clientLower' ? gap.clientItemId : gap.professionalItemId),
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
      question: question(low.dimension, 'lowClient', low.clientItemId),
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
      const text = strings.goingWellDimension[d.dimension](dimensionLabel(d.dimension));
      goingWell.push({ dimension: d.dimension, clientItemId: null, text, comment: null });
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
        // A friction item "goes well" when neither finds it true: say so, never list the friction itself.
        text: item.reverse ? strings.goingWellReverseItem(itemText(item.clientItemId)) : itemText(item.clientItemId),
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
  const appointment = options.appointmentDate ? formatDay(options.appointmentDate, locale) : null;
  const status = summaryStatus(comparison.client, comparison.professional, strings);
  const skipped: SkippedItem[] = [
    ...comparison.items.filter((item) => item.clientState === 'skipped').map((item) => ({ perspective: 'client' as const, item })),
    ...comparison.items
      .filter((item) => item.professionalState === 'skipped')
      .map((item) => ({ perspective: 'professional' as const, item })),
  ].map(({ perspective, item }) => ({ perspective, clientItemId: item.clientItemId, text: itemText(item.clientItemId) }));
  const reversedDimensions = comparison.dimensions.filter((d) =>
    comparison.items.some((item) => item.dimension === d.dimension && item.reverse),
  );
  return {
    locale,
    title: strings.title(clientLabel, appointment),
    clientLabel,
    appointment,
    status: { kind: status.kind, text: status.sentences.join(' ') },
    changeAlert: changeAlert(comparison, dimensionLabel, strings, locale),
    note: strings.note,
    reversedNote:
      reversedDimensions.length > 0 ? reversedDimensions.map((d) => strings.reversedNote(dimensionLabel(d.dimension))).join(' ') : null,
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
    missing: status.kind === 'complete' || status.kind === 'skipped' ? [] : status.sentences,
    skipped,
    otherComments,
    items: comparison.items.map((item) => itemRow(item, options, strings)),
  };
}

function rank(order: string[], id: string): number {
  const index = order.indexOf(id);
  return index === -1 ? order.length : index;
}
