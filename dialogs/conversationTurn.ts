import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../cards/adaptiveCard';
import { strings, type Strings } from '../cards/strings';
import type { Locale } from '../services/vocabulary';
import type { ConversationMemory, PendingContext } from './pendingContext';
import { sendCard } from './replies';
import type { UserProfile } from './userProfile';

/**
 * One turn as every handler sees it: the person's profile (user state), what the conversation
 * waits for (conversation state), the strings in their language, and sending.
 */
export class ConversationTurn {
  constructor(
    readonly context: TurnContext,
    readonly profile: UserProfile,
    private readonly memory: ConversationMemory,
  ) {}

  /** The strings in the person's language now (it may change during the turn). */
  get s(): Strings {
    return strings(this.profile.locale);
  }

  get locale(): Locale {
    return this.profile.locale;
  }

  get pending(): PendingContext {
    return this.memory.pending;
  }

  set pending(next: PendingContext) {
    this.memory.pending = next;
  }

  /** The channel user: pseudonymous, and what rounds bind a client to. */
  get userId(): string {
    return `${this.context.activity.channelId}:${this.context.activity.from?.id ?? 'unknown'}`;
  }

  async say(text: string): Promise<void> {
    await this.context.sendActivity(text);
  }

  async show(card: AdaptiveCard): Promise<void> {
    await sendCard(this.context, card);
  }
}
