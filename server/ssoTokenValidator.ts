import { createPublicKey, JsonWebKey, KeyObject, verify } from 'node:crypto';

/**
 * Checks the Teams single sign-on token a tab gets from `authentication.getAuthToken()`: an Azure AD
 * (Entra ID) v2 access token issued for this app, so the tab knows which Teams user opened it.
 *
 * @remarks Verified offline with node:crypto (no extra dependency): RS256 signature against the
 * published signing keys, audience, issuer of the user's own tenant, lifetime with 5 minutes of
 * clock skew, and the delegated `access_as_user` scope. Whether the tenant is *allowed* is not
 * decided here but by `ProfessionalDirectory.authenticateTeamsUser`.
 */
export interface SsoIdentity {
  /** Entra object id of the user. */
  oid: string;
  /** Tenant id of the user. */
  tid: string;
  /** Display name; may be empty. */
  name: string;
}

export interface SsoTokenValidator {
  /** The identity in a valid token; `null` for anything else (never throws for a bad token). */
  validate(token: string): Promise<SsoIdentity | null>;
}

/** One RSA signing key as published in a JWKS document. */
export interface SigningJwk {
  kid: string;
  kty: string;
  n?: string;
  e?: string;
}

export interface JwksProvider {
  /** The key with this id, or `null` when it is not (or no longer) published. */
  getKey(kid: string): Promise<SigningJwk | null>;
}

export interface AzureAdSsoOptions {
  /** The bot's Microsoft App ID (client id of the Entra app registration). */
  appId: string;
  /** The host name in the Application ID URI `api://<domain>/<appId>`, e.g. `bot.example.org`. */
  domain: string;
  jwks: JwksProvider;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** Allowed clock difference in seconds; default 300. */
  clockSkewSeconds?: number;
  /** The delegated scope Teams asks for; default `access_as_user`. */
  requiredScope?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Real tokens are 1–3 KB; anything far larger is not worth parsing. */
const MAX_TOKEN_LENGTH = 16 * 1024;

type Claims = Record<string, unknown>;

function decodeSegment(segment: string): Claims | null {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Claims) : null;
  } catch {
    return null;
  }
}

function text(claims: Claims, name: string): string | null {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

export class AzureAdSsoTokenValidator implements SsoTokenValidator {
  private readonly audiences: Set<string>;
  private readonly now: () => number;
  private readonly skewSeconds: number;
  private readonly requiredScope: string;

  constructor(private readonly options: AzureAdSsoOptions) {
    this.audiences = new Set([`api://${options.domain}/${options.appId}`, options.appId]);
    this.now = options.now ?? (() => Date.now());
    this.skewSeconds = options.clockSkewSeconds ?? 300;
    this.requiredScope = options.requiredScope ?? 'access_as_user';
  }

  async validate(token: string): Promise<SsoIdentity | null> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [headerPart, payloadPart, signaturePart] = parts;
    const header = decodeSegment(headerPart);
    const claims = decodeSegment(payloadPart);
    // Only RS256: accepting the token's own choice of algorithm is the classic JWT forgery.
    if (!header || !claims || header.alg !== 'RS256') return null;
    const kid = text(header, 'kid');
    if (!kid || !/^[A-Za-z0-9_-]{1,1024}$/.test(signaturePart)) return null;

    const key = await this.publicKey(kid);
    if (!key) return null;
    const signed = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
    if (!verify('RSA-SHA256', signed, key, Buffer.from(signaturePart, 'base64url'))) return null;

    return this.identityIn(claims);
  }

  /** The identity when every claim fits; `null` otherwise. Runs only on a verified token. */
  private identityIn(claims: Claims): SsoIdentity | null {
    const aud = text(claims, 'aud');
    if (!aud || !this.audiences.has(aud)) return null;

    const nowSeconds = this.now() / 1000;
    const exp = claims.exp;
    if (typeof exp !== 'number' || exp + this.skewSeconds <= nowSeconds) return null;
    const nbf = claims.nbf;
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf - this.skewSeconds > nowSeconds)) return null;

    const tid = text(claims, 'tid');
    const oid = text(claims, 'oid');
    if (!tid || !oid || !GUID.test(tid) || !GUID.test(oid)) return null;
    // The common keys sign tokens of every tenant: the issuer must name the tenant in the token.
    const iss = text(claims, 'iss');
    if (iss !== `https://login.microsoftonline.com/${tid}/v2.0` && iss !== `https://sts.windows.net/${tid}/`) return null;

    // A delegated user token carries `scp`; an app-only token (no user) does not.
    const scopes = (text(claims, 'scp') ?? '').split(' ');
    if (!scopes.includes(this.requiredScope)) return null;

    return { oid: oid.toLowerCase(), tid: tid.toLowerCase(), name: text(claims, 'name') ?? '' };
  }

  private async publicKey(kid: string): Promise<KeyObject | null> {
    let jwk: SigningJwk | null;
    try {
      jwk = await this.options.jwks.getKey(kid);
    } catch {
      return null;
    }
    if (!jwk || jwk.kty !== 'RSA' || !jwk.n || !jwk.e) return null;
    try {
      const key: JsonWebKey = { kty: 'RSA', n: jwk.n, e: jwk.e };
      return createPublicKey({ key, format: 'jwk' });
    } catch {
      return null;
    }
  }
}

export interface HttpJwksProviderOptions {
  /** Default: the keys that sign tokens of every Entra tenant. */
  url?: string;
  /** How long a fetched key set is used; default 24 hours. */
  cacheSeconds?: number;
  /** An unknown key id triggers a refetch (keys roll over), but at most this often; default 5 minutes. */
  minRefetchSeconds?: number;
  fetchJson?: (url: string) => Promise<unknown>;
  now?: () => number;
}

export const AZURE_AD_COMMON_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';

/**
 * Microsoft's published signing keys, fetched over HTTPS and cached.
 *
 * @remarks After a failed fetch the last good key set stays in use, so a short outage at Microsoft
 * does not sign everyone out; the refetch limit keeps made-up key ids from turning us into a
 * request amplifier.
 */
export class HttpJwksProvider implements JwksProvider {
  private keys = new Map<string, SigningJwk>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | null = null;
  private readonly url: string;
  private readonly cacheMs: number;
  private readonly minRefetchMs: number;
  private readonly fetchJson: (url: string) => Promise<unknown>;
  private readonly now: () => number;

  constructor(options: HttpJwksProviderOptions = {}) {
    this.url = options.url ?? AZURE_AD_COMMON_JWKS_URL;
    this.cacheMs = (options.cacheSeconds ?? 24 * 60 * 60) * 1000;
    this.minRefetchMs = (options.minRefetchSeconds ?? 5 * 60) * 1000;
    this.fetchJson = options.fetchJson ?? defaultFetchJson;
    this.now = options.now ?? (() => Date.now());
  }

  async getKey(kid: string): Promise<SigningJwk | null> {
    const stale = this.now() - this.fetchedAt >= this.cacheMs;
    const unknown = !this.keys.has(kid);
    if ((stale || unknown) && this.now() - this.attemptedAt >= this.minRefetchMs) await this.refresh();
    return this.keys.get(kid) ?? null;
  }

  private refresh(): Promise<void> {
    // One fetch at a time, however many tabs open at once.
    this.pending ??= this.load().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async load(): Promise<void> {
    this.attemptedAt = this.now();
    try {
      const fresh = parseJwks(await this.fetchJson(this.url));
      if (fresh.size > 0) {
        this.keys = fresh;
        this.fetchedAt = this.now();
      }
    } catch {
      // Keep the last good keys; the next attempt waits for minRefetchSeconds.
    }
  }
}

function parseJwks(document: unknown): Map<string, SigningJwk> {
  const keys = new Map<string, SigningJwk>();
  if (typeof document !== 'object' || document === null) return keys;
  const list = (document as { keys?: unknown }).keys;
  if (!Array.isArray(list)) return keys;
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { kid, kty, n, e } = entry as Record<string, unknown>;
    if (typeof kid === 'string' && kty === 'RSA' && typeof n === 'string' && typeof e === 'string') keys.set(kid, { kid, kty, n, e });
  }
  return keys;
}

async function defaultFetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`JWKS fetch failed with ${response.status}`);
  return response.json();
}
