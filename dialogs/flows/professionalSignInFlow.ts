import type { ConversationReferenceRepository } from '../../services/conversations/conversationReferenceRepository';
import { professionalReferenceKey } from '../../services/conversations/conversationReferenceRepository';
import { credentialGeneration } from '../../services/professionals/professional';
import type { ProfessionalDirectory } from '../../services/professionals/professionalDirectory';
import type { OverviewLinkIssuer } from '../../services/professionals/overviewLinks';
import type { ConversationTurn } from '../conversationTurn';
import { saveConversationReference } from '../conversationReferences';
import { showProfessionalMenu } from './professionalMenu';

/**
 * Who a professional is: a Teams user of an allowed tenant, or someone who opened a personal link
 * (the web page sends it as an event). A revoked professional loses the role at once.
 */
export class ProfessionalSignInFlow {
  constructor(
    private readonly professionals: ProfessionalDirectory,
    private readonly references: ConversationReferenceRepository,
    private readonly allowedTenantIds: string[],
    private readonly overviewLink: OverviewLinkIssuer,
  ) {}

  /**
   * Teams users are professionals of an allowed tenant; a web professional must still be valid
   * (not revoked). Returns false when the turn should stop here.
   */
  async identify(turn: ConversationTurn): Promise<boolean> {
    const activity = turn.context.activity;
    const profile = turn.profile;
    if (activity.channelId === 'msteams' && activity.from?.aadObjectId) {
      const tenantId =
        activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? '';
      const professional = await this.professionals.authenticateTeamsUser(
        activity.from.aadObjectId,
        tenantId,
        this.allowedTenantIds,
        activity.from.name ?? '',
      );
      if (!professional) {
        await turn.say(turn.s.tenantNotAllowed);
        return false;
      }
      if (profile.professionalId !== professional.id) {
        profile.role = 'professional';
        profile.professionalId = professional.id;
        profile.register = 'standard';
      }
      // Teams signs the person in on every turn: the session follows the current generation.
      profile.professionalGeneration = credentialGeneration(professional);
      await saveConversationReference(this.references, turn.context, professionalReferenceKey(professional.id), profile.locale);
      return true;
    }
    if (profile.professionalId) {
      const session = await this.professionals.activeSession(profile.professionalId, profile.professionalGeneration);
      if (!session) {
        // A rotated link ends the sessions made with the old one; a revoked professional loses the role.
        const professional = await this.professionals.get(profile.professionalId);
        profile.professionalId = null;
        profile.professionalGeneration = undefined;
        profile.role = null;
        await turn.say(professional && !professional.revokedAt ? turn.s.proLinkReplaced : turn.s.proRevoked);
        return false;
      }
      // The conversation they used last is where summaries and notices go.
      await saveConversationReference(this.references, turn.context, professionalReferenceKey(session.id), profile.locale);
    }
    return true;
  }

  /** The web page opened a personal link: sign in and show the menu. */
  async signInWithLink(turn: ConversationTurn, secret: unknown): Promise<void> {
    const professional = await this.professionals.authenticateBySecret(secret);
    if (!professional) {
      await turn.say(turn.s.proLinkInvalid);
      return;
    }
    const profile = turn.profile;
    profile.role = 'professional';
    profile.professionalId = professional.id;
    profile.professionalGeneration = credentialGeneration(professional);
    profile.register = 'standard';
    await saveConversationReference(this.references, turn.context, professionalReferenceKey(professional.id), profile.locale);
    await turn.say(turn.s.proSignedIn(professional.displayName));
    await showProfessionalMenu(turn, professional.id, this.overviewLink);
  }
}
