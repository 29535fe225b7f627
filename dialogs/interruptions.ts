import type { CardAction } from '../cards/cardActions';
import { createHelpCard } from '../cards/helpCard';
import { createPausedCard } from '../cards/messageCards';
import { createSettingsCard } from '../cards/settingsCard';
import type { QuestionnaireService } from '../services/questionnaire/questionnaireService';
import type { ConversationTurn } from './conversationTurn';
import { isQuestionnaireContext } from './pendingContext';

type Action<V extends CardAction['verb']> = Extract<CardAction, { verb: V }>;

/**
 * Help, settings (language, simple words) and pause: allowed at any moment, from a button or in
 * words, like `CancelAndHelpDialog` in the Bot Framework samples. In the middle of the questions
 * they leave the person where they were; a pause closes what was open (answers stay stored).
 */
export class Interruptions {
  constructor(
    private readonly questionnaire: QuestionnaireService,
    private readonly reprompt: (turn: ConversationTurn) => Promise<void>,
  ) {}

  async help(turn: ConversationTurn): Promise<void> {
    await turn.show(createHelpCard(turn.locale));
  }

  async settings(turn: ConversationTurn, action: Action<'settings'>): Promise<void> {
    const profile = turn.profile;
    profile.locale = action.locale ?? profile.locale;
    profile.register = action.register ?? profile.register;
    const changed = action.locale !== undefined || action.register !== undefined;
    const s = turn.s;
    const pending = turn.pending;
    if (isQuestionnaireContext(pending)) {
      if (!changed) {
        await turn.show(createSettingsCard(profile.locale, profile.register));
        return;
      }
      await turn.say(s.settingsSaved(s.languageName, profile.register === 'simple'));
      await this.questionnaire.setPresentation(pending.responseSetId, profile.locale, profile.register);
      return this.reprompt(turn);
    }
    if (changed) await turn.say(s.settingsSaved(s.languageName, profile.register === 'simple'));
    if (pending.kind !== 'choosingRole') turn.pending = { kind: 'settings' };
    await turn.show(createSettingsCard(profile.locale, profile.register));
  }

  async pause(turn: ConversationTurn): Promise<void> {
    turn.pending = { kind: 'none' };
    // A card with 'Verder': going on is one tap, not a word to type.
    await turn.show(createPausedCard(turn.locale));
  }
}
