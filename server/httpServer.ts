import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ActivityTypes, CloudAdapter, TurnContext } from 'botbuilder';
import restify, { Request, Response, Server } from 'restify';
import { describeError, Logger } from '../logging/logger';
import { FORWARD_SIGNATURE_HEADER, LocalDirectLine } from './localDirectLine';
import { checkRequest, pageContentSecurityPolicy, setSecurityHeaders } from './requestGuards';
import { TokenRateLimitedError, WebChatTokenIssuer, WebChatTokenRequest } from './webChatTokens';

/**
 * The HTTP face of the bot: `/api/messages`, the web chat page and its token, health, and (local
 * mode) the Direct Line emulator. Built from parts handed in by `index.ts`.
 *
 * @remarks Bad input gets a clean 4xx before it reaches the bot (see `requestGuards.ts`): an encoded
 * body 415 before it is read, a body that is not JSON 415, bodies over `maxBodyBytes` 413, malformed
 * JSON 400, and an activity of a type Bot Framework does not define 400. Every error body is our own
 * short message, never a library's text. In local mode `/api/messages` takes only activities the
 * local Direct Line forwarded (signed, with its own `serviceUrl`).
 */
export interface HttpServerParts {
  adapter: CloudAdapter;
  runTurn: (context: TurnContext) => Promise<void>;
  tokens: WebChatTokenIssuer;
  directLine: LocalDirectLine | null;
  log: Logger;
  publicDir: string;
  maxBodyBytes: number;
  /** Local mode, development only: also accept unsigned activities from a channel emulator on loopback. */
  allowLocalEmulator?: boolean;
  /** Host names this server answers to; `null` accepts any (production mode). */
  allowedHostNames: ReadonlySet<string> | null;
  /** Extra routes (for example the Teams tab API) registered by their owners. */
  extraRoutes?: (server: Server) => void;
}

const KNOWN_ACTIVITY_TYPES = new Set<string>(Object.values(ActivityTypes));

export interface RunningServer {
  server: Server;
  /** Requests being handled now; shutdown waits for them. */
  inFlight: () => number;
  /**
   * Shutting down: requests that arrive from now on (on connections kept alive) get 503 with
   * `Connection: close` and `Retry-After`, so the ones in flight can finish and the process can go.
   */
  refuseNewRequests: () => void;
}

export function createHttpServer(parts: HttpServerParts): RunningServer {
  const server = restify.createServer({ name: 'alliance-monitor-bot', handleUncaughtExceptions: false });
  let inFlight = 0;
  let refusing = false;

  server.pre((req: Request, res: Response, next: restify.Next) => {
    inFlight += 1;
    let counted = true;
    const done = (): void => {
      if (counted) inFlight -= 1;
      counted = false;
    };
    res.once('finish', done);
    res.once('close', done);
    setSecurityHeaders(res);
    if (refusing) {
      res.setHeader('connection', 'close');
      res.setHeader('retry-after', '5');
      res.send(503, { error: { code: 'ShuttingDown', message: 'The server is restarting. Please try again in a moment.' } });
      next(false);
      return;
    }
    // Before restify reads a single byte of the body (its gzip reader can end the process).
    const refusal = checkRequest(req, { maxBodyBytes: parts.maxBodyBytes, allowedHostNames: parts.allowedHostNames });
    if (refusal) {
      res.setHeader('connection', 'close');
      res.send(refusal.status, { error: { code: refusal.code, message: refusal.message } });
      next(false);
      return;
    }
    next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({
      mapParams: false,
      maxBodySize: parts.maxBodyBytes,
      rejectUnknown: false,
    }),
  );

  server.on('restifyError', (req: Request, res: Response, error: Error & { statusCode?: number }, callback: () => void) => {
    // Keep restify's status (400 for bad JSON, 413 for too large) but never echo internals.
    const status = error.statusCode ?? 500;
    if (status >= 500) parts.log.error('http_error', { status, path: req.getPath(), ...describeError(error) });
    res.send(status, {
      error: {
        code: error.name,
        message:
          status === 413 ? `The body is larger than ${parts.maxBodyBytes} bytes.` : status >= 500 ? 'Server error.' : publicMessage(status),
      },
    });
    callback();
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    const problem = activityProblem(req.body);
    if (problem) {
      res.send(400, { error: { code: 'BadActivity', message: problem } });
      return;
    }
    const directLine = parts.directLine;
    if (directLine) {
      const signature = req.headers[FORWARD_SIGNATURE_HEADER];
      const activity = req.body as { serviceUrl?: unknown };
      const own =
        directLine.isOwnForward((req as Request & { rawBody?: unknown }).rawBody, signature) &&
        activity.serviceUrl === directLine.serviceUrl();
      const emulator =
        parts.allowLocalEmulator === true && activity.serviceUrl !== directLine.serviceUrl() && isLoopbackUrl(activity.serviceUrl);
      if (!own && !emulator) {
        res.send(401, { error: { code: 'Unauthorized', message: "Only this server's own Direct Line may post activities here." } });
        return;
      }
    }
    const guarded = new GuardedAdapterResponse(res);
    try {
      await parts.adapter.process(req, guarded, parts.runTurn);
    } catch (error) {
      parts.log.error('adapter_failed', describeError(error));
      if (!res.headersSent) res.send(500, { error: { code: 'ServerError', message: 'Server error.' } });
    }
  });

  const issueToken = async (req: Request, res: Response, body: WebChatTokenRequest): Promise<void> => {
    res.setHeader('cache-control', 'no-store');
    try {
      res.send(200, await parts.tokens.issue(body, req.socket?.remoteAddress ?? ''));
    } catch (error) {
      if (error instanceof TokenRateLimitedError) {
        res.setHeader('retry-after', String(error.retryAfterSeconds));
        res.send(429, { error: { code: 'TooManyRequests', message: 'Too many chats were opened. Please wait a minute and try again.' } });
        return;
      }
      parts.log.error('directline_token_failed', describeError(error));
      res.send(502, { error: { code: 'TokenUnavailable', message: 'The chat cannot be opened right now. Please try again later.' } });
    }
  };
  server.post('/api/directline/token', async (req: Request, res: Response) =>
    issueToken(req, res, (typeof req.body === 'object' && req.body !== null ? req.body : {}) as WebChatTokenRequest),
  );
  // Azure's samples fetch the token with GET; accept it too (a new identity every time).
  server.get('/api/directline/token', async (req: Request, res: Response) => issueToken(req, res, {}));

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });

  parts.directLine?.register(server);
  parts.extraRoutes?.(server);

  const page = (file: string) => async (req: Request, res: Response) => {
    try {
      const template = await fs.readFile(path.join(parts.publicDir, file), 'utf8');
      // A fresh nonce per response: Web Chat puts it on the <style> elements it injects.
      const nonce = randomBytes(16).toString('base64');
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': pageContentSecurityPolicy(nonce, typeof req.headers.host === 'string' ? req.headers.host : null),
      });
      res.end(template.replaceAll('{{CSP_NONCE}}', nonce));
    } catch {
      res.send(404, { error: { code: 'NotFound', message: 'Not found.' } });
    }
  };
  server.get('/', page('index.html'));
  server.get('/privacy', page('privacy.html'));
  // The Teams manifest's termsOfUseUrl.
  server.get('/terms', page('terms.html'));
  server.get('/assets/*', restify.plugins.serveStaticFiles(path.join(parts.publicDir, 'assets')));
  server.get('/vendor/*', restify.plugins.serveStaticFiles(path.join(parts.publicDir, 'vendor')));

  return {
    server,
    inFlight: () => inFlight,
    refuseNewRequests: () => {
      refusing = true;
    },
  };
}

/**
 * What `CloudAdapter.process` answers, with our own body in place of its error text (which can
 * name hosts and libraries). A token that could not be checked because the signing keys were out
 * of reach gets 503, not 500: the sender may try again.
 */
class GuardedAdapterResponse {
  private statusCode = 200;
  private body: unknown = undefined;

  constructor(private readonly res: Response) {}

  get socket(): unknown {
    return this.res.socket;
  }

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  header(name: string, value: unknown): this {
    this.res.header(name, value);
    return this;
  }

  send(body: unknown): this {
    this.body = body;
    return this;
  }

  end(): void {
    if (this.res.headersSent) return;
    if (this.statusCode < 400) {
      if (this.body === undefined) {
        this.res.status(this.statusCode);
        this.res.end();
      } else this.res.send(this.statusCode, this.body);
      return;
    }
    const keysUnreachable = this.statusCode >= 500 && looksLikeNetworkFailure(this.body);
    const status = keysUnreachable ? 503 : this.statusCode;
    if (keysUnreachable) this.res.setHeader('retry-after', '30');
    this.res.send(status, { error: adapterError(status) });
  }
}

function adapterError(status: number): { code: string; message: string } {
  if (status === 401 || status === 403) return { code: 'Unauthorized', message: 'The request is not authorized.' };
  if (status === 503) return { code: 'AuthUnavailable', message: 'The sign-in check is not available right now. Please try again later.' };
  if (status < 500) return { code: 'BadRequest', message: publicMessage(status) };
  return { code: 'ServerError', message: 'Server error.' };
}

/** botbuilder reports a failed key download as a plain error whose text names the network problem. */
function looksLikeNetworkFailure(body: unknown): boolean {
  const text = typeof body === 'string' ? body : body instanceof Error ? body.message : '';
  return /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|fetch failed|request to .* failed|socket hang up|openid/i.test(text);
}

function isLoopbackUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(value).hostname);
  } catch {
    return false;
  }
}

function publicMessage(status: number): string {
  if (status === 400) return 'The request body is not valid JSON.';
  if (status === 404) return 'Not found.';
  if (status === 405) return 'Method not allowed.';
  if (status === 415) return 'Unsupported content type.';
  return 'The request was not accepted.';
}

/** Why a body is not an activity the bot can take, or `null` when it is. */
export function activityProblem(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON activity object.';
  const activity = body as Record<string, unknown>;
  if (typeof activity.type !== 'string') return 'The activity has no type.';
  if (!KNOWN_ACTIVITY_TYPES.has(activity.type)) return `Unknown activity type "${activity.type.slice(0, 40)}".`;
  const conversation = activity.conversation as Record<string, unknown> | undefined;
  if (typeof conversation !== 'object' || conversation === null || typeof conversation.id !== 'string' || conversation.id.trim() === '')
    return 'The activity has no conversation id.';
  if (typeof activity.channelId !== 'string' || activity.channelId.trim() === '') return 'The activity has no channelId.';
  if (typeof activity.serviceUrl !== 'string' || !/^https?:\/\/[^\s]+$/i.test(activity.serviceUrl))
    return 'The activity has no valid serviceUrl.';
  const from = activity.from as Record<string, unknown> | undefined;
  if (from !== undefined && (typeof from !== 'object' || from === null || (from.id !== undefined && typeof from.id !== 'string')))
    return 'The activity has no valid sender.';
  if (activity.type === ActivityTypes.Message && activity.text !== undefined && typeof activity.text !== 'string')
    return 'The message text must be a string.';
  return null;
}
