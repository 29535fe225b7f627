/**
 * @packageDocumentation
 * A small typed subset of the Adaptive Card 1.5 schema: what our cards use and no more.
 *
 * @remarks Teams renders Adaptive Cards up to 1.5, so every card we build states that version.
 * Typing the subset keeps card functions honest without pulling in a renderer package.
 */

export const ADAPTIVE_CARD_VERSION = '1.5';

export type TextSize = 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
export type TextWeight = 'Lighter' | 'Default' | 'Bolder';
export type TextColor = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';
export type Spacing = 'None' | 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge' | 'Padding';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  size?: TextSize;
  weight?: TextWeight;
  color?: TextColor;
  isSubtle?: boolean;
  spacing?: Spacing;
  horizontalAlignment?: 'Left' | 'Center' | 'Right';
  id?: string;
  style?: 'default' | 'heading';
}

export interface Image {
  type: 'Image';
  url: string;
  altText: string;
  size?: 'Auto' | 'Stretch' | 'Small' | 'Medium' | 'Large';
  width?: string;
  height?: string;
}

export interface Column {
  type: 'Column';
  width?: string | number;
  items: CardElement[];
  style?: ContainerStyle;
  verticalContentAlignment?: 'Top' | 'Center' | 'Bottom';
  spacing?: Spacing;
  selectAction?: Action;
  /** Lets an empty, styled column show as a bar segment (Adaptive Cards 1.2+). */
  minHeight?: string;
}

export interface ColumnSet {
  type: 'ColumnSet';
  columns: Column[];
  spacing?: Spacing;
  separator?: boolean;
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  style?: ContainerStyle;
  spacing?: Spacing;
  separator?: boolean;
  bleed?: boolean;
  minHeight?: string;
}

export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
  spacing?: Spacing;
}

export interface ActionSet {
  type: 'ActionSet';
  actions: Action[];
  spacing?: Spacing;
}

export interface InputText {
  type: 'Input.Text';
  id: string;
  label?: string;
  placeholder?: string;
  isMultiline?: boolean;
  maxLength?: number;
  value?: string;
}

export interface InputToggle {
  type: 'Input.Toggle';
  id: string;
  title: string;
  value?: 'true' | 'false';
  valueOn?: string;
  valueOff?: string;
}

export interface InputChoiceSet {
  type: 'Input.ChoiceSet';
  id: string;
  label?: string;
  style?: 'compact' | 'expanded';
  value?: string;
  choices: { title: string; value: string }[];
  isRequired?: boolean;
  errorMessage?: string;
}

export interface InputDate {
  type: 'Input.Date';
  id: string;
  label?: string;
  value?: string;
  min?: string;
  max?: string;
  isRequired?: boolean;
  errorMessage?: string;
}

export type CardElement =
  | TextBlock
  | Image
  | ColumnSet
  | Container
  | FactSet
  | ActionSet
  | InputText
  | InputToggle
  | InputChoiceSet
  | InputDate;

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: object;
  style?: 'default' | 'positive' | 'destructive';
  id?: string;
  tooltip?: string;
  associatedInputs?: 'auto' | 'none';
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

/** Opens a card inside this one on tap (Adaptive Cards 1.0+, inline in Web Chat and Teams): no round trip to the bot. */
export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: { type: 'AdaptiveCard'; body: CardElement[]; actions?: Action[] };
}

export type Action = SubmitAction | OpenUrlAction | ShowCardAction;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: typeof ADAPTIVE_CARD_VERSION;
  body: CardElement[];
  actions?: Action[];
  speak?: string;
  lang?: string;
  fallbackText?: string;
}

/** Builds the outer card object so every card carries the same schema and version. */
export function adaptiveCard(body: CardElement[], options: { actions?: Action[]; speak?: string; lang?: string } = {}): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    body,
    ...(options.actions && options.actions.length > 0 ? { actions: options.actions } : {}),
    ...(options.speak ? { speak: options.speak } : {}),
    ...(options.lang ? { lang: options.lang } : {}),
  };
}

export function textBlock(text: string, options: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock {
  return { type: 'TextBlock', text, wrap: true, ...options };
}
