/**
 * @packageDocumentation
 * A small Direct Line 3.0 client speaking plain HTTP, the way Web Chat's polling transport does:
 * get a token from the page's endpoint, start the conversation, post activities, poll with a watermark.
 */
import { defined } from './defined';

export interface Activity {
  type: string;
  id?: string;
  text?: string;
  value?: unknown;
  speak?: string;
  replyToId?: string;
  from?: { id: string; role?: string };
  attachments?: { contentType: string; content: CardContent }[];
  [field: string]: unknown;
}

export interface CardContent {
  type?: string;
  version?: string;
  body?: unknown[];
  actions?: { title: string; data?: Record<string, unknown> }[];
  speak?: string;
}

export interface Session {
  token: string;
  conversationId: string;
  userId: string;
  userToken: string;
  domain: string | null;
}

/** What a scripted person needs of a chat, over Direct Line or straight to `/api/messages` (`fakeConnector.ts`). */
export interface ChatParticipant {
  send(activity: Partial<Activity>): Promise<number>;
  click(value: unknown): Promise<void>;
  waitFor(predicate: (activity: Activity) => boolean, what: string, timeoutMs?: number): Promise<Activity>;
  waitForCard(verb: string, what?: string): Promise<CardContent>;
}

export class DirectLineTestClient implements ChatParticipant {
  private watermark = '';
  readonly received: Activity[] = [];
  /** Bot activities polled but not yet looked at by `waitFor`. */
  private unread: Activity[] = [];

  private constructor(
    readonly origin: string,
    readonly session: Session,
  ) {}

  static async open(origin: string, previous?: { userToken?: string; conversationId?: string }): Promise<DirectLineTestClient> {
    const response = await fetch(`${origin}/api/directline/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(previous ?? {}),
    });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    const session = (await response.json()) as Session;
    const client = new DirectLineTestClient(origin, session);
    if (!previous?.conversationId || previous.conversationId !== session.conversationId) {
      const started = await client.call('POST', '/conversations');
      if (started.status !== 201 && started.status !== 200) throw new Error(`start conversation answered ${started.status}`);
    }
    return client;
  }

  get base(): string {
    return this.session.domain ?? `${this.origin}/v3/directline`;
  }

  async call(method: string, path: string, body?: unknown, token = this.session.token): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  }

  async send(activity: Partial<Activity>): Promise<number> {
    const result = await this.call('POST', `/conversations/${this.session.conversationId}/activities`, {
      type: 'message',
      from: { id: 'ignored-by-server' },
      locale: 'nl-NL',
      ...activity,
    });
    return result.status;
  }

  async say(text: string): Promise<void> {
    const status = await this.send({ text });
    if (status !== 200) throw new Error(`post answered ${status}`);
  }

  async click(value: unknown): Promise<void> {
    const status = await this.send({ value });
    if (status !== 200) throw new Error(`post answered ${status}`);
  }

  /** New bot activities since the last poll. */
  async poll(): Promise<Activity[]> {
    const query = this.watermark ? `?watermark=${this.watermark}` : '';
    const result = await this.call('GET', `/conversations/${this.session.conversationId}/activities${query}`);
    if (result.status !== 200) throw new Error(`poll answered ${result.status}`);
    const body = result.body as { activities: Activity[]; watermark: string };
    this.watermark = body.watermark;
    const fromBot = body.activities.filter((a) => a.from?.role === 'bot');
    this.received.push(...fromBot);
    this.unread.push(...fromBot.flatMap(asShown));
    return fromBot;
  }

  /**
   * Returns the next bot activity, in order, for which `predicate` holds, polling as needed.
   * Activities before it are passed over; activities after it stay for the next call.
   */
  async waitFor(predicate: (activity: Activity) => boolean, what: string, timeoutMs = 8000): Promise<Activity> {
    const deadline = Date.now() + timeoutMs;
    const seen: Activity[] = [];
    while (Date.now() < deadline) {
      while (this.unread.length > 0) {
        const activity = defined(this.unread.shift(), 'an unread activity');
        seen.push(activity);
        if (predicate(activity)) return activity;
      }
      await this.poll();
      if (this.unread.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}; saw: ${seen.map(describe).join(' | ')}`);
  }

  async waitForCard(verb: string, what = `a card with verb ${verb}`): Promise<CardContent> {
    const activity = await this.waitFor((a) => actionsOf(cardOf(a) ?? {}).some((action) => action.verb === verb), what);
    return defined(cardOf(activity), what);
  }
}

export function cardOf(activity: Activity): CardContent | null {
  const attachment = activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return attachment ? attachment.content : null;
}

/** Every submit payload in a card, from its actions and the action sets in its body. */
export function actionsOf(card: CardContent): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Submit' && typeof record.data === 'object' && record.data !== null)
      found.push(record.data as Record<string, unknown>);
    Object.values(record).forEach(visit);
  };
  visit(card);
  return found;
}

export function textsOf(card: CardContent): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record.type === 'TextBlock' && typeof record.text === 'string') found.push(record.text);
    Object.values(record).forEach(visit);
  };
  visit(card.body);
  return found;
}

function describe(activity: Activity): string {
  const card = cardOf(activity);
  return card ? `card[${textsOf(card).slice(0, 2).join(' / ')}]` : `${activity.type}:${activity.text ?? ''}`;
}

/** Waits for the next question, the overview, or a "what would help?" prompt. */
function nextCardAfterAnswer(person: ChatParticipant, what: string): Promise<Activity> {
  return person.waitFor((a) => {
    const c = cardOf(a);
    return !!c && actionsOf(c).some((x) => x.verb === 'answer' || x.verb === 'confirm' || x.verb === 'skipComment');
  }, what);
}

/**
 * Answers every question of a questionnaire by clicking, as Web Chat would, then confirms. A "what
 * would help?" prompt after a low answer is its own step (issue 10): it is declined with its button.
 */
export async function answerAllByClicking(person: ChatParticipant, value: (index: number) => number | null): Promise<void> {
  let card = await person.waitForCard('answer', 'the first question');
  for (let index = 0; ; index += 1) {
    const answer = actionsOf(card).find((a) => a.verb === 'answer' && a.value === value(index));
    if (!answer) throw new Error(`no answer button in ${textsOf(card).join(' / ')}`);
    await person.click(answer);
    card = defined(cardOf(await nextCardAfterAnswer(person, `the card after question ${index + 1}`)), 'next card');
    const skip = actionsOf(card).find((a) => a.verb === 'skipComment');
    if (skip) {
      await person.click(skip);
      card = defined(cardOf(await nextCardAfterAnswer(person, `the card after the prompt of ${index + 1}`)), 'next card');
    }
    if (actionsOf(card).some((a) => a.verb === 'confirm')) break;
  }
  await person.click(
    defined(
      actionsOf(card).find((a) => a.verb === 'confirm'),
      'confirm',
    ),
  );
}

/**
 * A message with text and a card (the bot joins "Jouw antwoord: …" onto the next question,
 * `bots/replyBatch.ts`) read as Web Chat shows it: the text, then the card under it. `waitFor` can
 * then wait for the one and then the other.
 */
function asShown(activity: Activity): Activity[] {
  if (!activity.text || (activity.attachments?.length ?? 0) === 0) return [activity];
  return [
    { ...activity, attachments: undefined },
    { ...activity, text: undefined },
  ] as Activity[];
}
