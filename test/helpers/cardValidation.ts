import type { Action, AdaptiveCard, CardElement } from '../../cards/adaptiveCard';

/**
 * Checks a card the way a renderer would: the Adaptive Cards library parses it and lists unknown
 * elements, actions and bad values; on top of that our own rules: version 1.5, every submit has a
 * `verb`, and every text wraps (so nothing is cut off on a 360 px phone).
 *
 * @remarks `require('adaptivecards')` crashes on Node 20; its browser bundle loads with `window`
 * pointing at the global object. That bundle (1.2) knows no version above 1.2, so exactly that one
 * complaint is ignored; Web Chat and Teams render 1.5.
 */
interface ParseFailure {
  message: string;
}
interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(json: unknown, errors: ParseFailure[]): void;
    validateProperties(): { failures: { errors: ParseFailure[] }[] };
  };
}

function loadAdaptiveCards(): AdaptiveCardsModule {
  const global = globalThis as { window?: unknown };
  global.window ??= globalThis;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;
}

const VERSION_COMPLAINT = /card version \(1\.5\) is not supported/;

function ownRules(elements: CardElement[], actions: Action[], where: string): string[] {
  const problems: string[] = [];
  const checkActions = (list: Action[], at: string): void => {
    for (const action of list) {
      if (action.type === 'Action.Submit' && typeof (action.data as { verb?: unknown }).verb !== 'string') {
        problems.push(`${at}: "${action.title}" submits no verb`);
      }
      if (action.type === 'Action.ShowCard')
        problems.push(...ownRules(action.card.body, action.card.actions ?? [], `${at} > ${action.title}`));
    }
  };
  const walk = (list: CardElement[]): void => {
    for (const element of list) {
      if (element.type === 'TextBlock' && element.wrap !== true)
        problems.push(`${where}: text "${element.text.slice(0, 40)}" does not wrap`);
      if (element.type === 'Container') walk(element.items);
      if (element.type === 'ColumnSet') for (const column of element.columns) walk(column.items);
      if (element.type === 'ActionSet') checkActions(element.actions, where);
    }
  };
  walk(elements);
  checkActions(actions, where);
  return problems;
}

/** Every problem found; an empty list means the card is fine. */
export function validateAdaptiveCard(card: AdaptiveCard): string[] {
  const problems: string[] = [];
  // The type says 1.5; a card built by hand (or cast) may still say otherwise.
  const version: string = card.version;
  if (version !== '1.5') problems.push(`version is ${version}, not 1.5`);
  const { AdaptiveCard: Renderer } = loadAdaptiveCards();
  const parsed = new Renderer();
  const errors: ParseFailure[] = [];
  parsed.parse(JSON.parse(JSON.stringify(card)), errors);
  const failures = parsed.validateProperties().failures.flatMap((failure) => failure.errors);
  for (const error of [...errors, ...failures]) if (!VERSION_COMPLAINT.test(error.message)) problems.push(error.message);
  problems.push(...ownRules(card.body, card.actions ?? [], 'card'));
  return problems;
}
