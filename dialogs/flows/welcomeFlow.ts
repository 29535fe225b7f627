import type { CardAction } from '../../cards/cardActions';
import { createJoinCodeCard } from '../../cards/roundCards';
import { createWelcomeCard } from '../../cards/welcomeCard';
import type { OverviewLinkIssuer } from '../../services/professionals/overviewLinks';
import type { QuestionnaireService } from '../../services/questionnaire/questionnaireService';
import type { RoundParticipation } from '../../services/rounds/roundParticipation';
import type { ConversationTurn } from '../conversationTurn';
import { isQuestionnaireContext } from '../pendingContext';
import type { ClientJoinFlow } from './clientJoinFlow';
import { showProfessionalMenu } from './professionalMenu';
import type { QuestionnaireFlow } from './questionnaireFlow';

type Action<V extends CardAction['verb']> = Extract<CardAction, { verb: V }>;

/**
 * Welcome and role: who is this and what can they do now. Also "start" and "go on", which open
 * (or reopen) the person's own questions.
 */
export class WelcomeFlow {
  constructor(
    private readonly questionnaire: QuestionnaireService,
    private readonly participation: RoundParticipation,
    private readonly clientJoin: ClientJoinFlow,
    private readonly questions: QuestionnaireFlow,
    private readonly overviewLink: OverviewLinkIssuer,
  ) {}

  /** What this person can do next: the professional's menu, the client's round, or the welcome. */
  async greet(turn: ConversationTurn): Promise<void> {
    const profile = turn.profile;
    if (profile.professionalId) return showProfessionalMenu(turn, profile.professionalId, this.overviewLink);
    if (profile.role === 'client') {
      const round = await this.clientJoin.clientRound(turn);
      if (round) return this.clientJoin.greetClient(turn, round);
      return this.clientJoin.askForCode(turn);
    }
    turn.pending = { kind: 'choosingRole' };
    await turn.show(createWelcomeCard(profile.locale));
  }

  /** Someone opened the chat (again): in the middle of the questions they see where they were. */
  async joined(turn: ConversationTurn): Promise<void> {
    if (isQuestionnaireContext(turn.pending)) return this.questions.reprompt(turn);
    return this.greet(turn);
  }

  /** "hi", "hallo": no misunderstanding, just what comes next. */
  async greeting(turn: ConversationTurn): Promise<void> {
    return this.joined(turn);
  }

  async chooseRole(turn: ConversationTurn, action: Action<'chooseRole'>): Promise<void> {
    const profile = turn.profile;
    if (action.role === 'professional') {
      if (profile.professionalId) return this.greet(turn);
      await turn.say(turn.s.proNeedsLink);
      return;
    }
    if (!profile.professionalId) profile.role = 'client';
    await turn.say(turn.s.chosenRole(turn.s.roleClient));
    return this.greet(turn);
  }

  /** "Start" on the explanation (or "done" on the settings card, which leads to the explanation). */
  async start(turn: ConversationTurn): Promise<void> {
    if (isQuestionnaireContext(turn.pending)) return this.questions.reprompt(turn);
    if (turn.pending.kind === 'settings' && !turn.profile.professionalId) {
      const round = await this.clientJoin.clientRound(turn);
      if (round) return this.clientJoin.greetClient(turn, round);
    }
    return this.openQuestions(turn);
  }

  /** "Go on" / "verder": back to where the questions were. */
  async resume(turn: ConversationTurn): Promise<void> {
    if (isQuestionnaireContext(turn.pending)) return this.questions.reprompt(turn);
    return this.openQuestions(turn);
  }

  /** "Start again" on the welcome-back card: opens the questions and asks before erasing anything. */
  async restart(turn: ConversationTurn): Promise<void> {
    if (!isQuestionnaireContext(turn.pending)) await this.openQuestions(turn);
    if (isQuestionnaireContext(turn.pending)) return this.questions.askRestart(turn);
  }

  /** Opens this person's own set: the professional's active side, or the client's set of their round. */
  private async openQuestions(turn: ConversationTurn): Promise<void> {
    const profile = turn.profile;
    if (profile.professionalId) {
      const responseSet = profile.activeResponseSetId ? await this.questionnaire.get(profile.activeResponseSetId) : undefined;
      if (!responseSet || responseSet.status === 'completed') return showProfessionalMenu(turn, profile.professionalId, this.overviewLink);
      return this.questions.begin(turn, responseSet.id);
    }
    const round = await this.clientJoin.clientRound(turn);
    if (!round) {
      turn.pending = { kind: 'enteringCode' };
      await turn.show(createJoinCodeCard(profile.locale));
      return;
    }
    const responseSet = await this.participation.clientResponseSet(round, turn.userId, profile);
    if (responseSet.status === 'completed') {
      turn.pending = { kind: 'none' };
      await turn.say(turn.s.alreadyCompleted);
      return;
    }
    return this.questions.begin(turn, responseSet.id);
  }
}
