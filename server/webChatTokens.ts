import { LocalDirectLine } from './localDirectLine';
import type { RateLimit, RateLimiter } from '../services/rateLimiter';
import { InMemoryRateLimiter } from './rateLimiter';
import { newWebUserId, TokenSigner } from './tokenSigner';

/**
 * Hands the web page what it needs to open Web Chat: a Direct Line token, the conversation, and a
 * signed device identity so a returning client is recognised without an account.
 *
 * @remarks The page never sees a Direct Line secret. In local mode the token comes from the local
 * Direct Line; in production it is exchanged with Azure Bot Service for the configured secret.
 */
export interface WebChatSession {
  token: string;
  conversationId: string;
  userId: string;
  /** Long-lived signed user identity for this device; the page keeps it in localStorage. */
  userToken: string;
  expiresIn: number;
  /** Direct Line base URL for Web Chat's `domain` option; `null`: this server's own local Direct Line. */
  domain: string | null;
}

/** What the page sends: its device identity, the conversation it had, its language, and whether its link says who this is. */
export interface WebChatTokenRequest {
  userToken?: unknown;
  conversationId?: unknown;
  locale?: unknown;
  link?: unknown;
}

export interface WebChatTokenIssuer {
  /** @param clientAddress the network address of the asking browser, for rate limits. */
  issue(request: WebChatTokenRequest, clientAddress?: string): Promise<WebChatSession>;
}

const USER_TOKEN_LIFETIME_SECONDS = 180 * 24 * 3600;

function deviceUser(signer: TokenSigner, userToken: unknown): { userId: string; userToken: string } {
  const claims = signer.verify(userToken, 'user');
  const userId = claims?.userId ?? newWebUserId();
  return { userId, userToken: signer.sign({ purpose: 'user', userId }, USER_TOKEN_LIFETIME_SECONDS) };
}

export class LocalWebChatTokens implements WebChatTokenIssuer {
  constructor(
    private readonly directLine: LocalDirectLine,
    private readonly signer: TokenSigner,
  ) {}

  async issue(request: WebChatTokenRequest): Promise<WebChatSession> {
    const user = deviceUser(this.signer, request.userToken);
    const wanted =
      typeof request.conversationId === 'string' && /^[a-f0-9]{32}$/.test(request.conversationId) ? request.conversationId : undefined;
    const issued = await this.directLine.issueToken(user.userId, wanted, {
      locale: request.locale === 'en' ? 'en-US' : 'nl-NL',
      // A join or personal link (or a language in the link) is told to the bot right after connecting as an
      // event the bot answers; greeting first would ask "who are you?" or greet twice.
      greet: request.link !== 'join' && request.link !== 'pro' && request.link !== 'lang',
    });
    // The page reaches the local Direct Line on the origin it was loaded from.
    return { ...issued, ...user, domain: null };
  }
}

/** Too many new identities from one address, or new conversations for one identity. */
export class TokenRateLimitedError extends Error {
  readonly code = 'TOKEN_RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`token requests are rate limited for ${retryAfterSeconds} s`);
    this.name = 'TokenRateLimitedError';
  }
}

export interface TokenRateLimits {
  /** New device identities (no valid user token) per client address. */
  newIdentitiesPerAddress: RateLimit;
  /** Token requests per known device identity (each may start a conversation). */
  requestsPerIdentity: RateLimit;
}

export const DEFAULT_TOKEN_RATE_LIMITS: TokenRateLimits = {
  newIdentitiesPerAddress: { limit: 30, windowMs: 60_000 },
  requestsPerIdentity: { limit: 30, windowMs: 10 * 60_000 },
};

/** The two counters of `RateLimitedWebChatTokens`, one per limit of `TokenRateLimits`. */
export type TokenRateLimiters = Record<keyof TokenRateLimits, RateLimiter>;

/** The counters of one instance, in memory. */
export function inMemoryTokenRateLimiters(
  limits: TokenRateLimits = DEFAULT_TOKEN_RATE_LIMITS,
  now: () => number = () => Date.now(),
): TokenRateLimiters {
  return {
    newIdentitiesPerAddress: new InMemoryRateLimiter(limits.newIdentitiesPerAddress, now),
    requestsPerIdentity: new InMemoryRateLimiter(limits.requestsPerIdentity, now),
  };
}

/**
 * Every token request makes a conversation record, and a request without a user token makes a new
 * identity: both are rate-limited, so nobody can fill the disk or mint identities for code guessing.
 *
 * @remarks A returning device (valid user token) is counted against its own identity only, so a
 * stranger flooding from the same address never locks out clients who already have a device token.
 * With several instances the counters must be shared (`storage/postgres/postgresRateLimiter.ts`), or
 * each instance would allow the whole limit again.
 */
export class RateLimitedWebChatTokens implements WebChatTokenIssuer {
  constructor(
    private readonly inner: WebChatTokenIssuer,
    private readonly signer: TokenSigner,
    private readonly limiters: TokenRateLimiters = inMemoryTokenRateLimiters(),
  ) {}

  async issue(request: WebChatTokenRequest, clientAddress = ''): Promise<WebChatSession> {
    const known = this.signer.verify(request.userToken, 'user');
    const decision = known
      ? await this.limiters.requestsPerIdentity.take(known.userId)
      : await this.limiters.newIdentitiesPerAddress.take(clientAddress);
    if (!decision.allowed) throw new TokenRateLimitedError(decision.retryAfterSeconds);
    return this.inner.issue(request, clientAddress);
  }
}

export class DirectLineExchangeError extends Error {
  readonly code = 'DIRECT_LINE_EXCHANGE_FAILED';
  constructor(readonly status: number) {
    super(`Azure Direct Line answered ${status} to the token request`);
    this.name = 'DirectLineExchangeError';
  }
}

/** Exchanges the Direct Line secret for a conversation token bound to the device's user id. */
export class AzureWebChatTokens implements WebChatTokenIssuer {
  constructor(
    private readonly secret: string,
    private readonly endpoint: string,
    private readonly signer: TokenSigner,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async issue(request: WebChatTokenRequest): Promise<WebChatSession> {
    const user = deviceUser(this.signer, request.userToken);
    const response = await this.fetchImpl(`${this.endpoint}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: user.userId } }),
      signal: AbortSignal.timeout(10000),
    });
    if (!response.ok) throw new DirectLineExchangeError(response.status);
    const body = (await response.json()) as { token?: unknown; conversationId?: unknown; expires_in?: unknown };
    if (typeof body.token !== 'string' || typeof body.conversationId !== 'string') throw new DirectLineExchangeError(502);
    return {
      token: body.token,
      conversationId: body.conversationId,
      expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 1800,
      ...user,
      domain: `${this.endpoint}/v3/directline`,
    };
  }
}
