import { professionalActor } from '../../services/access/accessLog';
import type { AccessRecorder } from '../../services/access/accessRecorder';
import type { CardAction } from '../../cards/cardActions';
import { createIntroCard } from '../../cards/messageCards';
import {
  createCancelRoundCard,
  createDeleteRoundCard,
  createInvitationCard,
  createOverviewLinkCard,
  createRoundFormCard,
  createRoundListCard,
  describeRound,
  RoundIdentity,
  RoundListEntry,
} from '../../cards/roundCards';
import { createSummaryCard } from '../../cards/summaryCard';
import { formatDay } from '../../services/dates';
import type { OverviewLinkIssuer } from '../../services/professionals/overviewLinks';
import type { QuestionnaireService } from '../../services/questionnaire/questionnaireService';
import type { CreatedInvitation, RoundService } from '../../services/rounds/roundService';
import type { RoundParticipation } from '../../services/rounds/roundParticipation';
import { RoundInputError, type Round } from '../../services/rounds/round';
import type { RoundProgress } from '../../services/rounds/roundProgress';
import { professionalSummary } from '../../services/summary/roundReport';
import { isDomain, isForm } from '../../services/vocabulary';
import type { ConversationTurn } from '../conversationTurn';
import { showProfessionalMenu } from './professionalMenu';

type Action<V extends CardAction['verb']> = Extract<CardAction, { verb: V }>;

/** Rounds per card of "mijn rondes": a card stays readable on a phone; "show more" gives the next ones. */
const ROUND_LIST_PAGE = 10;

export interface ProfessionalRoundsDeps {
  questionnaire: QuestionnaireService;
  rounds: RoundService;
  progress: RoundProgress;
  participation: RoundParticipation;
  publicUrl: string;
  now: () => Date;
  /** Notes every summary shown in chat in the access log. */
  access: AccessRecorder;
  /** A fresh one-time id for each card that creates or changes something. */
  newActionId: () => string;
  overviewLink: OverviewLinkIssuer;
  /** What someone who is not a signed-in professional sees after clicking a professional's card. */
  notAProfessional(turn: ConversationTurn): Promise<void>;
}

/**
 * The professional's side: the menu, a new round (form, invitation), their rounds (status, the
 * comparison, a new code, cancel, delete), and answering their own side.
 *
 * @remarks Every handler first checks that the person is a signed-in professional, and services
 * check that a round is theirs: a forwarded card never acts on someone else's round.
 */
export class ProfessionalRoundsFlow {
  constructor(private readonly deps: ProfessionalRoundsDeps) {}

  menu(turn: ConversationTurn): Promise<void> {
    return this.asProfessional(turn, (professionalId) => showProfessionalMenu(turn, professionalId, this.deps.overviewLink));
  }

  /** Typed "overzicht": the link to the tab, or the round list where there is no tab. */
  overviewLink(turn: ConversationTurn): Promise<void> {
    return this.asProfessional(turn, async (professionalId) => {
      const url = await this.deps.overviewLink(professionalId, turn.context.activity.channelId);
      if (!url) {
        await this.showRoundList(turn, professionalId, null);
        return;
      }
      await turn.show(createOverviewLinkCard(turn.locale, turn.s.overviewLinkIntro, url));
    });
  }

  newRound(turn: ConversationTurn): Promise<void> {
    return this.asProfessional(turn, async () => {
      const bank = this.deps.questionnaire.itemBank;
      await turn.show(
        createRoundFormCard(
          turn.locale,
          { full: bank.items('full', 'client').length, short: bank.items('short', 'client').length },
          this.deps.now().toISOString().slice(0, 10),
          this.deps.newActionId(),
        ),
      );
    });
  }

  createRound(turn: ConversationTurn, action: Action<'createRound'>): Promise<void> {
    return this.asProfessional(turn, async (professionalId) => {
      const s = turn.s;
      const domain = action.domain === 'none' || action.domain === '' ? null : action.domain;
      if ((domain !== null && !isDomain(domain)) || !isForm(action.form)) {
        await turn.say(s.roundInputProblem(domain !== null && !isDomain(domain) ? 'domain' : 'form'));
        return;
      }
      try {
        const input = {
          professionalId,
          clientLabel: action.clientLabel,
          domain,
          form: action.form,
          appointmentDate: action.appointmentDate,
        };
        const result = action.actionId
          ? await this.deps.rounds.createOnce(input, action.actionId)
          : { kind: 'created' as const, ...(await this.deps.rounds.create(input)) };
        if (result.kind === 'existing') {
          await turn.say(s.roundAlreadyCreated(describeRound(turn.locale, roundIdentity(result.round))));
          return;
        }
        await this.showInvitation(turn, result);
      } catch (error) {
        if (!(error instanceof RoundInputError)) throw error;
        await turn.say(s.roundInputProblem(error.field));
      }
    });
  }

  listRounds(turn: ConversationTurn, action: Action<'listRounds'>): Promise<void> {
    return this.asProfessional(turn, (professionalId) => this.showRoundList(turn, professionalId, action.cursor ?? null));
  }

  answerOwnSide(turn: ConversationTurn, action: Action<'answerOwnSide'>): Promise<void> {
    return this.asProfessional(turn, async (professionalId) => {
      const round = await this.deps.rounds.getForProfessional(action.roundId, professionalId);
      if (!round || round.status !== 'open') {
        await turn.say(round ? turn.s.closedCard : turn.s.roundNotFound);
        return;
      }
      const responseSet = await this.deps.participation.professionalResponseSet(round, professionalId, turn.profile);
      turn.profile.activeResponseSetId = responseSet.id;
      const count = this.deps.questionnaire.itemBank.items(round.form, 'professional').length;
      turn.pending = { kind: 'intro' };
      await turn.show(createIntroCard(turn.s.introProfessionalLines(count, turn.s.minutesFor(count)), turn.locale));
    });
  }

  showSummary(turn: ConversationTurn, action: Action<'showSummary'>): Promise<void> {
    return this.asProfessional(turn, async (professionalId) => {
      const round = await this.deps.rounds.getForProfessional(action.roundId, professionalId);
      if (!round) {
        await turn.say(turn.s.roundNotFound);
        return;
      }
      if (!this.deps.rounds.canReveal(round, this.deps.now())) {
        await turn.say(turn.s.summaryNotYet(formatDay(round.deadline, turn.locale)));
        return;
      }
      const answers = await this.deps.progress.answersOf(round);
      const previous = await this.deps.progress.previousAnswers(round);
      const bank = this.deps.questionnaire.itemBank;
      const overviewUrl = await this.deps.overviewLink(professionalId, turn.context.activity.channelId);
      await turn.show(createSummaryCard(professionalSummary(bank, answers, previous, turn.locale), turn.locale, { overviewUrl }));
      await this.deps.access.view(professionalActor(professionalId), 'chat-summary', round.id, { detail: 'onRequest' });
    });
  }

  resendInvitation(turn: ConversationTurn, action: Action<'resendInvitation'>): Promise<void> {
    return this.asProfessional(turn, async (professionalId) => {
      const fresh = await this.deps.rounds.resendInvitationOnce(action.roundId, professionalId, action.actionId ?? null);
      if (fresh.kind === 'existing') {
        await turn.say(turn.s.invitationAlreadyRenewed(describeRound(turn.locale, roundIdentity(fresh.round))));
        return;
      }
      if (fresh.kind === 'refused') {
        await turn.say(turn.s.cannotResend);
        return;
      }
      await this.showInvitation(turn, fresh);
    });
  }

  /** Cancel asks first: the confirmation names the round, so the right one stops. */
  cancelRound(turn: ConversationTurn, action: Action<'cancelRound'>): Promise<void> {
    return this.asProfessional(turn, async (professionalId) => {
      const round = await this.deps.rounds.getForProfessional(action.roundId, professionalId);
      if (!round) await turn.say(turn.s.roundNotFound);
      else if (round.status !== 'open') await turn.say(turn.s.roundAlreadyClosed(round.clientLabel));
      else await turn.show(createCancelRoundCard(turn.locale, round.id, roundIdentity(round)));
    });
  }

  cancelRoundConfirmed(turn: ConversationTurn, action: Action<'cancelRoundConfirmed'>): Promise<void> {
    return this.asProfessional(turn, async (professionalId) => {
      const before = await this.deps.rounds.getForProfessional(action.roundId, professionalId);
      const round = before?.status === 'open' ? await this.deps.rounds.cancel(action.roundId, professionalId) : null;
      if (!before) await turn.say(turn.s.roundNotFound);
      else if (!round) await turn.say(turn.s.roundAlreadyClosed(before.clientLabel));
      else await turn.say(turn.s.roundCancelled(round.clientLabel));
    });
  }

  deleteRound(turn: ConversationTurn, action: Action<'deleteRound'>): Promise<void> {
    return this.asProfessional(turn, async (professionalId) => {
      const round = await this.deps.rounds.getForProfessional(action.roundId, professionalId);
      if (!round) {
        await turn.say(turn.s.roundNotFound);
        return;
      }
      await turn.show(createDeleteRoundCard(turn.locale, round.id, roundIdentity(round)));
    });
  }

  deleteRoundConfirmed(turn: ConversationTurn, action: Action<'deleteRoundConfirmed'>): Promise<void> {
    return this.asProfessional(turn, async (professionalId) => {
      const deleted = await this.deps.participation.deleteRound(action.roundId, professionalId);
      if (!deleted) {
        await turn.say(turn.s.roundNotFound);
        return;
      }
      const active = turn.profile.activeResponseSetId;
      if (active && deleted.responseSetIds.includes(active)) turn.profile.activeResponseSetId = null;
      await turn.say(turn.s.roundDeleted(deleted.round.clientLabel));
    });
  }

  private async asProfessional(turn: ConversationTurn, work: (professionalId: string) => Promise<void>): Promise<void> {
    const professionalId = turn.profile.professionalId;
    if (!professionalId) return this.deps.notAProfessional(turn);
    return work(professionalId);
  }

  private async showInvitation(turn: ConversationTurn, invitation: CreatedInvitation): Promise<void> {
    await turn.show(
      createInvitationCard(turn.locale, {
        roundId: invitation.round.id,
        clientLabel: invitation.round.clientLabel,
        code: invitation.code,
        link: `${this.deps.publicUrl}/?join=${encodeURIComponent(invitation.linkToken)}`,
        expiresAt: invitation.round.invitation.expiresAt,
        deadline: invitation.round.deadline,
      }),
    );
  }

  /** One page of "mijn rondes"; a cursor that is not one of ours gives the first page. */
  private async showRoundList(turn: ConversationTurn, professionalId: string, cursor: string | null): Promise<void> {
    const page = await this.deps.rounds.roundsPageForProfessional(professionalId, { limit: ROUND_LIST_PAGE, cursor });
    await turn.show(createRoundListCard(turn.locale, await this.roundList(page.rounds), page.next));
  }

  private async roundList(rounds: Round[]): Promise<RoundListEntry[]> {
    const now = this.deps.now();
    return Promise.all(
      rounds.map(async (round): Promise<RoundListEntry> => {
        // One unreadable answer file fails that round's line only, not the whole list.
        const answers = await this.deps.progress.answersOf(round).catch(() => null);
        if (!answers) return unreadableEntry(round);
        return {
          roundId: round.id,
          ...roundIdentity(round),
          status: round.status,
          clientJoined: round.clientUserId !== null,
          clientDone: answers.client?.status === 'completed',
          ownSideDone: answers.professional?.status === 'completed',
          summaryAvailable: this.deps.rounds.canReveal(round, now),
          canResend: round.status === 'open' && round.clientUserId === null,
          resendActionId: this.deps.newActionId(),
        };
      }),
    );
  }
}

/** A round of "mijn rondes" whose answers cannot be read: shown, with no actions that need them. */
function unreadableEntry(round: Round): RoundListEntry {
  return {
    roundId: round.id,
    clientLabel: round.clientLabel,
    appointmentDate: round.appointmentDate,
    createdAt: round.createdAt,
    status: round.status,
    clientJoined: round.clientUserId !== null,
    clientDone: false,
    ownSideDone: false,
    summaryAvailable: false,
    canResend: false,
    resendActionId: '',
    unreadable: true,
  };
}

/** What tells two rounds apart in lists and confirmations. */
function roundIdentity(round: Round): RoundIdentity {
  return {
    clientLabel: round.clientLabel,
    appointmentDate: round.appointmentDate,
    createdAt: round.createdAt,
    ...(round.invitation.codeHint ? { codeHint: round.invitation.codeHint } : {}),
  };
}
