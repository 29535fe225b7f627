import { LocalDirectLine } from './localDirectLine';
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

export interface WebChatTokenIssuer {
  issue(request: { userToken?: unknown; conversationId?: unknown }): Promise<WebChatSession>;
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

  async issue(request: { userToken?: unknown; conversationId?: unknown }): Promise<WebChatSession> {
    const user = deviceUser(this.signer, request.userToken);
    const wanted =
      typeof request.conversationId === 'string' && /^[a-f0-9]{32}$/.test(request.conversationId) ? request.conversationId : undefined;
    const issued = await this.directLine.issueToken(user.userId, wanted);
    // The page reaches the local Direct Line on the origin it was loaded from.
    return { ...issued, ...user, domain: null };
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

  async issue(request: { userToken?: unknown }): Promise<WebChatSession> {
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
