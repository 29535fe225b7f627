import type { Round } from './round';
import type { RoundAnswers } from './roundAnswers';

/** How round messages reach people; the bot implements it with proactive messages (`bots/proactiveNotifier.ts`). */
export interface RoundNotifier {
  /** Returns false when the message could not be delivered (no conversation known yet, channel error). */
  sendSummary(round: Round, answers: RoundAnswers, previous: RoundAnswers | null, reason: 'bothDone' | 'deadline'): Promise<boolean>;
  sendReminder(round: Round): Promise<boolean>;
  /** The professional's own side is not done and the deadline is within a day. */
  sendProfessionalReminder(round: Round): Promise<boolean>;
}
