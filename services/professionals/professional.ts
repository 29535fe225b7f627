/** Someone who may create rounds and read their summaries. */
export interface Professional {
  id: string;
  displayName: string;
  createdAt: string;
  revokedAt: string | null;
  /** sha256 hex of the access-link secret; the secret itself is never stored. */
  accessSecretHash: string | null;
  teams: { aadObjectId: string; tenantId: string } | null;
  /**
   * Goes up by one whenever the access link is replaced or access is revoked. Every session (chat
   * profile, tab session) remembers the generation it was made under and ends when it differs.
   * Records from before this field count as generation 0.
   */
  credentialGeneration?: number;
}

/** The professional's current credential generation (0 for records from before generations). */
export function credentialGeneration(professional: Professional): number {
  return professional.credentialGeneration ?? 0;
}

export class ProfessionalNotFoundError extends Error {
  readonly code = 'PROFESSIONAL_NOT_FOUND';
  constructor(readonly professionalId: string) {
    super(`No professional ${professionalId}`);
    this.name = 'ProfessionalNotFoundError';
  }
}

export class ProfessionalInputError extends Error {
  readonly code = 'PROFESSIONAL_INPUT_INVALID';
  constructor(
    readonly field: 'displayName',
    problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = 'ProfessionalInputError';
  }
}

/** A revoked professional stays revoked: rotating their link would quietly let them back in. */
export class ProfessionalRevokedError extends Error {
  readonly code = 'PROFESSIONAL_REVOKED';
  constructor(readonly professionalId: string) {
    super(`Professional ${professionalId} is revoked`);
    this.name = 'ProfessionalRevokedError';
  }
}
