import { Activity, ActivityHandler, ConversationState, ResourceResponse, StatePropertyAccessor, TurnContext, UserState } from 'botbuilder';
import type { DialogInstance, DialogState } from 'botbuilder-dialogs';
import { strings } from '../cards/strings';
import { localeFromChannel } from '../dialogs/userProfile';
import { StateConflictError } from './eTagCheckedStorage';
import { coalesceReplies } from './replyBatch';
import { TurnQueue } from './turnQueue';
import { type TurnWrites, writesAsTheyCome } from './turnWrites';

/**
 * The conversation engine the bot runs each turn (`dialogs/mainDialog.ts`): one dialog whose own
 * state is its entry on the conversation's dialog stack.
 */
export interface ConversationEngine {
  readonly id: string;
  /** Runs one turn; `instance.state` is the engine's memory, saved with the conversation state. */
  runTurn(context: TurnContext, instance: DialogInstance): Promise<void>;
}

/** How often a turn whose state write collided is run again on fresh state before it is refused. */
const MAX_ATTEMPTS = 3;

/**
 * Routes activities to the conversation dialog and saves state after every turn.
 *
 * @remarks Greeting happens on `conversationUpdate` (the user joined), so a client sees the welcome
 * card before typing. A turn's replies are held until its state is saved: when the save loses
 * against another turn (eTag conflict), the replies are dropped and the turn runs again on fresh
 * state, so nobody sees a confirmation of something that was not kept. Turns of one conversation or
 * one user run one after another in this process (`TurnQueue`). The turn's record writes are
 * collected (`TurnWrites`) and all on disk before the first reply goes out.
 */
export class AllianceBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly turns = new TurnQueue();

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    private readonly engine: ConversationEngine,
    private readonly writes: TurnWrites = writesAsTheyCome,
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');

    this.onMessage(async (context, next) => {
      await this.runConversation(context);
      await next();
    });

    this.onEvent(async (context, next) => {
      await this.runConversation(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const someoneElseJoined = (context.activity.membersAdded ?? []).some((member) => member.id !== context.activity.recipient?.id);
      if (someoneElseJoined) await this.runConversation(context);
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.runConversation(context);
      await next();
    });
  }

  /**
   * Runs the conversation engine on its entry of the conversation's dialog stack (botbuilder's
   * `dialogState`, so conversations stored by earlier versions go on where they were). Conversations
   * saved before the engine had a second dialog (`questionnaireDialog`) on the stack: that entry is
   * dropped, the person lands where they can go on.
   *
   * @remarks The stack is kept by hand instead of through botbuilder-dialogs' `DialogContext`, which
   * builds a `DialogStateManager` with every memory scope of the declarative runtime (a dependency
   * injection container per turn) that this one dialog never uses; that was a tenth of the turn's own
   * work. The engine always waits for the next activity, so its entry stays on the stack.
   */
  private async runConversation(context: TurnContext): Promise<void> {
    const state = await this.dialogState.get(context, { dialogStack: [] });
    const own = state.dialogStack.find((instance) => instance.id === this.engine.id);
    const instance: DialogInstance = own ?? { id: this.engine.id, state: {} };
    if (state.dialogStack.length !== 1 || state.dialogStack[0] !== instance) state.dialogStack = [instance];
    await this.engine.runTurn(context, instance);
  }

  override async run(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const keys = [`conversation:${activity.channelId}:${activity.conversation?.id}`, `user:${activity.channelId}:${activity.from?.id}`];
    await this.turns.run(keys, () => this.writes.within(() => this.runSaved(context)));
  }

  /** Runs the turn and saves its state, again on fresh state after a conflict; replies go out only after the save. */
  private async runSaved(context: TurnContext): Promise<void> {
    const outbox: Partial<Activity>[] = [];
    let holding = true;
    context.onSendActivities(async (_context, activities, next) => {
      if (!holding) return next();
      outbox.push(...activities);
      return activities.map((): ResourceResponse => ({ id: '' }));
    });
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        outbox.length = 0;
        // Both states at once (a storage may read them in one query), and fresh after a conflict.
        await Promise.all([this.conversationState.load(context, attempt > 1), this.userState.load(context, attempt > 1)]);
        await super.run(context);
        try {
          await this.conversationState.saveChanges(context, false);
          await this.userState.saveChanges(context, false);
        } catch (error) {
          if (error instanceof StateConflictError) continue;
          throw error;
        }
        // The answer and the state went to disk side by side; nothing is confirmed before both are there.
        await this.writes.settled();
        holding = false;
        if (outbox.length > 0) await context.sendActivities(coalesceReplies(outbox));
        return;
      }
      await this.writes.settled();
      holding = false;
      await context.sendActivity(strings(localeFromChannel(context.activity.locale)).turnConflict);
    } finally {
      holding = false;
    }
  }
}
