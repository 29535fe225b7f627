import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { professionalActor } from '../services/access/accessLog';
import type { AccessRecorder } from '../services/access/accessRecorder';
import type { ItemBank } from '../services/questionnaire/itemBank';
import type { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import { credentialGeneration, type Professional } from '../services/professionals/professional';
import type { OverviewLinkIssuer } from '../services/professionals/overviewLinks';
import type { QuestionnaireService } from '../services/questionnaire/questionnaireService';
import { compareRound, professionalSummary } from '../services/summary/roundReport';
import { loadRoundAnswers, type RoundAnswers } from '../services/rounds/roundAnswers';
import type { RoundService } from '../services/rounds/roundService';
import type { Round, RoundStatus } from '../services/rounds/round';
import { parsePageCursor } from '../services/rounds/roundRepository';
import { DIMENSIONS, Dimension, isLocale, Locale } from '../services/vocabulary';
import type { SingleUseLinks } from '../services/professionals/singleUseLinks';
import { describeError, Logger } from '../logging/logger';
import type { SsoTokenValidator } from './ssoTokenValidator';
import { roundExportFile } from './tabExport';
import type { TokenSigner } from './tokenSigner';
import { queryParam, routeParam } from './requestParts';

/**
 * The professional's tab: the page (`/tab`, usable inside Teams and in a browser) and its JSON API
 * under `/api/tab/*`: rounds with their status, per client the dimension means over the rounds, and
 * a round's summary.
 *
 * @remarks Nothing about a round's answers leaves the server before `RoundService.canReveal`, so the
 * tab cannot show more than the summary card in chat would. Every data route needs a session token
 * from `POST /api/tab/session`; the professional is looked up again on each request, so revoking
 * someone closes their open tabs at once. A round of another professional answers 404, exactly
 * like an unknown id.
 */
export interface TabApiDeps {
  rounds: RoundService;
  professionals: ProfessionalDirectory;
  questionnaire: QuestionnaireService;
  itemBank: ItemBank;
  signer: TokenSigner;
  /** `null` when Teams SSO is not configured (local mode): then only links sign in. */
  ssoValidator: SsoTokenValidator | null;
  allowedTenantIds: string[];
  publicDir: string;
  now: () => Date;
  log: Logger;
  /** Notes every tab view and download in the access log. */
  access: AccessRecorder;
  /** Chat links to the tab already exchanged: each works once. */
  usedLinks: SingleUseLinks;
}

export const TAB_SESSION_SECONDS = 60 * 60;
export const TAB_LINK_SECONDS = 15 * 60;

/*
 * Sessions and chat links are both signed with purpose 'tab'; the marker keeps one from being used
 * as the other (a link token must not work as a bearer session, and a session must not renew itself).
 */
const SESSION_MARKER = 'tab-session';
const LINK_MARKER = 'tab-link';

/**
 * A short-lived link token (15 minutes) the bot can hand out in chat as `${PUBLIC_URL}/tab?link=<token>`;
 * the tab exchanges it for a session, once: each token carries its own nonce, and a used nonce is
 * refused. `generation` is the professional's credential generation now.
 */
export function createTabLinkToken(signer: TokenSigner, professionalId: string, generation = 0): string {
  const nonce = randomBytes(12).toString('base64url');
  return signer.sign({ purpose: 'tab', userId: professionalId, conversationId: `${LINK_MARKER}:${nonce}`, generation }, TAB_LINK_SECONDS);
}

/** The static tab's `entityId` in `appPackage/manifest.json`. */
export const STATIC_TAB_ENTITY_ID = 'alliancemonitor';

/**
 * "Overzicht" links for chat messages: in Teams (with `TEAMS_APP_ID`) the deep link to the static
 * tab, where Teams signs the professional in; elsewhere a fresh single-use link to `/tab`, bound to
 * the professional's current credential generation (a rotated or revoked link ends it).
 */
export function overviewLinks(
  signer: TokenSigner,
  publicUrl: string,
  teamsAppId: string | null,
  professionals: Pick<ProfessionalDirectory, 'get'>,
): OverviewLinkIssuer {
  return async (professionalId, channelId) => {
    if (channelId === 'msteams' && teamsAppId)
      return `https://teams.microsoft.com/l/entity/${encodeURIComponent(teamsAppId)}/${STATIC_TAB_ENTITY_ID}`;
    const professional = await professionals.get(professionalId);
    if (!professional || professional.revokedAt) return null;
    return `${publicUrl}/tab?link=${encodeURIComponent(createTabLinkToken(signer, professionalId, credentialGeneration(professional)))}`;
  };
}

export type WaitingSide = 'client' | 'professional';

/** One round as the tab shows it: status only, never invitation hashes or the client's user id. */
export interface TabRoundView {
  id: string;
  clientLabel: string;
  appointmentDate: string;
  deadline: string;
  status: RoundStatus;
  clientJoined: boolean;
  clientCompleted: boolean;
  professionalCompleted: boolean;
  summarySentAt: string | null;
  revealable: boolean;
  /** Who has not finished yet, while the round is not revealable. */
  waitingFor: WaitingSide[];
  /** Present when a stored answer file of this round cannot be read (the log names it). */
  unreadable?: true;
}

export interface DimensionPoint {
  /** Unrounded oriented mean (higher is better, friction included); `null` when missing or not revealable yet. */
  client: number | null;
  professional: number | null;
}

export interface TabSeriesPoint {
  roundId: string;
  appointmentDate: string;
  revealable: boolean;
  values: Record<Dimension, DimensionPoint>;
  /** Present when this round's answers cannot be read; its values are then empty. */
  unreadable?: true;
}

export interface TabClientSeries {
  /** The label as the grouping sees it (case does not matter): series of two pages with the same key are one client. */
  key: string;
  clientLabel: string;
  /** Oldest first. */
  points: TabSeriesPoint[];
}

export interface TabClientsResponse {
  dimensions: { key: Dimension; label: string }[];
  clients: TabClientSeries[];
  /** `?cursor=` for the next page of rounds; `null` when these were the last. */
  next: string | null;
}

export interface TabRoundsResponse {
  rounds: TabRoundView[];
  next: string | null;
}

/** Rounds per page of the tab's list, and rounds per page behind the client charts. */
export const TAB_ROUNDS_PAGE = 20;
export const TAB_CLIENT_ROUNDS_PAGE = 50;
const PAGE_CURSOR = /^[A-Za-z0-9_.:|-]{1,300}$/;

type SessionCredential = { kind: 'accessLink'; secret: string } | { kind: 'teams'; token: string } | { kind: 'tabLink'; token: string };

const MAX_CREDENTIAL_CHARS = 16 * 1024;

/** Content-Security-Policy of the tab page: own scripts only, framed only by Teams and Microsoft 365. */
const TAB_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // teams-js reads its list of valid Teams origins from this CDN.
  "connect-src 'self' https://res.cdn.office.net",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.teams.microsoft.us https://*.skype.com https://*.office.com https://*.office365.com https://*.microsoft365.com https://*.cloud.microsoft",
].join('; ');

const UNAUTHORIZED = {
  code: 'Unauthorized',
  message:
    'We could not sign you in. Open the tab again from Teams or with your personal link. / We konden je niet aanmelden. Open het tabblad opnieuw vanuit Teams of met je persoonlijke link.',
};
const NOT_FOUND = { code: 'NotFound', message: 'This round was not found. / Deze ronde is niet gevonden.' };
const BAD_CURSOR = {
  code: 'BadCursor',
  message:
    'This list cannot go on from there; load it again from the top. / Deze lijst kan daar niet verder; laad hem opnieuw vanaf het begin.',
};

export function registerTabRoutes(server: Server, deps: TabApiDeps): void {
  const api = new TabApi(deps);

  // restify 11 takes a two-argument handler only if it is an `async` function.
  server.get('/tab', async (_req: Request, res: Response) => api.servePage(res));
  server.get('/vendor/teams-js.js', async (_req: Request, res: Response) => api.serveTeamsJs(res));
  server.post('/api/tab/session', async (req: Request, res: Response) => api.startSession(req, res));
  server.get(
    '/api/tab/rounds',
    api.authenticated((professional, req, res) => api.listRounds(professional, req, res)),
  );
  server.get(
    '/api/tab/clients',
    api.authenticated((professional, req, res) => api.clientSeries(professional, req, res)),
  );
  server.get(
    '/api/tab/rounds/:id/summary',
    api.authenticated((professional, req, res) => api.summary(professional, req, res)),
  );
  server.get(
    '/api/tab/rounds/:id/export',
    api.authenticated((professional, req, res) => api.exportRound(professional, req, res)),
  );
}

type AuthenticatedHandler = (professional: Professional, req: Request, res: Response) => Promise<void>;

class TabApi {
  private readonly teamsJsPath: string | null;
  constructor(private readonly deps: TabApiDeps) {
    this.teamsJsPath = resolveTeamsJs();
    if (!this.teamsJsPath)
      deps.log.warn('tab_teams_js_missing', { advice: 'Run npm install: @microsoft/teams-js is needed for the tab inside Teams.' });
  }

  async servePage(res: Response): Promise<void> {
    await this.sendFile(res, path.join(this.deps.publicDir, 'tab.html'), {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': TAB_PAGE_CSP,
    });
  }

  async serveTeamsJs(res: Response): Promise<void> {
    if (!this.teamsJsPath) {
      res.send(404, { error: { code: 'NotFound', message: 'Not found.' } });
      return;
    }
    await this.sendFile(res, this.teamsJsPath, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    });
  }

  async startSession(req: Request, res: Response): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    const credential = readCredential(req.body);
    if (!credential) {
      res.send(401, { error: UNAUTHORIZED });
      return;
    }
    try {
      const professional = await this.authenticate(credential);
      if (!professional) {
        this.deps.log.info('tab_session_refused', { method: credential.kind });
        res.send(401, { error: UNAUTHORIZED });
        return;
      }
      const token = this.deps.signer.sign(
        { purpose: 'tab', userId: professional.id, conversationId: SESSION_MARKER, generation: credentialGeneration(professional) },
        TAB_SESSION_SECONDS,
      );
      this.deps.log.info('tab_session_started', { method: credential.kind });
      res.send(200, { token, expiresInSeconds: TAB_SESSION_SECONDS, displayName: professional.displayName });
    } catch (error) {
      this.deps.log.error('tab_session_failed', { method: credential.kind, ...describeError(error) });
      res.send(500, { error: { code: 'ServerError', message: 'Server error.' } });
    }
  }

  /** Wraps a data route: no-store, a valid session of a professional who is not revoked, errors as 500. */
  authenticated(handler: AuthenticatedHandler): (req: Request, res: Response) => Promise<void> {
    return async (req, res) => {
      res.setHeader('cache-control', 'no-store');
      try {
        const professional = await this.sessionProfessional(req);
        if (!professional) {
          res.send(401, { error: UNAUTHORIZED });
          return;
        }
        await handler(professional, req, res);
      } catch (error) {
        this.deps.log.error('tab_request_failed', { path: req.getPath(), ...describeError(error) });
        if (!res.headersSent) res.send(500, { error: { code: 'ServerError', message: 'Server error.' } });
      }
    };
  }

  /** One page of the professional's rounds, newest appointment first (`?cursor=` from the previous page's `next`). */
  async listRounds(professional: Professional, req: Request, res: Response): Promise<void> {
    const cursor = readCursor(req, res);
    if (cursor === undefined) return;
    const now = this.deps.now();
    const page = await this.deps.rounds.roundsPageForProfessional(professional.id, { limit: TAB_ROUNDS_PAGE, cursor });
    const views: TabRoundView[] = [];
    for (const round of page.rounds) {
      // One unreadable round fails its own line, not the whole list.
      const answers = await this.loadAnswersOrReport(round);
      views.push(answers ? this.roundView(round, answers, now) : { ...this.roundView(round, emptyAnswers(round), now), unreadable: true });
    }
    await this.deps.access.view(professionalActor(professional.id), 'tab-rounds', null);
    res.send(200, { rounds: views, next: page.next } satisfies TabRoundsResponse);
  }

  /**
   * The client charts, from one page of rounds (newest appointment first), grouped by client label.
   *
   * @remarks Pages are pages of rounds, not of clients: finding a professional's clients would mean
   * reading all their rounds. So a page gives the clients with the most recent appointments, each
   * with the rounds of theirs on that page; the next page (`next`) brings older rounds, of clients
   * already shown (the page merges series with the same `key`) or of others. Until then a client's
   * chart shows only its newer rounds.
   */
  async clientSeries(professional: Professional, req: Request, res: Response): Promise<void> {
    const cursor = readCursor(req, res);
    if (cursor === undefined) return;
    const locale = readLocale(req);
    const now = this.deps.now();
    const page = await this.deps.rounds.roundsPageForProfessional(professional.id, { limit: TAB_CLIENT_ROUNDS_PAGE, cursor });
    const rounds = page.rounds.filter((round) => round.status !== 'cancelled');
    rounds.sort((a, b) => a.appointmentDate.localeCompare(b.appointmentDate) || a.createdAt.localeCompare(b.createdAt));

    const byClient = new Map<string, TabClientSeries>();
    for (const round of rounds) {
      // Same rule as `RoundService` uses for "the same client": case does not matter.
      const key = round.clientLabel.toLocaleLowerCase('nl');
      const series = byClient.get(key) ?? { key, clientLabel: round.clientLabel, points: [] };
      series.clientLabel = round.clientLabel;
      series.points.push(await this.seriesPoint(round, now));
      byClient.set(key, series);
    }
    const clients = [...byClient.values()].sort(
      (a, b) => lastDate(b).localeCompare(lastDate(a)) || a.clientLabel.localeCompare(b.clientLabel),
    );
    const body: TabClientsResponse = {
      dimensions: DIMENSIONS.map((key) => ({ key, label: this.deps.itemBank.dimensionLabel(key, locale) })),
      clients,
      next: page.next,
    };
    await this.deps.access.view(professionalActor(professional.id), 'tab-clients', null);
    res.send(200, body);
  }

  async summary(professional: Professional, req: Request, res: Response): Promise<void> {
    const found = await this.revealableRound(professional, req, res);
    if (!found) return;
    const previous = await this.revealablePrevious(found.answers.round, professional.id, found.now);
    await this.deps.access.view(professionalActor(professional.id), 'tab-summary', found.answers.round.id);
    res.send(200, professionalSummary(this.deps.itemBank, found.answers, previous, readLocale(req)));
  }

  /** One round as a file: `?format=fhir` (default) or `csv`; same reveal rule as the summary. */
  async exportRound(professional: Professional, req: Request, res: Response): Promise<void> {
    const format = queryParam(req, 'format') || 'fhir';
    if (format !== 'fhir' && format !== 'csv') {
      res.send(400, { error: { code: 'BadFormat', message: 'Choose fhir or csv. / Kies fhir of csv.' } });
      return;
    }
    const found = await this.revealableRound(professional, req, res);
    if (!found) return;
    const round = found.answers.round;
    const file = await roundExportFile(
      this.deps.itemBank,
      found.answers,
      format,
      async (id) => (await this.deps.rounds.getForProfessional(id, professional.id)) ?? undefined,
      this.deps.now,
    );
    await this.deps.access.view(professionalActor(professional.id), 'tab-export', round.id, { detail: format });
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'cache-control': 'no-store',
    });
    res.end(file.body);
  }

  /**
   * The professional's own round from the route with both sides, when it may be shown; otherwise
   * answers 404 (not theirs, or unknown) or 409 (not revealable yet) and resolves to `null`.
   */
  private async revealableRound(
    professional: Professional,
    req: Request,
    res: Response,
  ): Promise<{ answers: RoundAnswers; now: Date } | null> {
    const roundId = routeParam(req, 'id');
    const round = roundId ? await this.deps.rounds.getForProfessional(roundId, professional.id) : null;
    if (!round) {
      res.send(404, { error: NOT_FOUND });
      return null;
    }
    const now = this.deps.now();
    const answers = await this.loadAnswers(round);
    if (!this.deps.rounds.canReveal(round, now)) {
      this.sendNotRevealable(res, round, answers, now);
      return null;
    }
    return { answers, now };
  }

  private sendNotRevealable(res: Response, round: Round, answers: RoundAnswers, now: Date): void {
    const view = this.roundView(round, answers, now);
    res.send(409, {
      error: {
        code: 'NotRevealable',
        reason: round.status === 'cancelled' ? 'cancelled' : 'waiting',
        waitingFor: view.waitingFor,
        deadline: round.deadline,
        message:
          round.status === 'cancelled'
            ? 'This round was cancelled. / Deze ronde is geannuleerd.'
            : 'Not available yet: waiting for both sides to finish, or for the deadline. / Nog niet beschikbaar: we wachten tot beide kanten klaar zijn, of tot de deadline.',
      },
    });
  }

  private async revealablePrevious(round: Round, professionalId: string, now: Date): Promise<RoundAnswers | null> {
    if (!round.previousRoundId) return null;
    const previous = await this.deps.rounds.getForProfessional(round.previousRoundId, professionalId);
    if (!previous || !this.deps.rounds.canReveal(previous, now)) return null;
    return this.loadAnswers(previous);
  }

  private async seriesPoint(round: Round, now: Date): Promise<TabSeriesPoint> {
    const revealable = this.deps.rounds.canReveal(round, now);
    const values = emptyValues();
    if (revealable) {
      const answers = await this.loadAnswersOrReport(round);
      if (!answers) return { roundId: round.id, appointmentDate: round.appointmentDate, revealable, values, unreadable: true };
      const comparison = compareRound(this.deps.itemBank, answers, null);
      for (const dimension of comparison.dimensions) {
        values[dimension.dimension] = { client: dimension.client.mean, professional: dimension.professional.mean };
      }
    }
    return { roundId: round.id, appointmentDate: round.appointmentDate, revealable, values };
  }

  private roundView(round: Round, answers: RoundAnswers, now: Date): TabRoundView {
    const revealable = this.deps.rounds.canReveal(round, now);
    const clientCompleted = answers.client?.status === 'completed';
    const professionalCompleted = answers.professional?.status === 'completed';
    const waitingFor: WaitingSide[] = [];
    if (!revealable && round.status !== 'cancelled') {
      if (!clientCompleted) waitingFor.push('client');
      if (!professionalCompleted) waitingFor.push('professional');
    }
    return {
      id: round.id,
      clientLabel: round.clientLabel,
      appointmentDate: round.appointmentDate,
      deadline: round.deadline,
      status: round.status,
      clientJoined: round.clientUserId !== null,
      clientCompleted,
      professionalCompleted,
      summarySentAt: round.summarySentAt,
      revealable,
      waitingFor,
    };
  }

  private loadAnswers(round: Round): Promise<RoundAnswers> {
    return loadRoundAnswers(round, (id) => this.deps.questionnaire.get(id));
  }

  /** The round's answers, or `null` (logged) when they cannot be read. */
  private async loadAnswersOrReport(round: Round): Promise<RoundAnswers | null> {
    try {
      return await this.loadAnswers(round);
    } catch (error) {
      this.deps.log.error('tab_round_unreadable', { roundId: round.id, ...describeError(error) });
      return null;
    }
  }

  private async authenticate(credential: SessionCredential): Promise<Professional | null> {
    if (credential.kind === 'accessLink') return this.deps.professionals.authenticateBySecret(credential.secret);
    if (credential.kind === 'tabLink') {
      const claims = this.deps.signer.verify(credential.token, 'tab');
      const nonce = claims?.conversationId;
      if (!claims || !nonce?.startsWith(`${LINK_MARKER}:`)) return null;
      if (!(await this.deps.usedLinks.useOnce(nonce, new Date(claims.exp * 1000)))) return null;
      return this.deps.professionals.activeSession(claims.userId, claims.generation);
    }
    if (!this.deps.ssoValidator) return null;
    const identity = await this.deps.ssoValidator.validate(credential.token);
    if (!identity) return null;
    return this.deps.professionals.authenticateTeamsUser(identity.oid, identity.tid, this.deps.allowedTenantIds, identity.name);
  }

  private async sessionProfessional(req: Request): Promise<Professional | null> {
    const header = req.header('authorization', '');
    const match = /^Bearer ([A-Za-z0-9_.-]{1,2048})$/.exec(typeof header === 'string' ? header.trim() : '');
    if (!match) return null;
    const claims = this.deps.signer.verify(match[1], 'tab');
    if (!claims || claims.conversationId !== SESSION_MARKER) return null;
    return this.deps.professionals.activeSession(claims.userId, claims.generation);
  }

  private async sendFile(res: Response, file: string, headers: Record<string, string>): Promise<void> {
    try {
      const content = await fs.readFile(file);
      res.writeHead(200, headers);
      res.end(content);
    } catch {
      res.send(404, { error: { code: 'NotFound', message: 'Not found.' } });
    }
  }
}

function readCredential(body: unknown): SessionCredential | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const fields = body as Record<string, unknown>;
  const pick = (name: string): string | null => {
    const value = fields[name];
    return typeof value === 'string' && value !== '' && value.length <= MAX_CREDENTIAL_CHARS ? value : null;
  };
  const secret = pick('accessSecret');
  if (secret) return { kind: 'accessLink', secret };
  const teams = pick('teamsSsoToken');
  if (teams) return { kind: 'teams', token: teams };
  const link = pick('tabLink');
  if (link) return { kind: 'tabLink', token: link };
  return null;
}

/**
 * `?cursor=`: `null` for the first page; `undefined` (after answering 400) for one the tab cannot
 * have had from us. A well-formed cursor of a round that is gone still works: the page goes on after
 * where that round was.
 */
function readCursor(req: Request, res: Response): string | null | undefined {
  const cursor = queryParam(req, 'cursor');
  if (!cursor) return null;
  if (PAGE_CURSOR.test(cursor) && parsePageCursor(cursor)) return cursor;
  res.send(400, { error: BAD_CURSOR });
  return undefined;
}

function readLocale(req: Request): Locale {
  const value = queryParam(req, 'locale');
  return isLocale(value) ? value : 'nl';
}

function emptyAnswers(round: Round): RoundAnswers {
  return { round, client: null, professional: null };
}

function emptyValues(): Record<Dimension, DimensionPoint> {
  const empty = (): DimensionPoint => ({ client: null, professional: null });
  return { direction: empty(), trust: empty(), bond: empty(), friction: empty() };
}

function lastDate(series: TabClientSeries): string {
  return series.points[series.points.length - 1]?.appointmentDate ?? '';
}

/** The UMD bundle of teams-js, the one the page loads as a classic script. */
function resolveTeamsJs(): string | null {
  try {
    return require.resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js');
  } catch {
    return null;
  }
}
