/**
 * @packageDocumentation
 * A Direct Line 3.0 endpoint on this machine, so Microsoft's Web Chat and `botframework-directlinejs`
 * work unchanged without an Azure account (local mode only).
 *
 * @remarks Two faces:
 * - the client face under `/v3/directline` (same paths as Azure): start or resume a conversation,
 *   post an activity, poll activities with a watermark, refresh a token, and the WebSocket stream
 *   (`streamUrl` on start and resume, as Azure gives it; the page falls back to polling without it);
 * - the channel face under `/connector/v3/conversations` (`serviceUrl` = `<origin>/connector`): where the bot replies
 *   to (send, reply, update, delete), also for proactive messages.
 * User activities are forwarded to the bot's `/api/messages` over real HTTP, as Azure does.
 * Conversation ids, their owners and their transcripts are stored (`DirectLineTranscripts`), so after
 * a restart an open page reconnects with its token and watermark and keeps its history. Transcripts
 * are bounded in count and bytes (see `transcriptBudget.ts`); the bot's own storage is the record.
 *
 * Both faces share the bot's port with `/api/messages`, so each call is checked for who made it:
 * an activity forwarded to the bot carries an HMAC of its body under a key that lives only in this
 * process (`isOwnForward`), and the bot's connector calls carry a bearer key that only this
 * process's adapter holds (`connectorCredentials`). Conversation records that were issued but never
 * started are removed after `unusedConversationMs`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { WebSocket, WebSocketServer } from 'ws';
import type { JsonFileStore } from '../storage/jsonFileStore';
import { describeError, Logger } from '../logging/logger';
import { DirectLineTranscripts, Transcript } from './directLineTranscripts';
import { TokenSigner } from './tokenSigner';
import { queryParam, routeParam } from './requestParts';
import { hostName } from './requestGuards';
import { clientTranscriptCopy, TranscriptBudgetLimits } from './transcriptBudget';

export interface DirectLineActivity {
  type: string;
  id?: string;
  timestamp?: string;
  channelId?: string;
  serviceUrl?: string;
  from?: { id: string; name?: string; role?: string };
  recipient?: { id: string; name?: string; role?: string };
  conversation?: { id: string };
  text?: string;
  value?: unknown;
  name?: string;
  replyToId?: string;
  [field: string]: unknown;
}

interface ConversationRecord {
  id: string;
  userId: string;
  startedAt: string | null;
  /** When the token was issued; older records missing it count as issued at the first sweep. */
  issuedAt?: string;
  /** The page's language, told to the bot with the join (older records have none). */
  locale?: string;
  /** `false` when the page's link already says who this is, so the bot is not told to greet. */
  greet?: boolean;
}

export interface ConversationStart {
  locale?: string;
  greet?: boolean;
}

/** Header on activities this Direct Line forwards to `/api/messages`: HMAC-SHA256 of the body, base64url. */
export const FORWARD_SIGNATURE_HEADER = 'x-local-directline-signature';

export interface LocalDirectLineOptions {
  /** This server's own address as seen from this machine, e.g. http://127.0.0.1:3978 (known after listen). */
  origin: () => string;
  botId: string;
  store: JsonFileStore;
  /** Where the transcripts are written: the same folder, through a store that caches nothing (composition/fileStores.ts). */
  transcriptStore: JsonFileStore;
  signer: TokenSigner;
  log: Logger;
  tokenLifetimeSeconds?: number;
  maxActivitiesPerConversation?: number;
  maxConversationsInMemory?: number;
  /** Byte budgets of the transcripts (per conversation on disk and in memory, all together in memory). */
  budget?: Partial<TranscriptBudgetLimits>;
  /** Issued conversations never started within this time are removed; default one hour. */
  unusedConversationMs?: number;
  /** Seconds between server pings on an open stream, so dead sockets are noticed and closed. */
  streamPingSeconds?: number;
  /**
   * Host names a stream may be opened on and from (`PUBLIC_URL`'s and the loopback names); `null`
   * accepts any. The upgrade bypasses restify's `pre` checks, so it applies the same rule itself.
   */
  allowedHostNames?: ReadonlySet<string> | null;
}

export const DEFAULT_TRANSCRIPT_BUDGET: TranscriptBudgetLimits = {
  maxClientTextChars: 2000,
  perConversationBytes: 256 * 1024,
  totalBytes: 64 * 1024 * 1024,
};

/** The `ServiceClientCredentialsFactory` shape `ConfigurationBotFrameworkAuthentication` takes. */
export type LocalCredentialsFactory = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>;

const CLIENT_ACTIVITY_TYPES = new Set(['message', 'event', 'typing']);
const COLLECTION = 'directline';

/** What a deleted activity becomes in the transcript: it keeps its place and watermark and is never served. */
const DELETED = 'deleted';
const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,100})\/stream$/;

export class LocalDirectLine {
  private readonly transcripts: DirectLineTranscripts;
  private readonly tokenLifetime: number;
  private readonly maxActivities: number;
  private readonly streams = new Map<string, Set<WebSocket>>();
  private readonly socketServer = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private pingTimer: NodeJS.Timeout | null = null;
  private readonly budget: TranscriptBudgetLimits;
  private readonly unusedConversationMs: number;
  /** Per-process keys: a restart invalidates nothing stored, since nothing signed with them is stored. */
  private readonly forwardKey = randomBytes(32);
  private readonly connectorKey = randomBytes(32).toString('base64url');
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: LocalDirectLineOptions) {
    this.tokenLifetime = options.tokenLifetimeSeconds ?? 3600;
    this.maxActivities = options.maxActivitiesPerConversation ?? 500;
    this.budget = { ...DEFAULT_TRANSCRIPT_BUDGET, ...options.budget };
    this.unusedConversationMs = options.unusedConversationMs ?? 60 * 60_000;
    this.transcripts = new DirectLineTranscripts(options.transcriptStore, options.maxConversationsInMemory ?? 2000, this.budget.totalBytes);
  }

  /** The bot's `serviceUrl` in local mode. */
  serviceUrl(): string {
    return `${this.options.origin()}/connector`;
  }

  /** Whether `rawBody` was forwarded by this process (its signature header matches). */
  isOwnForward(rawBody: unknown, signature: unknown): boolean {
    if (typeof rawBody !== 'string' || typeof signature !== 'string') return false;
    const expected = Buffer.from(this.sign(rawBody));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /**
   * Credentials for the bot's adapter: inbound auth stays off (`/api/messages` checks `isOwnForward`
   * instead), outbound connector calls carry this process's connector key.
   */
  connectorCredentials(): LocalCredentialsFactory {
    const authorization = `Bearer ${this.connectorKey}`;
    return {
      isValidAppId: async () => true,
      isAuthenticationDisabled: async () => true,
      createCredentials: async () => ({
        signRequest: async (resource) => {
          resource.headers.set('authorization', authorization);
          return resource;
        },
      }),
    };
  }

  /** Starts the periodic removal of unused conversations; `stopSweeping` ends it. */
  startSweeping(intervalMs = 10 * 60_000): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => {
      this.sweepUnusedConversations().catch((error) => this.options.log.warn('directline_sweep_failed', describeError(error)));
    }, intervalMs);
    this.sweepTimer.unref();
  }

  stopSweeping(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  /**
   * Removes conversation records that were issued (a token was asked) but never started within
   * `unusedConversationMs`: a token request without a chat leaves nothing behind.
   * @returns how many were removed.
   */
  async sweepUnusedConversations(now: Date = new Date()): Promise<number> {
    const cutoff = now.getTime() - this.unusedConversationMs;
    let removed = 0;
    // One file at a time and past the store's cache: a sweep must not push the records of live turns out of it.
    for await (const { key, value } of this.options.store.stream<ConversationRecord>(COLLECTION)) {
      if (value.startedAt !== null) continue;
      if (!value.issuedAt) {
        // Written before records had a date: start its clock now.
        await this.options.store.update<ConversationRecord>(COLLECTION, key, (current) =>
          current && !current.issuedAt ? { ...current, issuedAt: now.toISOString() } : current,
        );
        continue;
      }
      if (Date.parse(value.issuedAt) > cutoff) continue;
      await this.options.store.update<ConversationRecord>(COLLECTION, key, (current) =>
        current && current.startedAt === null ? undefined : current,
      );
      this.transcripts.forget(key);
      removed += 1;
    }
    if (removed > 0) this.options.log.info('directline_unused_removed', { count: removed });
    return removed;
  }

  /** Bytes held by the transcripts in memory now (for tests and benchmarks). */
  heldTranscriptBytes(): number {
    return this.transcripts.heldBytes();
  }

  /** Closes every open stream; pages reconnect by themselves (to this server after a restart). */
  closeStreams(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    for (const sockets of this.streams.values()) for (const socket of sockets) socket.terminate();
    this.streams.clear();
    this.socketServer.close();
  }

  /** Resolves when every transcript change is on disk. */
  async flush(): Promise<void> {
    await this.transcripts.flush();
  }

  /** A token for a new conversation of `userId`, or for `conversationId` when that user owns it. */
  async issueToken(
    userId: string,
    conversationId?: string,
    start: ConversationStart = {},
  ): Promise<{ token: string; conversationId: string; expiresIn: number }> {
    let id = conversationId;
    if (id) {
      const existing = await this.options.store.read<ConversationRecord>(COLLECTION, id);
      if (!existing || existing.userId !== userId) id = undefined;
    }
    if (!id) {
      id = randomBytes(16).toString('hex');
      const record: ConversationRecord = { id, userId, startedAt: null, issuedAt: new Date().toISOString(), ...start };
      await this.options.store.write(COLLECTION, id, record);
    }
    return { token: this.tokenFor(id, userId), conversationId: id, expiresIn: this.tokenLifetime };
  }

  register(server: Server): void {
    const base = '/v3/directline';
    server.post(`${base}/tokens/generate`, async (req: Request, res: Response) => this.handle(res, () => this.generateToken(req, res)));
    server.post(`${base}/tokens/refresh`, async (req: Request, res: Response) => this.handle(res, () => this.refreshToken(req, res)));
    server.post(`${base}/conversations`, async (req: Request, res: Response) => this.handle(res, () => this.startConversation(req, res)));
    server.get(`${base}/conversations/:conversationId`, async (req: Request, res: Response) =>
      this.handle(res, () => this.resumeConversation(req, res)),
    );
    server.get(`${base}/conversations/:conversationId/activities`, async (req: Request, res: Response) =>
      this.handle(res, () => this.getActivities(req, res)),
    );
    server.post(`${base}/conversations/:conversationId/activities`, async (req: Request, res: Response) =>
      this.handle(res, () => this.postActivity(req, res)),
    );
    server.post(`${base}/conversations/:conversationId/upload`, async (_req: Request, res: Response) => {
      res.send(400, errorBody('NotSupported', 'Uploading files is not supported by this bot.'));
    });

    const connector = '/connector/v3/conversations/:conversationId';
    server.post(`${connector}/activities`, async (req: Request, res: Response) => this.handle(res, () => this.botSends(req, res)));
    server.post(`${connector}/activities/:activityId`, async (req: Request, res: Response) =>
      this.handle(res, () => this.botSends(req, res)),
    );
    server.put(`${connector}/activities/:activityId`, async (req: Request, res: Response) =>
      this.handle(res, () => this.botUpdates(req, res)),
    );
    server.del(`${connector}/activities/:activityId`, async (req: Request, res: Response) =>
      this.handle(res, () => this.botDeletes(req, res)),
    );
    server.get(`${connector}/members`, async (req: Request, res: Response) => this.handle(res, () => this.members(req, res)));

    server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    const pingMs = (this.options.streamPingSeconds ?? 30) * 1000;
    this.pingTimer = setInterval(() => this.pingStreams(), pingMs);
    this.pingTimer.unref();
  }

  private async handle(res: Response, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.options.log.error('directline_failed', describeError(error));
      if (!res.headersSent) res.send(500, errorBody('ServiceError', 'Something went wrong on the server.'));
    }
  }

  // ---- client face ------------------------------------------------------------------------

  /** Local mode has no Direct Line secret; a token is bound to one conversation of one user. */
  private async generateToken(req: Request, res: Response): Promise<void> {
    const claims = this.authorize(req);
    if (!claims) return void res.send(403, errorBody('TokenInvalid', 'A valid token is required.'));
    res.send(200, {
      conversationId: claims.conversationId,
      token: this.tokenFor(claims.conversationId, claims.userId),
      expires_in: this.tokenLifetime,
    });
  }

  private async refreshToken(req: Request, res: Response): Promise<void> {
    const claims = this.authorize(req);
    if (!claims) return void res.send(403, errorBody('TokenExpired', 'The token is not valid or has expired.'));
    res.send(200, {
      conversationId: claims.conversationId,
      token: this.tokenFor(claims.conversationId, claims.userId),
      expires_in: this.tokenLifetime,
    });
  }

  private async startConversation(req: Request, res: Response): Promise<void> {
    const claims = this.authorize(req);
    if (!claims) return void res.send(403, errorBody('TokenInvalid', 'A valid token is required.'));
    const record = await this.options.store.read<ConversationRecord>(COLLECTION, claims.conversationId);
    if (!record) return void res.send(404, errorBody('BadArgument', 'Conversation not found.'));
    const isNew = record.startedAt === null;
    if (isNew) {
      await this.options.store.update<ConversationRecord>(COLLECTION, record.id, (current) =>
        current ? { ...current, startedAt: new Date().toISOString() } : current,
      );
    }
    res.send(isNew ? 201 : 200, this.conversationBody(claims.conversationId, claims.userId));
    if (isNew && record.greet !== false) {
      // Like Azure: the bot learns that the user joined and can greet before they type.
      const update: DirectLineActivity = {
        type: 'conversationUpdate',
        membersAdded: [
          { id: this.options.botId, role: 'bot' },
          { id: claims.userId, role: 'user' },
        ],
        from: { id: claims.userId, role: 'user' },
        ...(record.locale ? { locale: record.locale } : {}),
      };
      void this.forwardToBot(claims.conversationId, claims.userId, update).catch((error) =>
        this.options.log.warn('directline_greeting_failed', describeError(error)),
      );
    }
  }

  private async resumeConversation(req: Request, res: Response): Promise<void> {
    const claims = this.authorize(req, routeParam(req, 'conversationId'));
    if (!claims) return void res.send(403, errorBody('TokenInvalid', 'This token is not valid for this conversation.'));
    const watermark = /^\d{1,9}$/.test(queryParam(req, 'watermark')) ? queryParam(req, 'watermark') : null;
    res.send(200, this.conversationBody(claims.conversationId, claims.userId, watermark));
  }

  private async getActivities(req: Request, res: Response): Promise<void> {
    const claims = this.authorize(req, routeParam(req, 'conversationId'));
    if (!claims) return void res.send(403, errorBody('TokenInvalid', 'This token is not valid for this conversation.'));
    const watermarkText = queryParam(req, 'watermark');
    const watermark = /^\d{1,9}$/.test(watermarkText) ? Number(watermarkText) : 0;
    res.send(200, await this.activitiesSince(claims.conversationId, watermark));
  }

  /** What a client at `watermark` has not seen yet, and the watermark after it. */
  private async activitiesSince(
    conversationId: string,
    watermark: number,
  ): Promise<{ activities: DirectLineActivity[]; watermark: string }> {
    // A transcript lost or trimmed away: continue numbering where the client is.
    await this.transcripts.skipTo(conversationId, watermark);
    return this.since(await this.transcripts.get(conversationId), watermark);
  }

  private since(transcript: Transcript, watermark: number): { activities: DirectLineActivity[]; watermark: string } {
    const from = Math.max(0, watermark - transcript.base);
    return {
      activities: (transcript.activities.slice(from) as DirectLineActivity[]).filter((a) => a.type !== DELETED),
      watermark: String(transcript.base + transcript.activities.length),
    };
  }

  private async postActivity(req: Request, res: Response): Promise<void> {
    const claims = this.authorize(req, routeParam(req, 'conversationId'));
    if (!claims) return void res.send(403, errorBody('TokenInvalid', 'This token is not valid for this conversation.'));
    const body: unknown = req.body;
    if (!isActivityLike(body)) return void res.send(400, errorBody('BadArgument', 'The body must be an activity with a type.'));
    if (!CLIENT_ACTIVITY_TYPES.has(body.type)) {
      return void res.send(400, errorBody('BadArgument', `Activities of type "${body.type}" cannot be sent by a client.`));
    }
    if (body.type === 'typing') return void res.send(200, { id: this.newActivityId(claims.conversationId) });
    if (body.text !== undefined && typeof body.text !== 'string')
      return void res.send(400, errorBody('BadArgument', 'The text must be a string.'));
    const activity: DirectLineActivity = { ...body, from: { ...(isObject(body.from) ? body.from : {}), id: claims.userId, role: 'user' } };
    const { stored: posted, saved } = await this.append(
      claims.conversationId,
      clientTranscriptCopy(activity, this.budget.maxClientTextChars),
    );
    try {
      // The bot gets the whole activity (bounded by the body limit), with the transcript's id and time.
      // It starts on it while it is written; the client hears back once both are done.
      const [status] = await Promise.all([
        this.forwardToBot(claims.conversationId, claims.userId, { ...activity, id: posted.id, timestamp: posted.timestamp }),
        saved,
      ]);
      // The bot's replies of this turn were acknowledged once queued: answer when they are on disk too.
      await this.transcripts.settled(claims.conversationId);
      // The bot refused the activity itself (4xx): the client's fault, not a gateway failure.
      if (status >= 400 && status < 500) return void res.send(400, errorBody('BadArgument', 'The bot could not read this activity.'));
      if (status >= 500) return void res.send(502, errorBody('BotError', 'The bot could not handle this message.'));
    } catch (error) {
      this.options.log.error('directline_bot_unreachable', describeError(error));
      return void res.send(502, errorBody('BotUnavailable', 'The bot is not reachable right now.'));
    }
    res.send(200, { id: posted.id });
  }

  // ---- channel face (the bot's serviceUrl) ------------------------------------------------

  private async botSends(req: Request, res: Response): Promise<void> {
    if (!this.isBot(req)) return void res.send(403, errorBody('Forbidden', 'Only the bot may post here.'));
    const body: unknown = req.body;
    if (!isActivityLike(body)) return void res.send(400, errorBody('BadArgument', 'The body must be an activity.'));
    const conversationId = routeParam(req, 'conversationId');
    const record = await this.options.store.read<ConversationRecord>(COLLECTION, conversationId);
    if (!record) return void res.send(404, errorBody('ConversationNotFound', 'Conversation not found.'));
    const { stored, saved } = await this.append(conversationId, {
      ...body,
      from: { id: this.options.botId, role: 'bot', ...(isObject(body.from) ? { name: stringOr(body.from.name) } : {}) },
    });
    // Streamed already, and acknowledged as soon as its write is queued, not after the fsync: the bot's
    // next reply of the turn (the question after "Jouw antwoord: …") goes out without waiting a disk
    // round. Nothing is weaker for it: the transcript's writes of one conversation go out in order
    // (each rewrites the open segment whole), so no later card is ever on disk without an earlier one;
    // the bot saved its own state before it sent anything; and the page that asked hears back only
    // once the whole turn's transcript is on disk (`postActivity` waits for `settled`).
    saved.catch((error) => this.options.log.error('directline_transcript_write_failed', describeError(error)));
    res.send(200, { id: stored.id });
  }

  private async botUpdates(req: Request, res: Response): Promise<void> {
    if (!this.isBot(req)) return void res.send(403, errorBody('Forbidden', 'Only the bot may post here.'));
    const body: unknown = req.body;
    if (!isActivityLike(body)) return void res.send(400, errorBody('BadArgument', 'The body must be an activity.'));
    const conversationId = routeParam(req, 'conversationId');
    const transcript = await this.transcripts.get(conversationId);
    const activityId = routeParam(req, 'activityId');
    const index = transcript.activities.findIndex((a) => a.id === activityId);
    if (index < 0) return void res.send(404, errorBody('NotFound', 'Activity not found.'));
    const original = transcript.activities[index] as DirectLineActivity;
    const updated: DirectLineActivity = { ...original, ...body, id: activityId, from: original.from, timestamp: original.timestamp };
    // In place for pages that load the history later; once more at the end (same id) for pages that already saw it.
    await this.transcripts.replace(conversationId, index, updated);
    await (
      await this.push(conversationId, updated)
    ).saved;
    res.send(200, { id: activityId });
  }

  private async botDeletes(req: Request, res: Response): Promise<void> {
    if (!this.isBot(req)) return void res.send(403, errorBody('Forbidden', 'Only the bot may post here.'));
    const conversationId = routeParam(req, 'conversationId');
    const transcript = await this.transcripts.get(conversationId);
    const index = transcript.activities.findIndex((a) => a.id === routeParam(req, 'activityId'));
    // Entries keep their place (and watermark): a deleted one becomes a marker that is never served.
    if (index >= 0) await this.transcripts.replace(conversationId, index, { type: DELETED, id: routeParam(req, 'activityId') });
    res.send(200, {});
  }

  private async members(req: Request, res: Response): Promise<void> {
    if (!this.isBot(req)) return void res.send(403, errorBody('Forbidden', 'Only the bot may ask this.'));
    const record = await this.options.store.read<ConversationRecord>(COLLECTION, routeParam(req, 'conversationId'));
    if (!record) return void res.send(404, errorBody('ConversationNotFound', 'Conversation not found.'));
    res.send(200, [{ id: record.userId, role: 'user' }]);
  }

  // ---- helpers ----------------------------------------------------------------------------

  private async forwardToBot(conversationId: string, userId: string, activity: DirectLineActivity): Promise<number> {
    const now = new Date().toISOString();
    const toBot: DirectLineActivity = {
      ...activity,
      id: activity.id ?? this.newActivityId(conversationId),
      timestamp: activity.timestamp ?? now,
      channelId: 'directline',
      serviceUrl: `${this.options.origin()}/connector`,
      conversation: { id: conversationId },
      recipient: { id: this.options.botId, role: 'bot' },
      from: { ...(activity.from ?? {}), id: userId, role: 'user' },
    };
    const body = JSON.stringify(toBot);
    const response = await fetch(`${this.options.origin()}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [FORWARD_SIGNATURE_HEADER]: this.sign(body) },
      body,
      signal: AbortSignal.timeout(30000),
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** Stores and streams an activity; `saved` resolves when it is on disk. */
  private async append(
    conversationId: string,
    activity: DirectLineActivity,
  ): Promise<{ stored: DirectLineActivity; saved: Promise<void> }> {
    const transcript = await this.transcripts.get(conversationId);
    const stored: DirectLineActivity = {
      ...activity,
      id: this.newActivityId(conversationId),
      timestamp: new Date().toISOString(),
      channelId: 'directline',
      conversation: { id: conversationId },
    };
    // Web Chat waits for replies to a `replyToId` it knows; proactive messages must not carry one.
    if (stored.replyToId && !transcript.activities.some((a) => a.id === stored.replyToId)) delete stored.replyToId;
    delete stored.serviceUrl;
    const { saved } = await this.push(conversationId, stored);
    return { stored, saved };
  }

  /**
   * Adds an activity and streams it to open pages at once; `saved` resolves when it is on disk and
   * the transcript is back within its count and byte budget.
   */
  private async push(conversationId: string, activity: DirectLineActivity): Promise<{ saved: Promise<void> }> {
    const { watermark, saved } = await this.transcripts.append(conversationId, activity);
    this.broadcast(conversationId, { activities: [activity], watermark: String(watermark) });
    const trimmed = saved.then(() => this.transcripts.trim(conversationId, this.maxActivities, this.budget.perConversationBytes));
    return { saved: trimmed };
  }

  // ---- the WebSocket stream ---------------------------------------------------------------

  /** `streamUrl` as Azure gives it: the conversation's stream, with the token and where the client is. */
  private streamUrl(conversationId: string, token: string, watermark: string | null): string {
    const origin = this.options.origin().replace(/^http/, 'ws');
    const query = new URLSearchParams({ t: token, ...(watermark !== null ? { watermark } : {}) });
    return `${origin}/v3/directline/conversations/${conversationId}/stream?${query.toString()}`;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = STREAM_PATH.exec(url.pathname);
    if (!match) return void refuseUpgrade(socket, 404, 'Not Found');
    const allowed = this.options.allowedHostNames ?? null;
    if (allowed) {
      // Same Host rule as every HTTP request (DNS rebinding); and since browsers let any page open a
      // WebSocket anywhere (no CORS), a page must come from one of our own names. A client that is
      // no browser sends no Origin and needs the conversation's token all the same.
      const host = hostName(req.headers.host);
      if (host === null || !allowed.has(host)) return void refuseUpgrade(socket, 421, 'Misdirected Request');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowed.has(originHostName(origin))) return void refuseUpgrade(socket, 403, 'Forbidden');
    }
    const claims = this.options.signer.verify(url.searchParams.get('t'), 'directline');
    const conversationId = match[1];
    if (!claims || claims.conversationId !== conversationId) return void refuseUpgrade(socket, 403, 'Forbidden');
    const watermarkText = url.searchParams.get('watermark') ?? '';
    const watermark = /^\d{1,9}$/.test(watermarkText) ? Number(watermarkText) : 0;
    this.socketServer.handleUpgrade(req, socket, head, (ws) => void this.openStream(conversationId, ws, watermark));
  }

  private async openStream(conversationId: string, ws: WebSocket, watermark: number): Promise<void> {
    ws.on('error', () => ws.terminate());
    // Messages from the page are heartbeats (empty strings); Direct Line takes activities over HTTP only.
    ws.on('pong', () => ((ws as AliveSocket).alive = true));
    (ws as AliveSocket).alive = true;
    let backlog: { activities: DirectLineActivity[]; watermark: string };
    try {
      await this.transcripts.skipTo(conversationId, watermark);
      const transcript = await this.transcripts.get(conversationId);
      // The backlog and joining the broadcast happen in one step: no activity is sent twice or missed.
      backlog = this.since(transcript, watermark);
    } catch (error) {
      this.options.log.warn('directline_stream_failed', describeError(error));
      ws.terminate();
      return;
    }
    let sockets = this.streams.get(conversationId);
    if (!sockets) this.streams.set(conversationId, (sockets = new Set()));
    const joined = sockets;
    joined.add(ws);
    ws.on('close', () => {
      joined.delete(ws);
      if (joined.size === 0 && this.streams.get(conversationId) === joined) this.streams.delete(conversationId);
    });
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(backlog));
  }

  private broadcast(conversationId: string, message: { activities: DirectLineActivity[]; watermark: string }): void {
    const sockets = this.streams.get(conversationId);
    if (!sockets) return;
    const text = JSON.stringify(message);
    for (const ws of sockets) if (ws.readyState === WebSocket.OPEN) ws.send(text);
  }

  private pingStreams(): void {
    for (const sockets of this.streams.values()) {
      for (const ws of sockets) {
        const alive = ws as AliveSocket;
        if (!alive.alive) {
          ws.terminate();
          continue;
        }
        alive.alive = false;
        ws.ping();
      }
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.forwardKey).update(body).digest('base64url');
  }

  /** A connector call from this process's own adapter. */
  private isBot(req: Request): boolean {
    const header = req.headers.authorization;
    if (typeof header !== 'string') return false;
    const expected = Buffer.from(`Bearer ${this.connectorKey}`);
    const given = Buffer.from(header.trim());
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private newActivityId(conversationId: string): string {
    return `${conversationId}|${randomBytes(6).toString('hex')}`;
  }

  private tokenFor(conversationId: string, userId: string): string {
    return this.options.signer.sign({ purpose: 'directline', conversationId, userId }, this.tokenLifetime);
  }

  private conversationBody(conversationId: string, userId: string, watermark: string | null = null): object {
    const token = this.tokenFor(conversationId, userId);
    return { conversationId, token, expires_in: this.tokenLifetime, streamUrl: this.streamUrl(conversationId, token, watermark) };
  }

  private authorize(req: Request, conversationId?: unknown): { conversationId: string; userId: string } | null {
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const claims = this.options.signer.verify(token, 'directline');
    if (!claims || !claims.conversationId) return null;
    if (conversationId !== undefined && conversationId !== claims.conversationId) return null;
    return { conversationId: claims.conversationId, userId: claims.userId };
  }
}

function errorBody(code: string, message: string): object {
  return { error: { code, message } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isActivityLike(value: unknown): value is DirectLineActivity {
  return isObject(value) && typeof value.type === 'string' && value.type.length > 0 && value.type.length <= 64;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

interface AliveSocket extends WebSocket {
  alive?: boolean;
}

/** The host name of an Origin header (`null` and malformed origins give one no allowed set holds). */
function originHostName(origin: string): string {
  try {
    const { hostname } = new URL(origin);
    return hostname.toLowerCase();
  } catch {
    return '';
  }
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
