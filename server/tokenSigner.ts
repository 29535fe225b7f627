import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Signs small claims (which conversation, which user, until when) so that a browser can hold them
 * without being able to forge them.
 *
 * @remarks The key lives in the data folder, so tokens stay valid across restarts: a client who
 * closes the browser for days comes back as the same (pseudonymous) user.
 */
export interface TokenClaims {
  /** What the token is for: a Direct Line conversation, a device's user identity, a tab session. */
  purpose: 'directline' | 'user' | 'tab';
  userId: string;
  conversationId?: string;
  /** Tab sessions and links: the professional's credential generation when it was made. */
  generation?: number;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export class TokenSigner {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Loads the signing key from `<dataDir>/secrets/signing.key`, creating it on first start. */
  static async fromDataDir(dataDir: string, now?: () => number): Promise<TokenSigner> {
    const dir = path.join(dataDir, 'secrets');
    const file = path.join(dir, 'signing.key');
    try {
      const existing = await fs.readFile(file);
      if (existing.length >= 32) return new TokenSigner(existing, now);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.chmod(dir, 0o700);
    const key = randomBytes(32);
    await fs.writeFile(file, key, { mode: 0o600, flag: 'wx' }).then(
      () => fs.chmod(file, 0o600),
      async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
    return new TokenSigner(await fs.readFile(file), now);
  }

  sign(claims: Omit<TokenClaims, 'exp'>, lifetimeSeconds: number): string {
    const body: TokenClaims = { ...claims, exp: Math.floor(this.now() / 1000) + lifetimeSeconds };
    const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The claims, or `null` when the token is malformed, forged, expired or for another purpose. */
  verify(token: unknown, purpose: TokenClaims['purpose']): TokenClaims | null {
    if (typeof token !== 'string' || token.length > 2048) return null;
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (!isClaims(claims) || claims.purpose !== purpose) return null;
    if (claims.exp * 1000 <= this.now()) return null;
    return claims;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

function isClaims(value: unknown): value is TokenClaims {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.purpose === 'directline' || v.purpose === 'user' || v.purpose === 'tab') &&
    typeof v.userId === 'string' &&
    typeof v.exp === 'number' &&
    (v.conversationId === undefined || typeof v.conversationId === 'string') &&
    (v.generation === undefined || (typeof v.generation === 'number' && Number.isInteger(v.generation)))
  );
}

/** A new pseudonymous web user id; Azure Direct Line requires the `dl_` prefix for user ids in tokens. */
export function newWebUserId(): string {
  return `dl_${randomBytes(16).toString('hex')}`;
}
