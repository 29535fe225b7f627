import { CloudAdapter, TurnContext } from 'botbuilder';
import { strings } from '../cards/strings';
import { createSummaryCard, summaryText } from '../cards/summaryCard';
import { channelShowsCards, sendCard } from '../dialogs/replies';
import type { ConversationReferenceRepository } from '../services/conversations/conversationReferenceRepository';
import { clientReferenceKey, professionalReferenceKey } from '../services/conversations/conversationReferenceRepository';
import type { ItemBank } from '../services/questionnaire/itemBank';
import type { OverviewLinkIssuer } from '../services/professionals/overviewLinks';
import type { RoundNotifier } from '../services/rounds/roundNotifier';
import { professionalSummary } from '../services/summary/roundReport';
import { RoundAnswers } from '../services/rounds/roundAnswers';
import type { Round } from '../services/rounds/round';
import { formatDay } from '../services/dates';
import { isLocale, Locale } from '../services/vocabulary';
import { describeError, Logger } from '../logging/logger';

/**
 * Sends the round's messages nobody asked for in that moment: the summary to the professional,
 * the reminder to the client. Bot Framework proactive messages on a stored conversation reference.
 *
 * @remarks The stored reference has no `activityId`, so the message is not a reply to an old
 * activity (Web Chat would otherwise wait for that activity before showing it).
 */
export class ProactiveNotifier implements RoundNotifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly references: ConversationReferenceRepository,
    private readonly itemBank: ItemBank,
    private readonly log: Logger,
    private readonly overviewLink: OverviewLinkIssuer = async () => null,
  ) {}

  /**
   * Goes to the professional's most recent conversation: the reference is saved again on every turn
   * of theirs, in Teams and on the web, so the chat they last used gets it. `true` means the
   * channel acknowledged every activity (2xx); the access log entry is written by `RoundProgress`
   * once the delivery is recorded.
   */
  async sendSummary(round: Round, answers: RoundAnswers, previous: RoundAnswers | null, reason: 'bothDone' | 'deadline'): Promise<boolean> {
    return this.send(professionalReferenceKey(round.professionalId), 'summary', async (context, locale) => {
      const summary = professionalSummary(this.itemBank, answers, previous, locale);
      await context.sendActivity(strings(locale).summaryIntro(round.clientLabel, formatDay(round.appointmentDate, locale), reason));
      const overviewUrl = await this.overviewLink(round.professionalId, context.activity.channelId);
      if (channelShowsCards(context.activity.channelId)) await sendCard(context, createSummaryCard(summary, locale, { overviewUrl }));
      else await context.sendActivity(summaryText(summary, locale));
    });
  }

  async sendReminder(round: Round): Promise<boolean> {
    if (!round.clientUserId) return false;
    return this.send(clientReferenceKey(round.clientUserId), 'reminder', async (context, locale) => {
      await context.sendActivity(strings(locale).reminder(formatDay(round.appointmentDate, locale)));
    });
  }

  async sendProfessionalReminder(round: Round): Promise<boolean> {
    return this.send(professionalReferenceKey(round.professionalId), 'professionalReminder', async (context, locale) => {
      await context.sendActivity(
        strings(locale).professionalReminder(
          round.clientLabel,
          formatDay(round.appointmentDate, locale),
          formatDay(round.deadline, locale),
        ),
      );
    });
  }

  private async send(key: string, kind: string, logic: (context: TurnContext, locale: Locale) => Promise<void>): Promise<boolean> {
    const stored = await this.references.get(key);
    if (!stored) {
      this.log.warn('proactive_no_reference', { kind });
      return false;
    }
    const locale = isLocale(stored.locale) ? stored.locale : 'nl';
    try {
      await this.adapter.continueConversationAsync(this.botAppId, stored, async (context) => logic(context, locale));
      this.log.info('proactive_sent', { kind });
      return true;
    } catch (error) {
      this.log.error('proactive_failed', { kind, ...describeError(error) });
      return false;
    }
  }
}
