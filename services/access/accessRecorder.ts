import type { AccessAction, AccessLog } from './accessLog';

/**
 * What the bot, the tab and the admin tool call to note a view: stamps the time and never lets a
 * failing log stop the person's work (the failure is reported to `onError`, without content).
 */
export class AccessRecorder {
  constructor(
    readonly log: AccessLog,
    private readonly now: () => Date,
    private readonly onError: (error: unknown) => void,
  ) {}

  async view(who: string, what: AccessAction, roundId: string | null, extra: { detail?: string; subjectId?: string } = {}): Promise<void> {
    try {
      await this.log.record({ at: this.now().toISOString(), who, what, roundId, ...extra });
    } catch (error) {
      this.onError(error);
    }
  }
}
