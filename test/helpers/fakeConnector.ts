/**
 * @packageDocumentation
 * A Bot Framework connector (the service behind a `serviceUrl`) in the test process: every bot
 * process posts its replies and proactive messages here, and the test sees them all in one list.
 * It answers 2xx as Azure's connector would, or holds a request (never answers, never counts it)
 * when the test says so, to catch an instance in the middle of a send.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Activity, CardContent } from './directLineClient';
import { actionsOf, cardOf, type ChatParticipant } from './directLineClient';
import { defined } from './defined';

/** An activity a bot posted, as the connector acknowledged it. */
export interface DeliveredActivity {
  conversationId: string;
  activity: Activity;
  /** The bot process's per-process connector key: tells instances apart. */
  authorization: string;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export type HoldDecision = (request: DeliveredActivity) => boolean;

export const BOT_ID = 'alliance-monitor-bot';

export class FakeConnector {
  /** Every activity answered 2xx, in arrival order. */
  readonly delivered: DeliveredActivity[] = [];
  /** Requests held open (never answered). */
  readonly held: DeliveredActivity[] = [];
  /** Decides per request whether to hold it; by default nothing is held. */
  hold: HoldDecision = () => false;
  private readonly sockets = new Set<Socket>();
  private readonly heldResponses: ServerResponse[] = [];

  private constructor(private readonly server: http.Server) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<FakeConnector> {
    let connector: FakeConnector | null = null;
    const server = http.createServer((req, res) => void defined(connector, 'the connector').handle(req, res));
    connector = new FakeConnector(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return connector;
  }

  /** The `serviceUrl` to put in activities and conversation references. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Activities delivered to one conversation. */
  deliveredTo(conversationId: string): Activity[] {
    return this.delivered.filter((entry) => entry.conversationId === conversationId).map((entry) => entry.activity);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // POST /v3/conversations/:id/activities[/:replyToId] (send, reply) and PUT …/:activityId (card update).
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
    if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
      // Not chained: restify, loaded by other test files in this process, patches writeHead to return nothing.
      res.writeHead(404);
      res.end();
      return;
    }
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Activity;
    const entry: DeliveredActivity = {
      conversationId: decodeURIComponent(match[1]),
      activity,
      authorization: req.headers.authorization ?? '',
      at: Date.now(),
    };
    if (this.hold(entry)) {
      this.held.push(entry);
      this.heldResponses.push(res);
      return;
    }
    this.delivered.push(entry);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: activity.id ?? randomUUID() }));
  }
}

/**
 * One person in one conversation, talking to a bot process over `/api/messages` the way a channel
 * (Azure Direct Line, Teams) does: activities carry the fake connector as `serviceUrl`, and the bot's
 * answers are read from the connector. `bot` may change (the same person on another instance).
 */
export class ConnectorChat implements ChatParticipant {
  private read = 0;

  constructor(
    private readonly connector: FakeConnector,
    public botOrigin: string,
    readonly conversationId: string,
    readonly userId: string,
  ) {}

  /** Opens the conversation: the channel tells the bot the user joined, as Direct Line does on start. */
  static async open(connector: FakeConnector, botOrigin: string, name: string): Promise<ConnectorChat> {
    const chat = new ConnectorChat(connector, botOrigin, `conversation-${name}-${randomUUID()}`, `user-${name}-${randomUUID()}`);
    const status = await chat.send({
      type: 'conversationUpdate',
      membersAdded: [
        { id: BOT_ID, role: 'bot' },
        { id: chat.userId, role: 'user' },
      ],
    });
    if (status !== 200 && status !== 201) throw new Error(`conversationUpdate answered ${status}`);
    return chat;
  }

  async send(activity: Partial<Activity>): Promise<number> {
    const response = await fetch(`${this.botOrigin}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: randomUUID(),
        timestamp: new Date().toISOString(),
        channelId: 'directline',
        serviceUrl: this.connector.url,
        locale: 'nl-NL',
        ...activity,
        conversation: { id: this.conversationId },
        recipient: { id: BOT_ID, role: 'bot' },
        from: { id: this.userId, role: 'user' },
      }),
    });
    await response.arrayBuffer();
    return response.status;
  }

  async click(value: unknown): Promise<void> {
    const status = await this.send({ value });
    if (status !== 200 && status !== 201) throw new Error(`post answered ${status}`);
  }

  async waitFor(predicate: (activity: Activity) => boolean, what: string, timeoutMs = 8000): Promise<Activity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mine = this.connector.deliveredTo(this.conversationId);
      while (this.read < mine.length) {
        const activity = mine[this.read];
        this.read += 1;
        if (predicate(activity)) return activity;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} in ${this.conversationId}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async waitForCard(verb: string, what = `a card with verb ${verb}`): Promise<CardContent> {
    const activity = await this.waitFor((a) => actionsOf(cardOf(a) ?? {}).some((action) => action.verb === verb), what);
    return defined(cardOf(activity), what);
  }
}
