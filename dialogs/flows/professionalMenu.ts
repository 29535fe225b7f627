import { createProfessionalMenuCard } from '../../cards/roundCards';
import type { OverviewLinkIssuer } from '../../services/professionals/overviewLinks';
import type { ConversationTurn } from '../conversationTurn';

/** The professional's menu, with its "Overzicht" button when there is a tab to link to. */
export async function showProfessionalMenu(
  turn: ConversationTurn,
  professionalId: string,
  overviewLink: OverviewLinkIssuer,
): Promise<void> {
  turn.pending = { kind: 'professionalMenu' };
  await turn.show(createProfessionalMenuCard(turn.locale, await overviewLink(professionalId, turn.context.activity.channelId)));
}
