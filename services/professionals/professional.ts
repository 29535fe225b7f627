/** Someone who may create rounds and read their summaries. */
export interface Professional {
  id: string;
  displayName: string;
  createdAt: string;
  revokedAt: string | null;
  /** sha256 hex of the access-link secret; the secret itself is never stored. */
  accessSecretHash: string | null;
  teams: { aadObjectId: string; tenantId: string } | null;
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
