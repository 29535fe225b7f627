/**
 * @packageDocumentation
 * Who may act as a professional: people added by an administrator (they sign in with a personal
 * access link) and Teams users from allowed tenants (they are recognised by their Entra object id).
 *
 * @remarks The access-link secret is shown once and stored only as its sha256 hash, so a copy of
 * the data folder does not let anyone sign in. A secret has 256 random bits, so an unsalted hash is
 * enough: there is nothing to guess.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { collapseWhitespace } from '../plainText';
import { credentialGeneration, Professional, ProfessionalInputError, ProfessionalRevokedError } from './professional';
import type { ProfessionalRepository } from './professionalRepository';

/** 32 random bytes: 256 bits, 43 base64url characters. */
const SECRET_BYTES = 32;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_DISPLAY_NAME = 100;
/** Teams normally sends a name; without one the record still needs something to show. */
const FALLBACK_NAME = 'Teams user';

/** sha256 hex of a secret, the only form in which secrets are stored. */
export function hashAccessSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

function cleanDisplayName(value: string): string {
  const name = collapseWhitespace(value);
  if (name === '') throw new ProfessionalInputError('displayName', 'must not be empty');
  if (name.length > MAX_DISPLAY_NAME) throw new ProfessionalInputError('displayName', `must be at most ${MAX_DISPLAY_NAME} characters`);
  return name;
}

export class ProfessionalDirectory {
  /** First-contact creation per Teams user, so two quick turns do not create two professionals. */
  private readonly creating = new Map<string, Promise<Professional>>();

  constructor(
    private readonly repo: ProfessionalRepository,
    private readonly now: () => Date,
    private readonly newId: () => string,
    private readonly random: (bytes: number) => Buffer,
  ) {}

  /**
   * Adds a professional who signs in with a personal access link.
   *
   * @returns the record and the secret for the link; the secret is not stored and cannot be shown again.
   * @throws ProfessionalInputError when the name is empty or longer than 100 characters.
   */
  async addWithAccessLink(displayName: string): Promise<{ professional: Professional; secret: string }> {
    const name = cleanDisplayName(displayName);
    const secret = this.newSecret();
    const professional: Professional = {
      id: this.newId(),
      displayName: name,
      createdAt: this.now().toISOString(),
      revokedAt: null,
      accessSecretHash: hashAccessSecret(secret),
      teams: null,
    };
    await this.repo.create(professional);
    return { professional, secret };
  }

  /** One professional by id, revoked or not. */
  get(id: string): Promise<Professional | undefined> {
    return this.repo.get(id);
  }

  /** Every professional, for administration (reads every record: not for chat turns). */
  list(): Promise<Professional[]> {
    return this.repo.list();
  }

  /**
   * Revokes a professional: their access link stops working at once, a Teams user is no longer
   * recognised, and every open session (chat, tab) ends. Revoking twice keeps the first date.
   *
   * @throws ProfessionalNotFoundError
   */
  revoke(id: string): Promise<Professional> {
    const at = this.now().toISOString();
    return this.repo.update(id, (current) =>
      current.revokedAt
        ? current
        : { ...current, revokedAt: at, accessSecretHash: null, credentialGeneration: credentialGeneration(current) + 1 },
    );
  }

  /**
   * The professional a session belongs to, while that session is still valid: not revoked, and made
   * under the current credential generation (a rotated link ends the sessions made with the old one).
   */
  async activeSession(id: string, generation: number | null | undefined): Promise<Professional | null> {
    const professional = await this.repo.get(id);
    if (!professional || professional.revokedAt) return null;
    return credentialGeneration(professional) === (generation ?? 0) ? professional : null;
  }

  /**
   * Replaces the access link (for a lost or leaked link); the old one stops working at once, and so
   * does every session made with it (chat sign-ins on other devices, tab sessions).
   *
   * @throws ProfessionalNotFoundError, ProfessionalRevokedError
   */
  async rotateAccessLink(id: string): Promise<{ secret: string }> {
    const secret = this.newSecret();
    await this.repo.update(id, (current) => {
      if (current.revokedAt) throw new ProfessionalRevokedError(id);
      return { ...current, accessSecretHash: hashAccessSecret(secret), credentialGeneration: credentialGeneration(current) + 1 };
    });
    return { secret };
  }

  /** The professional whose access link carries `secret`; `null` for malformed, unknown or revoked. */
  async authenticateBySecret(secret: unknown): Promise<Professional | null> {
    if (typeof secret !== 'string' || !SECRET_PATTERN.test(secret)) return null;
    const hash = hashAccessSecret(secret);
    const found = await this.repo.findByAccessSecretHash(hash);
    if (!found || found.revokedAt || !found.accessSecretHash) return null;
    // The lookup already matched on the hash; comparing again in constant time keeps an adapter
    // with a looser lookup from turning into an oracle.
    return sameHash(found.accessSecretHash, hash) ? found : null;
  }

  /**
   * Recognises a Teams user as a professional, creating the record on first contact.
   *
   * @param allowedTenantIds tenants whose users may act as professionals; an empty list allows none.
   * @returns `null` when the tenant is not allowed, the user was revoked, or the stored tenant differs.
   */
  async authenticateTeamsUser(
    aadObjectId: string,
    tenantId: string,
    allowedTenantIds: string[],
    displayName: string,
  ): Promise<Professional | null> {
    if (aadObjectId.trim() === '' || tenantId.trim() === '') return null;
    const tenant = tenantId.toLowerCase();
    if (!allowedTenantIds.some((allowed) => allowed.toLowerCase() === tenant)) return null;

    const existing = await this.repo.findByAadObjectId(aadObjectId);
    if (existing) return this.checkTeamsProfessional(existing, tenant, displayName);

    const pending = this.creating.get(aadObjectId);
    if (pending) return this.checkTeamsProfessional(await pending, tenant, displayName);

    const creation = this.createTeamsProfessional(aadObjectId, tenant, displayName);
    this.creating.set(aadObjectId, creation);
    try {
      return await creation;
    } finally {
      this.creating.delete(aadObjectId);
    }
  }

  private async createTeamsProfessional(aadObjectId: string, tenantId: string, displayName: string): Promise<Professional> {
    const professional: Professional = {
      id: this.newId(),
      displayName: this.nameOrFallback(displayName),
      createdAt: this.now().toISOString(),
      revokedAt: null,
      accessSecretHash: null,
      teams: { aadObjectId, tenantId },
    };
    await this.repo.create(professional);
    return professional;
  }

  private async checkTeamsProfessional(professional: Professional, tenantId: string, displayName: string): Promise<Professional | null> {
    if (professional.revokedAt) return null;
    if (!professional.teams || professional.teams.tenantId.toLowerCase() !== tenantId) return null;
    const name = this.nameOrFallback(displayName);
    if (name === professional.displayName || name === FALLBACK_NAME) return professional;
    // Keep the shown name current when it changes in Teams.
    return this.repo.update(professional.id, (current) => ({ ...current, displayName: name }));
  }

  private nameOrFallback(displayName: string): string {
    const name = collapseWhitespace(displayName).slice(0, MAX_DISPLAY_NAME).trim();
    return name === '' ? FALLBACK_NAME : name;
  }

  private newSecret(): string {
    return this.random(SECRET_BYTES).toString('base64url');
  }
}
