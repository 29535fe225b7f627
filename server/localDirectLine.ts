/**
 * @packageDocumentation
 * A Direct Line 3.0 endpoint on this machine, so Microsoft's Web Chat and `botframework-directlinejs`
 * work unchanged without an Azure account (local mode only).
 *
 * @remarks Two faces:
 * - the client face under `/v3/directline` (same paths as Azure): start or resume a conversation,
 *   post an activity, poll activities with a watermark, refresh a token;
 * - the channel face under `/connector/v3/conversations` (`serviceUrl` = `<origin>/connector`): where the bot replies
 *   to (send, reply, update, delete), also for proactive messages.
 * User activities are forwarded to the bot's `/api/messages` over real HTTP, as Azure does.
 * Conversation ids and their owners are stored, so a token stays usable after a restart; the
 * transcript itself is kept in memory (bounded in count and bytes, see `transcriptBudget.ts`), since
 * the bot's own storage is the record.
 *
 * Both faces share the bot's port with `/api/messages`, so each call is checked for who made it:
 * an activity forwarded to the bot carries an HMAC of its body under a key that lives only in this
 * process (`isOwnForward`), and the bot's connector calls carry a bearer key that only this
 * process's adapter holds (`connectorCredentials`). Conversation records that were issued but never
 * started are removed after `unusedConversationMs`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { JsonFileStore } from '../storage/jsonFileStore';
import { describeError, Logger } from '../logging/logger';
import { TokenSigner } from './tokenSigner';
import { queryParam, routeParam } from './requestParts';
import { BudgetedTranscript, clientTranscriptCopy, jsonBytes, TranscriptBudgetLimits, trimTranscript } from './transcriptBudget';

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
}

interface Transcript extends BudgetedTranscript {
  activities: DirectLineActivity[];
}

/** Header on activities this Direct Line forwards to `/api/messages`: HMAC-SHA256 of the body, base64url. */
export const FORWARD_SIGNATURE_HEADER = 'x-local-directline-signature';

export interface LocalDirectLineOptions {
  /** This server's own address as seen from this machine, e.g. http://127.0.0.1:3978 (known after listen). */
  origin: () => string;
  botId: string;
  store: JsonFileStore;
  signer: TokenSigner;
  log: Logger;
  tokenLifetimeSeconds?: number;
  maxActivitiesPerConversation?: number;
  maxConversationsInMemory?: number;
  /** Byte budgets of the in-memory transcripts. */
  budget?: Partial<TranscriptBudgetLimits>;
  /** Issued conversations never started within this time are removed; default one hour. */
  unusedConversationMs?: number;
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

export class LocalDirectLine {
  private readonly transcripts = new Map<string, Transcript>();
  private readonly tokenLifetime: number;
  private readonly maxActivities: number;
  private readonly maxConversations: number;
  private readonly budget: TranscriptBudgetLimits;
  private readonly unusedConversationMs: number;
  private transcriptBytes = 0;
  /** Per-process keys: a restart invalidates nothing stored, since nothing signed with them is stored. */
  private readonly forwardKey = randomBytes(32);
  private readonly connectorKey = randomBytes(32).toString('base64url');
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: LocalDirectLineOptions) {
    this.tokenLifetime = options.tokenLifetimeSeconds ?? 3600;
    this.maxActivities = options.maxActivitiesPerConversation ?? 500;
    this.maxConversations = options.maxConversationsInMemory ?? 2000;
    this.budget = { ...DEFAULT_TRANSCRIPT_BUDGET, ...options.budget };
    this.unusedConversationMs = options.unusedConversationMs ?? 60 * 60_000;
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
    for (const { key, value } of await this.options.store.list<ConversationRecord>(COLLECTION)) {
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
      this.forget(key);
      removed += 1;
    }
    if (removed > 0) this.options.log.info('directline_unused_removed', { count: removed });
    return removed;
  }

  /** A token for a new conversation of `userId`, or for `conversationId` when that user owns it. */
  async issueToken(userId: string, conversationId?: string): Promise<{ token: string; conversationId: string; expiresIn: number }> {
    let id = conversationId;
    if (id) {
      const existing = await this.options.store.read<ConversationRecord>(COLLECTION, id);
      if (!existing || existing.userId !== userId) id = undefined;
    }
    if (!id) {
      id = randomBytes(16).toString('hex');
      const record: ConversationRecord = { id, userId, startedAt: null, issuedAt: new Date().toISOString() };
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
    if (isNew) {
      // Like Azure: the bot learns that the user joined and can greet before they type.
      const update: DirectLineActivity = {
        type: 'conversationUpdate',
        membersAdded: [
          { id: this.options.botId, role: 'bot' },
          { id: claims.userId, role: 'user' },
        ],
        from: { id: claims.userId, role: 'user' },
      };
      void this.forwardToBot(claims.conversationId, claims.userId, update).catch((error) =>
        this.options.log.warn('directline_greeting_failed', describeError(error)),
      );
    }
  }

  private async resumeConversation(req: Request, res: Response): Promise<void> {
    const claims = this.authorize(req, routeParam(req, 'conversationId'));
    if (!claims) return void res.send(403, errorBody('TokenInvalid', 'This token is not valid for this conversation.'));
    res.send(200, this.conversationBody(claims.conversationId, claims.userId));
  }

  private async getActivities(req: Request, res: Response): Promise<void> {
    const claims = this.authorize(req, routeParam(req, 'conversationId'));
    if (!claims) return void res.send(403, errorBody('TokenInvalid', 'This token is not valid for this conversation.'));
    const watermarkText = queryParam(req, 'watermark');
    const watermark = /^\d{1,9}$/.test(watermarkText) ? Number(watermarkText) : 0;
    const transcript = this.transcript(claims.conversationId);
    // After a restart the transcript is empty: continue numbering where the client is.
    if (transcript.activities.length === 0 && watermark > transcript.base) transcript.base = watermark;
    const from = Math.max(0, watermark - transcript.base);
    const activities = transcript.activities.slice(from);
    res.send(200, { activities, watermark: String(transcript.base + transcript.activities.length) });
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
    const posted = this.append(claims.conversationId, clientTranscriptCopy(activity, this.budget.maxClientTextChars));
    try {
      // The bot gets the whole activity (bounded by the body limit), with the transcript's id and time.
      const status = await this.forwardToBot(claims.conversationId, claims.userId, {
        ...activity,
        id: posted.id,
        timestamp: posted.timestamp,
      });
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
    const activity = this.append(conversationId, {
      ...body,
      from: { id: this.options.botId, role: 'bot', ...(isObject(body.from) ? { name: stringOr(body.from.name) } : {}) },
    });
    res.send(200, { id: activity.id });
  }

  private async botUpdates(req: Request, res: Response): Promise<void> {
    if (!this.isBot(req)) return void res.send(403, errorBody('Forbidden', 'Only the bot may post here.'));
    const body: unknown = req.body;
    if (!isActivityLike(body)) return void res.send(400, errorBody('BadArgument', 'The body must be an activity.'));
    const transcript = this.transcript(routeParam(req, 'conversationId'));
    const activityId = routeParam(req, 'activityId');
    const index = transcript.activities.findIndex((a) => a.id === activityId);
    if (index < 0) return void res.send(404, errorBody('NotFound', 'Activity not found.'));
    const original = transcript.activities[index];
    // Clients that already saw the activity learn of the change through a new entry with the same id.
    const [removed] = transcript.activities.splice(index, 1);
    this.account(transcript, -jsonBytes(removed));
    this.push(transcript, { ...original, ...body, id: activityId, from: original.from, timestamp: original.timestamp });
    res.send(200, { id: activityId });
  }

  private async botDeletes(req: Request, res: Response): Promise<void> {
    if (!this.isBot(req)) return void res.send(403, errorBody('Forbidden', 'Only the bot may post here.'));
    const transcript = this.transcript(routeParam(req, 'conversationId'));
    const activityId = routeParam(req, 'activityId');
    const freed = transcript.activities.filter((a) => a.id === activityId).reduce((sum, a) => sum + jsonBytes(a), 0);
    transcript.activities = transcript.activities.filter((a) => a.id !== activityId);
    this.account(transcript, -freed);
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

  private append(conversationId: string, activity: DirectLineActivity): DirectLineActivity {
    const stored: DirectLineActivity = {
      ...activity,
      id: this.newActivityId(conversationId),
      timestamp: new Date().toISOString(),
      channelId: 'directline',
      conversation: { id: conversationId },
    };
    // Web Chat waits for replies to a `replyToId` it knows; proactive messages must not carry one.
    if (stored.replyToId && !this.transcript(conversationId).activities.some((a) => a.id === stored.replyToId)) delete stored.replyToId;
    delete stored.serviceUrl;
    this.push(this.transcript(conversationId), stored);
    return stored;
  }

  private push(transcript: Transcript, activity: DirectLineActivity): void {
    transcript.activities.push(activity);
    this.account(transcript, jsonBytes(activity));
    this.transcriptBytes -= trimTranscript(transcript, this.budget.perConversationBytes, this.maxActivities);
    // Over the total budget: the least recently used conversations go first, never the current one.
    for (const [id, other] of this.transcripts) {
      if (this.transcriptBytes <= this.budget.totalBytes) break;
      if (other === transcript) continue;
      this.forget(id);
    }
  }

  private account(transcript: Transcript, bytes: number): void {
    transcript.bytes += bytes;
    this.transcriptBytes += bytes;
  }

  private forget(conversationId: string): void {
    const transcript = this.transcripts.get(conversationId);
    if (!transcript) return;
    this.transcriptBytes -= transcript.bytes;
    this.transcripts.delete(conversationId);
  }

  private transcript(conversationId: string): Transcript {
    let transcript = this.transcripts.get(conversationId);
    if (transcript) {
      this.transcripts.delete(conversationId);
    } else {
      transcript = { base: 0, activities: [], bytes: 0 };
    }
    this.transcripts.set(conversationId, transcript);
    if (this.transcripts.size > this.maxConversations) {
      const oldest = this.transcripts.keys().next().value;
      if (oldest !== undefined) this.forget(oldest);
    }
    return transcript;
  }

  /** Bytes held by all transcripts now (for tests and benchmarks). */
  heldTranscriptBytes(): number {
    return this.transcriptBytes;
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

  private conversationBody(conversationId: string, userId: string): object {
    // No streamUrl: this endpoint speaks the polling protocol only (Web Chat with webSocket: false).
    return { conversationId, token: this.tokenFor(conversationId, userId), expires_in: this.tokenLifetime };
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
