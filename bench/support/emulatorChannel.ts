/**
 * @packageDocumentation
 * The channel side of `/api/messages` for benchmarks, the way the Bot Framework Emulator speaks it:
 * activities are posted to the bot with `serviceUrl` pointing at a small connector served here, and
 * the bot's replies arrive at that connector. Each turn is timed twice: until its first reply
 * reached the connector, and until the bot's HTTP response to the post.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CardAction {
  title?: string;
  data?: Record<string, unknown>;
}

export interface ReplyActivity {
  type: string;
  text?: string;
  replyToId?: string;
  attachments?: { contentType: string; content: { body?: unknown[]; actions?: CardAction[] } }[];
  conversation?: { id: string };
}

export interface TurnTiming {
  /** Milliseconds from posting the activity until its first reply reached the connector. */
  firstReplyMs: number;
  /** Milliseconds from posting the activity until the bot answered the HTTP post. */
  responseMs: number;
  status: number;
  replies: ReplyActivity[];
}

interface PendingTurn {
  startedAt: bigint;
  firstReplyAt: bigint | null;
  replies: ReplyActivity[];
}

/** Keep-alive agent per target, as a channel keeps its connections open. */
function agentFor(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, keepAliveMsecs: 1000 });
}

/** The fake connector: receives the bot's replies and hands them to the turn they answer. */
export class EmulatorConnector {
  private readonly server: http.Server;
  private readonly pending = new Map<string, PendingTurn>();
  /** Replies that came after their turn was answered (proactive messages, late sends). */
  strayReplies = 0;

  private constructor(server: http.Server) {
    this.server = server;
  }

  static async start(): Promise<EmulatorConnector> {
    let connector: EmulatorConnector | null = null;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const arrivedAt = process.hrtime.bigint();
        let reply: ReplyActivity | null = null;
        try {
          reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReplyActivity;
        } catch {
          /* not an activity: answered below all the same */
        }
        if (reply && connector) connector.received(reply, arrivedAt);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${arrivedAt}` }));
      });
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    connector = new EmulatorConnector(server);
    return connector;
  }

  /** The `serviceUrl` activities carry: loopback, so the bot's local emulator path takes them. */
  get serviceUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  expect(activityId: string): PendingTurn {
    const turn: PendingTurn = { startedAt: process.hrtime.bigint(), firstReplyAt: null, replies: [] };
    this.pending.set(activityId, turn);
    return turn;
  }

  forget(activityId: string): void {
    this.pending.delete(activityId);
  }

  private received(reply: ReplyActivity, at: bigint): void {
    const turn = reply.replyToId ? this.pending.get(reply.replyToId) : undefined;
    if (!turn) {
      this.strayReplies += 1;
      return;
    }
    if (turn.firstReplyAt === null) turn.firstReplyAt = at;
    turn.replies.push(reply);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let activityCounter = 0;

/**
 * Unique to this bench process: the seeded data folders are kept between runs, and a conversation
 * of an earlier run under the same id would resume where that run stopped instead of at the welcome.
 */
const RUN_ID = `${process.pid.toString(36)}${Date.now().toString(36)}`;

/** One user in one conversation on one bot. */
export class EmulatorConversation {
  readonly conversationId: string;
  readonly userId: string;
  lastReplies: ReplyActivity[] = [];

  constructor(
    private readonly botOrigin: string,
    private readonly connector: EmulatorConnector,
    private readonly agent: http.Agent,
    name: string,
  ) {
    this.conversationId = `bench-conv-${RUN_ID}-${name}`;
    this.userId = `bench-user-${RUN_ID}-${name}`;
  }

  static agent(maxSockets: number): http.Agent {
    return agentFor(maxSockets);
  }

  /** The user joins: what a channel sends first, and what greets them. */
  join(): Promise<TurnTiming> {
    return this.post({ type: 'conversationUpdate', membersAdded: [{ id: this.userId }, { id: 'bench-bot' }] });
  }

  say(text: string): Promise<TurnTiming> {
    return this.post({ type: 'message', text });
  }

  click(value: Record<string, unknown>): Promise<TurnTiming> {
    return this.post({ type: 'message', value });
  }

  sendEvent(name: string, value: unknown): Promise<TurnTiming> {
    return this.post({ type: 'event', name, value });
  }

  async post(fields: Record<string, unknown>): Promise<TurnTiming> {
    activityCounter += 1;
    const id = `act-${process.pid}-${activityCounter}`;
    const activity = {
      id,
      // Web Chat's channel: on 'emulator' botbuilder would also send its trace activities.
      channelId: 'directline',
      serviceUrl: this.connector.serviceUrl,
      conversation: { id: this.conversationId },
      from: { id: this.userId, role: 'user' },
      recipient: { id: 'bench-bot', role: 'bot' },
      locale: 'nl-NL',
      timestamp: new Date().toISOString(),
      ...fields,
    };
    const body = JSON.stringify(activity);
    const turn = this.connector.expect(id);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${this.botOrigin}/api/messages`,
          {
            method: 'POST',
            agent: this.agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      const answeredAt = process.hrtime.bigint();
      // A reply can still be on its way when the response overtakes it on another socket.
      for (let wait = 0; turn.firstReplyAt === null && wait < 200; wait += 1) await new Promise((resolve) => setImmediate(resolve));
      const toMs = (at: bigint): number => Number(at - turn.startedAt) / 1e6;
      this.lastReplies = turn.replies;
      return {
        firstReplyMs: turn.firstReplyAt === null ? Number.NaN : toMs(turn.firstReplyAt),
        responseMs: toMs(answeredAt),
        status,
        replies: turn.replies,
      };
    } finally {
      this.connector.forget(id);
    }
  }
}

/** Every card action in a list of replies. */
export function actionsIn(replies: ReplyActivity[]): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      if (typeof record.type === 'string' && record.type.startsWith('Action.') && typeof record.data === 'object' && record.data !== null)
        found.push(record.data as Record<string, unknown>);
      Object.values(record).forEach(visit);
    }
  };
  for (const reply of replies) for (const attachment of reply.attachments ?? []) visit(attachment.content);
  return found;
}
