/**
 * @packageDocumentation
 * Clients of the two bots under measurement, each with one conversation, doing what is measured:
 * on the real bot a client who joined a round with its code and clicks an answer on every question
 * card; on the baseline a user who clicks a card button and gets the next card.
 */
import type http from 'node:http';
import { actionsIn, type EmulatorConnector, EmulatorConversation, type TurnTiming } from './emulatorChannel';

export interface MeasuredClient {
  /** One measured turn; `null` when this client has nothing left to answer. */
  next(): Promise<TurnTiming | null>;
}

/** A client of the real bot, at the first question after `prepare`. */
export class AnsweringClient implements MeasuredClient {
  private readonly conversation: EmulatorConversation;
  private pending: Record<string, unknown>[] = [];

  constructor(origin: string, connector: EmulatorConnector, agent: http.Agent, name: string) {
    this.conversation = new EmulatorConversation(origin, connector, agent, name);
  }

  /** Welcome, the code, settings, explanation: four turns to the first question card. */
  async prepare(code: string): Promise<void> {
    await this.conversation.join();
    await this.conversation.say(code);
    await this.conversation.click({ verb: 'start' });
    const first = await this.conversation.click({ verb: 'start' });
    this.pending = answerActions(first);
    if (this.pending.length === 0) throw new Error(`no question card after joining (status ${first.status})`);
  }

  async next(): Promise<TurnTiming | null> {
    if (this.pending.length === 0) return null;
    // The middle of the scale: never a low answer, whose "what would help?" prompt is a turn of its own.
    const choice = this.pending.find((action) => action.value === 3) ?? this.pending[0];
    const timing = await this.conversation.click(choice);
    if (timing.status !== 200) throw new Error(`answer turn answered ${timing.status}`);
    this.pending = answerActions(timing);
    return timing;
  }
}

/** The answer buttons on the next question card (none after the last question: the overview). */
function answerActions(timing: TurnTiming): Record<string, unknown>[] {
  return actionsIn(timing.replies).filter((action) => action.verb === 'answer' && typeof action.value === 'number');
}

/** A user of the baseline bot: every click gets the next card. */
export class BaselineClient implements MeasuredClient {
  private readonly conversation: EmulatorConversation;
  private turn = 0;

  constructor(origin: string, connector: EmulatorConnector, agent: http.Agent, name: string) {
    this.conversation = new EmulatorConversation(origin, connector, agent, name);
  }

  async prepare(): Promise<void> {
    await this.conversation.join();
  }

  async next(): Promise<TurnTiming> {
    this.turn += 1;
    const timing = await this.conversation.click({ verb: 'answer', itemId: `item-${this.turn % 19}`, value: (this.turn % 5) + 1 });
    if (timing.status !== 200) throw new Error(`baseline turn answered ${timing.status}`);
    return timing;
  }
}
