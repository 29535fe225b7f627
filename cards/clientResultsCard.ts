/**
 * @packageDocumentation
 * The client's own results in plain words: their side only, never the professional's answers.
 *
 * @remarks The model type has no professional fields, so this card cannot show them. No numbers
 * are shown to the client: a bar and a short sentence say more to a reader with low literacy.
 */
import { Locale } from '../services/vocabulary';
import { ClientResultsModel } from '../services/summary/clientResults';
import { AdaptiveCard, CardElement, adaptiveCard, textBlock } from './adaptiveCard';
import { scoreBar } from './summaryCard';

interface ClientCardStrings {
  talkAboutHeading: string;
}

// Almost all wording comes with the model (services/summary.ts); only the card's own heading lives here.
const STRINGS: Record<Locale, ClientCardStrings> = {
  nl: { talkAboutHeading: 'Om over te praten' },
  en: { talkAboutHeading: 'To talk about' },
};

/** Builds the card with the client's own results. */
export function createClientResultsCard(results: ClientResultsModel, locale: Locale): AdaptiveCard {
  const strings = STRINGS[locale];
  const body: CardElement[] = [
    textBlock(results.title, { size: 'Large', weight: 'Bolder' }),
    ...results.intro.map((line) => textBlock(line, { spacing: 'Small' })),
    textBlock(results.barHint, { spacing: 'Medium', isSubtle: true }),
  ];
  for (const d of results.dimensions) {
    const items: CardElement[] = [textBlock(d.label, { weight: 'Bolder' })];
    if (d.mean !== null) items.push(scoreBar(d.mean, 'accent'));
    items.push(textBlock(d.text, { spacing: 'Small' }));
    body.push({ type: 'Container', spacing: 'Medium', items });
  }
  if (results.talkAboutIntro && results.talkAbout.length > 0) {
    body.push(textBlock(strings.talkAboutHeading, { size: 'Medium', weight: 'Bolder', spacing: 'Large' }));
    body.push(textBlock(results.talkAboutIntro, { spacing: 'Small' }));
    for (const item of results.talkAbout) body.push(textBlock(`- ${item}`, { spacing: 'Small' }));
  }
  if (results.skippedNote) body.push(textBlock(results.skippedNote, { spacing: 'Medium', isSubtle: true }));
  if (results.sharingNote) body.push(textBlock(results.sharingNote, { spacing: 'Small', isSubtle: true }));
  return { ...adaptiveCard(body, { lang: locale }), fallbackText: clientResultsText(results, locale) };
}

/**
 * The client's results as short plain-text lines, for channels without cards.
 *
 * @remarks The bars are left out; the sentence per part carries the same meaning.
 */
export function clientResultsText(results: ClientResultsModel, locale: Locale): string {
  const strings = STRINGS[locale];
  const lines: string[] = [`**${results.title}**`, ...results.intro, ''];
  for (const d of results.dimensions) lines.push(`- ${d.label}: ${d.text}`);
  if (results.talkAboutIntro && results.talkAbout.length > 0) {
    lines.push('', `**${strings.talkAboutHeading}**`, results.talkAboutIntro, ...results.talkAbout.map((item) => `- ${item}`));
  }
  if (results.skippedNote || results.sharingNote) lines.push('');
  if (results.skippedNote) lines.push(results.skippedNote);
  if (results.sharingNote) lines.push(results.sharingNote);
  return lines.join('\n');
}
