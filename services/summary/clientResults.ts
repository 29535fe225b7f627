import type { Dimension, Locale } from '../vocabulary';
import type { ResponseSet } from '../questionnaire/responseSet';
import { comparePair, type ItemPair } from './comparison';
import { GOING_WELL_MIN } from './professionalSummary';

const EPSILON = 1e-9;

export type ClientLevel = 'good' | 'fair' | 'talk';

export interface ClientDimensionResult {
  dimension: Dimension;
  label: string;
  /** Unrounded oriented mean of the client's own answers; `null` when nothing was answered. */
  mean: number | null;
  level: ClientLevel | null;
  text: string;
}

/**
 * The client's own results in plain words (B1).
 *
 * @remarks Holds no field for the professional's side at all, so a card built from it cannot leak it.
 */
export interface ClientResultsModel {
  locale: Locale;
  title: string;
  intro: string[];
  barHint: string;
  dimensions: ClientDimensionResult[];
  talkAboutIntro: string | null;
  /** Client item texts of the client's lowest items, in their own wording. */
  talkAbout: string[];
  skippedNote: string | null;
  sharingNote: string | null;
}

export interface ClientResultsOptions {
  locale: Locale;
  itemText: (itemId: string) => string;
  dimensionLabel: (d: Dimension) => string;
}

interface ClientStrings {
  title: string;
  intro: string[];
  barHint: string;
  level: Record<ClientLevel, string>;
  noAnswer: string;
  talkAboutIntro: string;
  skipped: (count: number) => string;
  shared: string;
  notShared: string;
}

/** B1 wording: short sentences, everyday words, one idea per sentence. */
const CLIENT_STRINGS: Record<Locale, ClientStrings> = {
  nl: {
    title: 'Jouw antwoorden',
    intro: ['Dit is wat jij hebt ingevuld.', 'Je begeleider ziet jouw antwoorden ook.', 'Jullie praten er samen over.'],
    barHint: 'Hoe langer de balk, hoe beter het gaat.',
    level: { good: 'Dit gaat goed.', fair: 'Dit gaat redelijk.', talk: 'Hier is iets om over te praten.' },
    noAnswer: 'Hier heb je niets over ingevuld.',
    talkAboutIntro: 'Misschien wil je hierover praten:',
    skipped: (count) =>
      count === 1
        ? 'Je hebt 1 vraag overgeslagen. Dat mag. Die telt niet mee.'
        : `Je hebt ${count} vragen overgeslagen. Dat mag. Die tellen niet mee.`,
    shared: 'Je begeleider ziet ook je opmerkingen. Dat heb je zelf gekozen.',
    notShared: 'Je begeleider ziet je opmerkingen niet. Dat heb je zelf gekozen.',
  },
  en: {
    title: 'Your answers',
    intro: ['This is what you filled in.', 'Your support worker sees your answers too.', 'You will talk about them together.'],
    barHint: 'The longer the bar, the better it is going.',
    level: { good: 'This is going well.', fair: 'This is going fairly well.', talk: 'There is something to talk about here.' },
    noAnswer: 'You did not answer anything here.',
    talkAboutIntro: 'Maybe you want to talk about this:',
    skipped: (count) =>
      count === 1
        ? 'You skipped 1 question. That is fine. It does not count.'
        : `You skipped ${count} questions. That is fine. They do not count.`,
    shared: 'Your support worker also sees your comments. You chose this.',
    notShared: 'Your support worker does not see your comments. You chose this.',
  },
};

function clientLevel(mean: number): ClientLevel {
  if (mean >= GOING_WELL_MIN - EPSILON) return 'good';
  if (mean >= 3 - EPSILON) return 'fair';
  return 'talk';
}

/**
 * Builds the client's own results from their answers only.
 *
 * @remarks Takes no professional answers: the comparison is run with the professional side empty,
 * and only client fields are copied into the model.
 */
export function buildClientResults(input: { pairs: ItemPair[]; client: ResponseSet }, options: ClientResultsOptions): ClientResultsModel {
  const { locale, itemText, dimensionLabel } = options;
  const strings = CLIENT_STRINGS[locale];
  const own = comparePair({ pairs: input.pairs, client: input.client, professional: null });
  const talkAbout = own.lowestClientItems.map((item) => itemText(item.clientItemId));
  const hasComments = Object.values(input.client.answers).some((answer) => Boolean(answer.comment?.trim()));
  return {
    locale,
    title: strings.title,
    intro: strings.intro,
    barHint: strings.barHint,
    dimensions: own.dimensions.map((d) => {
      const level = d.client.mean === null ? null : clientLevel(d.client.mean);
      return {
        dimension: d.dimension,
        label: dimensionLabel(d.dimension),
        mean: d.client.mean,
        level,
        text: level ? strings.level[level] : strings.noAnswer,
      };
    }),
    talkAboutIntro: talkAbout.length > 0 ? strings.talkAboutIntro : null,
    talkAbout,
    skippedNote: own.client.skipped > 0 ? strings.skipped(own.client.skipped) : null,
    sharingNote: hasComments ? (input.client.commentsShared ? strings.shared : strings.notShared) : null,
  };
}
