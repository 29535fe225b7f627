import type { CardAction } from '../cards/cardActions';
import type { ConversationTurn } from './conversationTurn';
import type { ClientJoinFlow } from './flows/clientJoinFlow';
import type { ProfessionalRoundsFlow } from './flows/professionalRoundsFlow';
import type { ProfessionalSignInFlow } from './flows/professionalSignInFlow';
import type { QuestionnaireFlow } from './flows/questionnaireFlow';
import type { WelcomeFlow } from './flows/welcomeFlow';
import type { Interruptions } from './interruptions';
import { isQuestionnaireContext } from './pendingContext';
import type { TextIntent } from './textMeaning';

/** What the web page or the channel sends besides messages. */
export type ChannelIntent =
  /** The web page opened a personal link (`?pro=`). */
  | { verb: 'professionalSignIn'; secret: unknown }
  /** The web page opened an invitation link (`?join=`). */
  | { verb: 'joinRound'; token: unknown }
  /** Someone opened the chat. */
  | { verb: 'conversationJoined' }
  /** A card value that is none of our actions. */
  | { verb: 'invalidValue' }
  | { verb: 'tooLong' };

/** Everything a turn can mean: a card click, typed text read in its pending context, or a channel event. */
export type TurnIntent = CardAction | TextIntent | ChannelIntent;
export type RouteVerb = TurnIntent['verb'];
type IntentOf<V extends RouteVerb> = Extract<TurnIntent, { verb: V }>;

/**
 * The one routing table: every card verb, every typed intent and every channel event, each to its
 * one handler. A verb without a handler is a compile error.
 */
export type RoutingTable = { [V in RouteVerb]: (turn: ConversationTurn, intent: IntentOf<V>) => Promise<void> };

export interface Flows {
  welcome: WelcomeFlow;
  signIn: ProfessionalSignInFlow;
  clientJoin: ClientJoinFlow;
  professionalRounds: ProfessionalRoundsFlow;
  questions: QuestionnaireFlow;
  interruptions: Interruptions;
  maxMessageChars: number;
}

export function createRoutingTable(flows: Flows): RoutingTable {
  const { welcome, signIn, clientJoin, professionalRounds: rounds, questions, interruptions } = flows;
  /** Where a kind message leaves the person: their question, or what they can do next. */
  const carryOn = (turn: ConversationTurn): Promise<void> =>
    isQuestionnaireContext(turn.pending) ? questions.reprompt(turn) : welcome.greet(turn);
  return {
    // Interruptions: any moment, buttons or words.
    help: (turn) => interruptions.help(turn),
    settings: (turn, intent) => interruptions.settings(turn, intent),
    pause: (turn) => interruptions.pause(turn),

    // Welcome and role.
    conversationJoined: (turn) => welcome.joined(turn),
    greeting: (turn) => welcome.greeting(turn),
    chooseRole: (turn, intent) => welcome.chooseRole(turn, intent),
    start: (turn) => welcome.start(turn),
    resume: (turn) => welcome.resume(turn),

    // Professional sign-in.
    professionalSignIn: (turn, intent) => signIn.signInWithLink(turn, intent.secret),

    // Client join.
    joinCode: (turn, intent) => clientJoin.joinWithCode(turn, intent.code),
    joinRound: (turn, intent) => clientJoin.joinWithLink(turn, intent.token),

    // Professional rounds.
    proMenu: (turn) => rounds.menu(turn),
    newRound: (turn) => rounds.newRound(turn),
    createRound: (turn, intent) => rounds.createRound(turn, intent),
    listRounds: (turn, intent) => rounds.listRounds(turn, intent),
    overviewLink: (turn) => rounds.overviewLink(turn),
    answerOwnSide: (turn, intent) => rounds.answerOwnSide(turn, intent),
    showSummary: (turn, intent) => rounds.showSummary(turn, intent),
    resendInvitation: (turn, intent) => rounds.resendInvitation(turn, intent),
    cancelRound: (turn, intent) => rounds.cancelRound(turn, intent),
    cancelRoundConfirmed: (turn, intent) => rounds.cancelRoundConfirmed(turn, intent),
    deleteRound: (turn, intent) => rounds.deleteRound(turn, intent),
    deleteRoundConfirmed: (turn, intent) => rounds.deleteRoundConfirmed(turn, intent),

    // The questions.
    answer: (turn, intent) => questions.answer(turn, intent),
    typedAnswer: (turn, intent) => questions.typedAnswer(turn, intent.value),
    confirmReading: (turn, intent) => questions.confirmReading(turn, intent.reading),
    askAnswerOrComment: (turn, intent) => questions.askAnswerOrComment(turn, intent.text),
    replyMeant: (turn, intent) => questions.replyMeant(turn, intent),
    back: (turn, intent) => questions.back(turn, intent),
    edit: (turn, intent) => questions.edit(turn, intent),
    restart: (turn) => welcome.restart(turn),
    restartConfirmed: (turn, intent) => questions.restart(turn, intent),
    confirm: (turn, intent) => questions.confirm(turn, intent),
    commentItem: (turn, intent) => questions.commentItem(turn, intent),
    comment: (turn, intent) => questions.comment(turn, intent),
    commentText: (turn, intent) => questions.commentText(turn, intent.text),
    skipComment: (turn, intent) => questions.skipComment(turn, intent),

    // Not understood, or not ours.
    notUnderstood: async (turn, intent) => {
      if (isQuestionnaireContext(turn.pending)) return questions.notUnderstood(turn, intent.quiet);
      if (!intent.quiet) await turn.say(turn.s.notUnderstood);
      return welcome.greet(turn);
    },
    invalidValue: async (turn) => {
      await turn.say(turn.s.unknownValue);
      return carryOn(turn);
    },
    tooLong: async (turn) => {
      await turn.say(turn.s.tooLong(flows.maxMessageChars));
      if (isQuestionnaireContext(turn.pending)) return questions.reprompt(turn);
    },
  };
}

/** Runs the one handler for `intent`. */
export function route(table: RoutingTable, turn: ConversationTurn, intent: TurnIntent): Promise<void> {
  // TypeScript cannot correlate a union with its mapped key; the table's type guarantees the pairing.
  const handler = table[intent.verb] as (turn: ConversationTurn, intent: TurnIntent) => Promise<void>;
  return handler(turn, intent);
}
