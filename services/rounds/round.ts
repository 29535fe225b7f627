import type { Domain, Form } from '../vocabulary';

export type RoundStatus = 'open' | 'complete' | 'expired' | 'cancelled';

export interface RoundInvitation {
  /** sha256 hex of the normalised code (8 characters, no separator). */
  codeHash: string;
  /** sha256 hex of the link token. */
  linkTokenHash: string;
  expiresAt: string;
  /** When a client joined with it; from then on it admits nobody else. */
  usedAt: string | null;
  revokedAt: string | null;
  /** The last two characters of the code, so the professional can tell invitations apart (never enough to guess it). */
  codeHint?: string;
  /** The one-time id of the card button that made this invitation; the same click again makes no new one. */
  actionId?: string | null;
}

export interface Round {
  id: string;
  professionalId: string;
  /** A pseudonym the professional chose, e.g. "K-12"; at most 40 characters; never needs a real name. */
  clientLabel: string;
  domain: Domain | null;
  form: Form;
  /** YYYY-MM-DD. */
  appointmentDate: string;
  /** ISO time after which answers may be revealed even if one side did not finish. */
  deadline: string;
  status: RoundStatus;
  createdAt: string;
  invitation: RoundInvitation;
  /** The channel user who joined with the invitation; they alone may answer as the client. */
  clientUserId: string | null;
  clientResponseSetId: string | null;
  professionalResponseSetId: string | null;
  /** The last earlier round of the same professional with the same client label, for trends. */
  previousRoundId: string | null;
  summarySentAt: string | null;
  reminderSentAt: string | null;
  /** When the professional was reminded of their own side (once, the day before the deadline). */
  professionalReminderSentAt?: string | null;
  /**
   * Jobs an instance is doing right now (a summary or reminder being sent, the round being deleted):
   * the others leave a job alone until its lease expires. The `…SentAt` fields are set only once
   * the channel acknowledged the message; absent (rounds stored before leases) means no job runs.
   */
  jobLeases?: Partial<Record<RoundJob, JobLease>>;
  /** The one-time id of the form card that created this round; absent for rounds made before it existed. */
  createdByActionId?: string | null;
  /** Rounds are deleted, never soft-deleted: the bot is not the system of record. */
  deletedAt?: never;
}

/** The jobs around a round that must run once across every instance of the bot. */
export type RoundJob = 'summary' | 'reminder' | 'professionalReminder' | 'retention';

/** One instance's claim on a round job; see {@link Round.jobLeases}. */
export interface JobLease {
  /** The instance that took it (for the log and for people reading the database). */
  holder: string;
  /** Unique per claim: only this very claim can confirm or give back the job. */
  token: string;
  claimedAt: string;
  /** After this an unconfirmed job is free again: its holder is presumed dead or stuck. */
  expiresAt: string;
}

export type RoundInputField = 'professionalId' | 'clientLabel' | 'domain' | 'form' | 'appointmentDate';

export class RoundInputError extends Error {
  readonly code = 'ROUND_INPUT_INVALID';
  constructor(
    readonly field: RoundInputField,
    problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = 'RoundInputError';
  }
}

export class RoundNotFoundError extends Error {
  readonly code = 'ROUND_NOT_FOUND';
  constructor(readonly roundId: string) {
    super(`No round ${roundId}`);
    this.name = 'RoundNotFoundError';
  }
}

/** A change that does not fit the round's state; `reason` says which rule. */
export class RoundStateError extends Error {
  readonly code = 'ROUND_STATE_CONFLICT';
  constructor(
    readonly roundId: string,
    readonly reason: 'notOpen' | 'noClient' | 'alreadyAttached' | 'incomplete',
  ) {
    super(`Round ${roundId}: ${reason}`);
    this.name = 'RoundStateError';
  }
}
