import { ActivityHandler, ActivityTypes, ConversationState, StatePropertyAccessor, TurnContext, UserState } from 'botbuilder';
import { Dialog, DialogSet, DialogState, DialogTurnStatus } from 'botbuilder-dialogs';

/**
 * Routes activities to the dialogs and saves state after every turn.
 *
 * @remarks Greeting happens on `conversationUpdate` (the user joined), so a client sees the welcome
 * card before typing. Events from the web page (sign-in link, invitation link) restart the main
 * dialog, since they change who the person is; answers are stored apart and are never lost by it.
 * Activity types the bot does not use are acknowledged and ignored.
 */
export class AllianceBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialogs: DialogSet;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    private readonly mainDialog: Dialog,
    childDialogs: Dialog[] = [],
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState).add(mainDialog);
    for (const dialog of childDialogs) this.dialogs.add(dialog);

    this.onMessage(async (context, next) => {
      await this.runDialog(context);
      await next();
    });

    this.onEvent(async (context, next) => {
      await this.runDialog(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const someoneElseJoined = (context.activity.membersAdded ?? []).some((member) => member.id !== context.activity.recipient?.id);
      if (someoneElseJoined) await this.runDialog(context);
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.runDialog(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }

  private async runDialog(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    if (context.activity.type === ActivityTypes.Event) {
      await dc.cancelAllDialogs();
      await dc.beginDialog(this.mainDialog.id);
      return;
    }
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.mainDialog.id);
  }
}
