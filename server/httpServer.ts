import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ActivityTypes, CloudAdapter, TurnContext } from 'botbuilder';
import restify, { Request, Response, Server } from 'restify';
import { describeError, Logger } from '../logging/logger';
import { LocalDirectLine } from './localDirectLine';
import { WebChatTokenIssuer } from './webChatTokens';

/**
 * The HTTP face of the bot: `/api/messages`, the web chat page and its token, health, and (local
 * mode) the Direct Line emulator. Built from parts handed in by `index.ts`.
 *
 * @remarks Bad input gets a clean 4xx before it reaches the bot: bodies over `maxBodyBytes` get 413,
 * malformed JSON 400, and an activity of a type Bot Framework does not define 400.
 */
export interface HttpServerParts {
  adapter: CloudAdapter;
  runTurn: (context: TurnContext) => Promise<void>;
  tokens: WebChatTokenIssuer;
  directLine: LocalDirectLine | null;
  log: Logger;
  publicDir: string;
  maxBodyBytes: number;
  /** Extra routes (for example the Teams tab API) registered by their owners. */
  extraRoutes?: (server: Server) => void;
}

const KNOWN_ACTIVITY_TYPES = new Set<string>(Object.values(ActivityTypes));

export interface RunningServer {
  server: Server;
  /** Requests being handled now; shutdown waits for them. */
  inFlight: () => number;
}

export function createHttpServer(parts: HttpServerParts): RunningServer {
  const server = restify.createServer({ name: 'alliance-monitor-bot', handleUncaughtExceptions: false });
  let inFlight = 0;

  server.pre((req: Request, res: Response, next: restify.Next) => {
    inFlight += 1;
    let counted = true;
    const done = (): void => {
      if (counted) inFlight -= 1;
      counted = false;
    };
    res.once('finish', done);
    res.once('close', done);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
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
    try {
      await parts.adapter.process(req, res, parts.runTurn);
    } catch (error) {
      parts.log.error('adapter_failed', describeError(error));
      if (!res.headersSent) res.send(500, { error: { code: 'ServerError', message: 'Server error.' } });
    }
  });

  server.post('/api/directline/token', async (req: Request, res: Response) => {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as { userToken?: unknown; conversationId?: unknown };
    try {
      res.send(200, await parts.tokens.issue(body));
    } catch (error) {
      parts.log.error('directline_token_failed', describeError(error));
      res.send(502, { error: { code: 'TokenUnavailable', message: 'The chat cannot be opened right now. Please try again later.' } });
    }
  });
  // Azure's samples fetch the token with GET; accept it too (a new identity every time).
  server.get('/api/directline/token', async (_req: Request, res: Response) => {
    try {
      res.send(200, await parts.tokens.issue({}));
    } catch (error) {
      parts.log.error('directline_token_failed', describeError(error));
      res.send(502, { error: { code: 'TokenUnavailable', message: 'The chat cannot be opened right now. Please try again later.' } });
    }
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });

  parts.directLine?.register(server);
  parts.extraRoutes?.(server);

  const page = (file: string, type: string) => async (_req: Request, res: Response) => {
    try {
      const content = await fs.readFile(path.join(parts.publicDir, file));
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
      res.end(content);
    } catch {
      res.send(404, { error: { code: 'NotFound', message: 'Not found.' } });
    }
  };
  server.get('/', page('index.html', 'text/html; charset=utf-8'));
  server.get('/privacy', page('privacy.html', 'text/html; charset=utf-8'));
  server.get('/assets/*', restify.plugins.serveStaticFiles(path.join(parts.publicDir, 'assets')));
  server.get('/vendor/*', restify.plugins.serveStaticFiles(path.join(parts.publicDir, 'vendor')));

  return { server, inFlight: () => inFlight };
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
  if (typeof conversation !== 'object' || conversation === null || typeof conversation.id !== 'string')
    return 'The activity has no conversation id.';
  if (typeof activity.serviceUrl !== 'string') return 'The activity has no serviceUrl.';
  if (activity.type === ActivityTypes.Message && activity.text !== undefined && typeof activity.text !== 'string')
    return 'The message text must be a string.';
  return null;
}
