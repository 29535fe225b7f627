import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { JwksProvider, SigningJwk } from '../../server/ssoTokenValidator';

/** A locally generated RSA key pair standing in for Entra ID's signing key. */
export interface TestSigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: SigningJwk;
}

export function newSigningKey(kid: string): TestSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const exported = publicKey.export({ format: 'jwk' });
  if (typeof exported.n !== 'string' || typeof exported.e !== 'string') throw new Error('RSA key without n/e');
  return { kid, privateKey, jwk: { kid, kty: 'RSA', n: exported.n, e: exported.e } };
}

/** Serves the given keys, as the JWKS document at login.microsoftonline.com would. */
export class LocalJwksProvider implements JwksProvider {
  constructor(private readonly keys: SigningJwk[]) {}

  async getKey(kid: string): Promise<SigningJwk | null> {
    return this.keys.find((key) => key.kid === kid) ?? null;
  }
}

const segment = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS signed with RS256; `header` overrides parts of the default header. */
export function signJwt(key: TestSigningKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const head = segment({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header });
  const body = segment(claims);
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.privateKey).toString('base64url');
  return `${head}.${body}.${signature}`;
}

export interface SsoClaimsInput {
  appId: string;
  domain: string;
  tenantId: string;
  objectId: string;
  name?: string;
  nowSeconds?: number;
}

/** The claims of a Teams SSO access token (v2) for the app's `access_as_user` scope. */
export function ssoClaims(input: SsoClaimsInput): Record<string, unknown> {
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  return {
    aud: `api://${input.domain}/${input.appId}`,
    iss: `https://login.microsoftonline.com/${input.tenantId}/v2.0`,
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
    name: input.name ?? 'Test Professional',
    oid: input.objectId,
    tid: input.tenantId,
    scp: 'access_as_user',
    ver: '2.0',
  };
}
