import { CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../cards/adaptiveCard';

/** Sends a card with its `speak` text and language, so channels that speak can read it aloud. */
export async function sendCard(context: TurnContext, card: AdaptiveCard): Promise<string | undefined> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  if (card.speak) activity.speak = card.speak;
  activity.locale = card.lang === 'en' ? 'en-US' : 'nl-NL';
  const response = await context.sendActivity(activity);
  return response?.id;
}

/** Channels that render Adaptive Cards; elsewhere the bot sends plain text. */
export function channelShowsCards(channelId: string | undefined): boolean {
  return ['msteams', 'directline', 'webchat', 'emulator', 'test'].includes(channelId ?? '');
}
