/**
 * @packageDocumentation
 * Rounds: one client and one professional each answer the monitor once, before one appointment,
 * and the professional gets both views side by side.
 *
 * @remarks The client joins with an invitation (a short code to type or a link to open). Code and
 * link are shown once and stored only as sha256 hashes. An invitation admits exactly one channel
 * user; that user alone may answer as the client, and may come back without the code. Nothing here
 * knows a client's name: the professional picks a pseudonym (`clientLabel`).
 *
 * Answers are revealed to the professional only when both sides completed or the deadline passed
 * (`canReveal`), so neither side's answers can steer the other's.
 */
import type { AttemptLimiter } from './attemptLimiter';
import { InMemoryAttemptLimiter } from './inMemoryAttemptLimiter';
import { collapseWhitespace } from '../plainText';
import { Domain, Form, isDomain, isForm } from '../vocabulary';
import { generateInvitationCode, formatInvitationCode, normaliseInvitationCode, sha256Hex } from './invitationCode';
import { JobLease, Round, RoundInputError, RoundInvitation, RoundJob, RoundNotFoundError, RoundStateError } from './round';
import type { RoundPage, RoundPageRequest, RoundRepository } from './roundRepository';

export type JoinRejection = 'unknown' | 'expired' | 'used' | 'revoked' | 'cancelled' | 'rateLimited';

/**
 * - `joined`: this user is now the round's client;
 * - `alreadyJoined`: this user joined before (resume; no code needed next time);
 * - `rejected`: nothing changed; `reason` is safe to show to the person who tried.
 */
export type JoinResult =
  | { kind: 'joined'; round: Round }
  | { kind: 'alreadyJoined'; round: Round }
  | {
      kind: 'rejected';
      reason: Exclude<JoinRejection, 'rateLimited'>;
      /**
       * The round's field, only when the person is the round's own client (a cancelled or expired
       * round they joined), so the message names the professional as the round does. To anyone
       * else a field would tell something about a stranger (that a code belongs to probation, say).
       */
      ownRoundDomain?: Round['domain'];
    }
  | { kind: 'rejected'; reason: 'rateLimited'; retryAfterMinutes: number };

export interface CreateRoundInput {
  professionalId: string;
  clientLabel: string;
  domain: Domain | null;
  form: Form;
  appointmentDate: string;
}

/** `created`: a new round (its code and link shown once); `existing`: this card was submitted before, nothing new was made. */
export type CreateOnceResult = ({ kind: 'created' } & CreatedInvitation) | { kind: 'existing'; round: Round };

/** `created`: a fresh code and link; `existing`: this button made the current invitation already; `refused`: see `resendInvitation`. */
export type ResendOnceResult = ({ kind: 'created' } & CreatedInvitation) | { kind: 'existing'; round: Round } | { kind: 'refused' };

export interface CreatedInvitation {
  round: Round;
  /** Grouped for reading aloud, e.g. "K7QX-M4PD"; shown once, never stored. */
  code: string;
  /** For `${PUBLIC_URL}/?join=<linkToken>` or a deep link; shown once, never stored. */
  linkToken: string;
}

export interface RoundServiceDeps {
  rounds: RoundRepository;
  now: () => Date;
  newId: () => string;
  random: (bytes: number) => Buffer;
  invitationTtlDays: number;
  /** The deadline is 00:00 UTC this many days before the appointment; default 1. */
  deadlineDaysBefore?: number;
  /** Defaults to 5 failures per identity and 10 per round, each per 15 minutes. */
  limiter?: AttemptLimiter;
  /** Names this process in the leases it takes (see `claimJob`); default `this-instance`. */
  instanceId?: string;
  /** How long a claimed job is left to its holder; default 5 minutes. */
  jobLeaseMs?: number;
}

const LINK_TOKEN_BYTES = 16;
const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const MAX_LABEL = 40;
/** A date further ahead is most likely a typo (2205 for 2025). */
const MAX_DAYS_AHEAD = 366;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Rounds deleted per scheduler tick at most; the next tick goes on, so one tick stays short. */
const RETENTION_BATCH = 500;

/**
 * The one rule for a round's dates. The comparison is due at the **deadline**: 00:00 UTC
 * `deadlineDaysBefore` days before the appointment (default 1), or, for a round made after that,
 * the start of the appointment day, or else its end, so there is always time to answer. The
 * **invitation** works until that same deadline, and at most `invitationTtlDays` after it was made:
 * a client who joins after the comparison went out would answer for nothing.
 */
export function roundSchedule(
  now: Date,
  appointment: Date,
  rule: { deadlineDaysBefore: number; invitationTtlDays: number },
): { deadline: Date; invitationExpiresAt: Date } {
  const candidates = [addDays(appointment, -rule.deadlineDaysBefore), appointment, addDays(appointment, 1)];
  // The appointment is today or later, so the last candidate is always in the future.
  const deadline = candidates.find((candidate) => candidate > now) ?? addDays(appointment, 1);
  const byTtl = addDays(now, rule.invitationTtlDays);
  return { deadline, invitationExpiresAt: byTtl < deadline ? byTtl : deadline };
}

/** 00:00 UTC of a YYYY-MM-DD date, or `null` when it is not a real calendar date. */
function parseDay(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return day.toISOString().slice(0, 10) === value ? day : null;
}

function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

function appointmentStart(round: Round): Date {
  const day = parseDay(round.appointmentDate);
  if (!day) throw new Error(`round ${round.id} has an invalid appointment date`);
  return day;
}

function cleanLabel(value: unknown): string {
  if (typeof value !== 'string') throw new RoundInputError('clientLabel', 'must be text');
  const label = collapseWhitespace(value);
  if (label === '') throw new RoundInputError('clientLabel', 'must not be empty');
  if (label.length > MAX_LABEL) throw new RoundInputError('clientLabel', `must be at most ${MAX_LABEL} characters`);
  return label;
}

function sameLabel(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

function newestFirst(a: Round, b: Round): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

export class RoundService {
  private readonly rounds: RoundRepository;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly random: (bytes: number) => Buffer;
  private readonly invitationTtlDays: number;
  private readonly deadlineDaysBefore: number;
  private readonly limiter: AttemptLimiter;
  private readonly instanceId: string;
  private readonly jobLeaseMs: number;

  constructor(deps: RoundServiceDeps) {
    this.rounds = deps.rounds;
    this.now = deps.now;
    this.newId = deps.newId;
    this.random = deps.random;
    this.invitationTtlDays = deps.invitationTtlDays;
    this.deadlineDaysBefore = deps.deadlineDaysBefore ?? 1;
    this.limiter = deps.limiter ?? new InMemoryAttemptLimiter({ now: deps.now });
    this.instanceId = deps.instanceId ?? 'this-instance';
    this.jobLeaseMs = deps.jobLeaseMs ?? DEFAULT_JOB_LEASE_MS;
  }

  /**
   * Opens a round and its invitation.
   *
   * @remarks The deadline and the invitation's end follow {@link roundSchedule}.
   * @throws RoundInputError naming the field (label empty or over 40 characters, unknown domain or
   * form, a date that is not YYYY-MM-DD, in the past, or more than a year ahead).
   */
  async create(input: CreateRoundInput, options: { id?: string; actionId?: string } = {}): Promise<CreatedInvitation> {
    const now = this.now();
    if (typeof input.professionalId !== 'string' || input.professionalId.trim() === '') {
      throw new RoundInputError('professionalId', 'must not be empty');
    }
    const clientLabel = cleanLabel(input.clientLabel);
    if (input.domain !== null && !isDomain(input.domain)) throw new RoundInputError('domain', 'is not a known domain');
    if (!isForm(input.form)) throw new RoundInputError('form', 'must be "full" or "short"');
    const appointmentDate = typeof input.appointmentDate === 'string' ? input.appointmentDate.trim() : '';
    const appointment = parseDay(appointmentDate);
    if (!appointment) throw new RoundInputError('appointmentDate', 'must be a date as YYYY-MM-DD');
    const today = startOfUtcDay(now);
    if (appointment < today) throw new RoundInputError('appointmentDate', 'must not be in the past');
    if (appointment > addDays(today, MAX_DAYS_AHEAD)) throw new RoundInputError('appointmentDate', `must be within ${MAX_DAYS_AHEAD} days`);

    const previous = await this.previousRound(input.professionalId, clientLabel, appointmentDate);
    const schedule = this.scheduleFor(now, appointment);
    const fresh = this.newInvitation(now, schedule.invitationExpiresAt, options.actionId ?? null);
    const round: Round = {
      id: options.id ?? this.newId(),
      professionalId: input.professionalId,
      clientLabel,
      domain: input.domain,
      form: input.form,
      appointmentDate,
      deadline: schedule.deadline.toISOString(),
      status: 'open',
      createdAt: now.toISOString(),
      invitation: fresh.invitation,
      clientUserId: null,
      clientResponseSetId: null,
      professionalResponseSetId: null,
      previousRoundId: previous?.id ?? null,
      summarySentAt: null,
      reminderSentAt: null,
      professionalReminderSentAt: null,
      createdByActionId: options.actionId ?? null,
    };
    await this.rounds.create(round);
    return { round, code: fresh.code, linkToken: fresh.linkToken };
  }

  /**
   * Like {@link create}, for a form card that carries a one-time `actionId`: the first submit makes
   * the round, every later submit of the same card (a double click, Teams not disabling the card)
   * makes nothing and answers `existing` with the round made the first time.
   *
   * @remarks The round's id is derived from the professional and the action id, so two submits that
   * arrive at the same moment cannot both create: the store refuses the second id.
   */
  async createOnce(input: CreateRoundInput, actionId: string): Promise<CreateOnceResult> {
    const id = `r-${sha256Hex(`${input.professionalId}\u0000${actionId}`).slice(0, 32)}`;
    const before = await this.rounds.get(id);
    if (before) return { kind: 'existing', round: before };
    try {
      return { kind: 'created', ...(await this.create(input, { id, actionId })) };
    } catch (error) {
      const raced = await this.rounds.get(id);
      if (raced) return { kind: 'existing', round: raced };
      throw error;
    }
  }

  /**
   * Joins the round whose invitation code was typed (case, spaces and dashes do not matter).
   *
   * @remarks Every rejection counts as a failed attempt of this identity (and, for a real code that
   * was refused, of its round): after 5 in 15 minutes every attempt of that identity is answered
   * `rateLimited` with the real waiting time, even with a correct code. Nobody else is affected.
   */
  async joinWithCode(code: unknown, clientUserId: string): Promise<JoinResult> {
    const limited = await this.rateLimited('identity', clientUserId);
    if (limited) return limited;
    const normalised = normaliseInvitationCode(code);
    if (normalised === null) return this.fail(clientUserId, 'unknown');
    const hash = sha256Hex(normalised);
    const found = await this.rounds.findByCodeHash(hash);
    return this.join(found, (round) => round.invitation.codeHash === hash, clientUserId);
  }

  /**
   * Joins the round whose invitation link was opened.
   *
   * @remarks A link token has 128 random bits and cannot be guessed; the same per-identity limit applies.
   */
  async joinWithLink(linkToken: unknown, clientUserId: string): Promise<JoinResult> {
    const limited = await this.rateLimited('identity', clientUserId);
    if (limited) return limited;
    if (typeof linkToken !== 'string' || !LINK_TOKEN_PATTERN.test(linkToken)) return this.fail(clientUserId, 'unknown');
    const hash = sha256Hex(linkToken);
    const found = await this.rounds.findByLinkTokenHash(hash);
    return this.join(found, (round) => round.invitation.linkTokenHash === hash, clientUserId);
  }

  /** The open round this channel user joined (the latest if several), or `null`. */
  async roundForClient(clientUserId: string): Promise<Round | null> {
    const rounds = await this.rounds.findByClientUser(clientUserId);
    const open = rounds.filter((round) => round.clientUserId === clientUserId && round.status === 'open').sort(newestFirst);
    return open[0] ?? null;
  }

  /** One page of this professional's rounds, newest appointment first; never anyone else's. */
  async roundsPageForProfessional(professionalId: string, page: RoundPageRequest): Promise<RoundPage> {
    const found = await this.rounds.pageByProfessional(professionalId, page);
    return { ...found, rounds: found.rounds.filter((round) => round.professionalId === professionalId) };
  }

  /** The round if it belongs to this professional; `null` otherwise, so ids of others reveal nothing. */
  async getForProfessional(roundId: string, professionalId: string): Promise<Round | null> {
    const round = await this.rounds.get(roundId);
    return round && round.professionalId === professionalId ? round : null;
  }

  /**
   * Links one side's response set to the round. Attaching the same id again changes nothing.
   *
   * @throws RoundNotFoundError; RoundStateError when the round is not open, no client joined yet
   * (client side), or another set is attached already.
   */
  attachResponseSet(roundId: string, side: 'client' | 'professional', responseSetId: string): Promise<Round> {
    return this.rounds.update(roundId, (current) => {
      const attached = side === 'client' ? current.clientResponseSetId : current.professionalResponseSetId;
      if (attached === responseSetId) return current;
      if (attached !== null) throw new RoundStateError(roundId, 'alreadyAttached');
      if (current.status !== 'open') throw new RoundStateError(roundId, 'notOpen');
      if (side === 'client') {
        if (current.clientUserId === null) throw new RoundStateError(roundId, 'noClient');
        return { ...current, clientResponseSetId: responseSetId };
      }
      return { ...current, professionalResponseSetId: responseSetId };
    });
  }

  /**
   * A new code and link for a round nobody joined yet; the old ones stop working at once.
   * `null` when the round is not this professional's, not open, already joined, or its deadline
   * has passed (the comparison is made then, see {@link roundSchedule}).
   */
  async resendInvitation(roundId: string, professionalId: string): Promise<CreatedInvitation | null> {
    const result = await this.resendInvitationOnce(roundId, professionalId, null);
    return result.kind === 'created' ? result : null;
  }

  /**
   * {@link resendInvitation} for a button with a one-time `actionId`: when the round's current
   * invitation was made by this very action, nothing changes (`existing`), so a second click does
   * not silently replace the code the professional just handed out.
   */
  async resendInvitationOnce(roundId: string, professionalId: string, actionId: string | null): Promise<ResendOnceResult> {
    const round = await this.getForProfessional(roundId, professionalId);
    if (!round) return { kind: 'refused' };
    if (actionId !== null && round.invitation.actionId === actionId) return { kind: 'existing', round };
    const now = this.now();
    const fresh = this.newInvitation(now, this.invitationEnd(now, round), actionId);
    if (Date.parse(fresh.invitation.expiresAt) <= now.getTime()) return { kind: 'refused' };
    const outcome: { result: ResendOnceResult } = { result: { kind: 'refused' } };
    await this.updateIfPresent(roundId, (current) => {
      // `update` may run this more than once; only the last run's outcome counts.
      outcome.result = { kind: 'refused' };
      if (actionId !== null && current.invitation.actionId === actionId) {
        outcome.result = { kind: 'existing', round: current };
        return current;
      }
      if (current.professionalId !== professionalId || current.status !== 'open' || current.clientUserId !== null) return current;
      const next = { ...current, invitation: fresh.invitation };
      outcome.result = { kind: 'created', round: next, code: fresh.code, linkToken: fresh.linkToken };
      return next;
    });
    return outcome.result;
  }

  /**
   * Withdraws the invitation of a round nobody joined yet (sent to the wrong person, say): it then
   * answers `revoked`. `resendInvitation` makes a new one. `null` when not this professional's.
   */
  async revokeInvitation(roundId: string, professionalId: string): Promise<Round | null> {
    if (!(await this.getForProfessional(roundId, professionalId))) return null;
    const at = this.now().toISOString();
    return this.updateIfPresent(roundId, (current) =>
      current.clientUserId !== null || current.invitation.revokedAt !== null
        ? current
        : { ...current, invitation: { ...current.invitation, revokedAt: at } },
    );
  }

  /** Cancels an open round and its invitation; other states stay as they are. `null` when not theirs. */
  async cancel(roundId: string, professionalId: string): Promise<Round | null> {
    if (!(await this.getForProfessional(roundId, professionalId))) return null;
    const at = this.now().toISOString();
    return this.updateIfPresent(roundId, (current) =>
      current.status !== 'open'
        ? current
        : { ...current, status: 'cancelled', invitation: { ...current.invitation, revokedAt: current.invitation.revokedAt ?? at } },
    );
  }

  /**
   * Removes the round record. The caller deletes the returned response sets (this service does not
   * own them). A later round of the same client then points at this round's predecessor, so trends
   * skip the gap instead of breaking.
   *
   * @param reason `retention`: the round is past the retention period, and so is anything before it;
   * its later rounds are left pointing at nothing (a trend then starts there) instead of reading all
   * of the professional's rounds for each of the hundreds a clean-up tick may delete.
   */
  async delete(
    roundId: string,
    professionalId: string,
    reason: 'byProfessional' | 'retention' = 'byProfessional',
  ): Promise<{ deleted: boolean; responseSetIds: string[] }> {
    const round = await this.getForProfessional(roundId, professionalId);
    if (!round) return { deleted: false, responseSetIds: [] };
    await this.rounds.delete(roundId);
    for (const later of reason === 'retention' ? [] : await this.rounds.listByProfessional(professionalId)) {
      if (later.previousRoundId !== roundId) continue;
      await this.updateIfPresent(later.id, (current) =>
        current.previousRoundId === roundId ? { ...current, previousRoundId: round.previousRoundId } : current,
      );
    }
    const responseSetIds = [round.clientResponseSetId, round.professionalResponseSetId].filter((id): id is string => id !== null);
    return { deleted: true, responseSetIds };
  }

  /**
   * Rounds whose appointment lies more than `retentionDays` in the past: the bot is not the system
   * of record, so their data goes. `retentionDays` 0 keeps everything. Rounds another instance is
   * deleting now (a live `retention` lease) are left out.
   */
  async pastRetention(now: Date, retentionDays: number): Promise<Round[]> {
    if (retentionDays <= 0) return [];
    const cutoff = now.getTime() - retentionDays * 86_400_000;
    // Appointment days that ended before the cutoff all lie before the cutoff's own day.
    const before = new Date(cutoff).toISOString().slice(0, 10);
    const candidates = await this.rounds.listAppointmentBefore(before, RETENTION_BATCH);
    return candidates.filter(
      (round) => Date.parse(`${round.appointmentDate}T23:59:59Z`) < cutoff && !hasLiveLease(round, 'retention', now),
    );
  }

  /**
   * Marks an open round complete: call it when both response sets are completed. A round in
   * another state stays as it is.
   *
   * @throws RoundNotFoundError; RoundStateError `incomplete` when a side has no response set.
   */
  markComplete(roundId: string): Promise<Round> {
    return this.rounds.update(roundId, (current) => {
      if (current.status !== 'open') return current;
      if (current.clientResponseSetId === null || current.professionalResponseSetId === null)
        throw new RoundStateError(roundId, 'incomplete');
      return { ...current, status: 'complete' };
    });
  }

  /**
   * Claims one job of a round for this instance, as a lease: `null` when the job is done already
   * (its message was sent), another instance holds a lease that has not expired, or the round is gone.
   *
   * @remarks Decided inside the repository's atomic `update` (a write conditional on the row's version
   * on PostgreSQL, a per-record lock in the file store), so of instances claiming at the same moment
   * exactly one wins. A lease is not the job done: the sent field is set by {@link confirmSent} only
   * after the channel acknowledged the message, so an instance that dies after claiming leaves a lease
   * that expires, and another instance then does the job.
   */
  async claimJob(roundId: string, job: RoundJob, at: Date): Promise<JobClaim | null> {
    const lease: JobLease = {
      holder: this.instanceId,
      token: this.newId(),
      claimedAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + this.jobLeaseMs).toISOString(),
    };
    const outcome = { granted: false };
    await this.updateIfPresent(roundId, (current) => {
      outcome.granted = false; // `update` may run this more than once; only the last run counts.
      if (jobDone(current, job) || hasLiveLease(current, job, at)) return current;
      outcome.granted = true;
      return { ...current, jobLeases: { ...current.jobLeases, [job]: lease } };
    });
    return outcome.granted ? { roundId, job, token: lease.token, expiresAt: new Date(lease.expiresAt) } : null;
  }

  /**
   * Records that the claimed message was delivered (the channel answered 2xx) at `sentAt`, and ends
   * the lease. Call it right after the acknowledgement: a crash between the two is the one moment in
   * which a message can go out twice (another instance sends it again after the lease).
   *
   * @remarks Recorded even when the lease expired meanwhile: the message did go out, and saying so
   * keeps a later claim from sending it again.
   */
  async confirmSent(claim: JobClaim, sentAt: Date): Promise<void> {
    if (claim.job === 'retention') throw new Error('retention is confirmed by deleting the round');
    const field = SENT_FIELDS[claim.job];
    await this.updateIfPresent(claim.roundId, (current) => ({
      ...withoutLease(current, claim.job),
      [field]: current[field] ?? sentAt.toISOString(),
    }));
  }

  /** Gives back a claim whose job could not be done now (the send failed), so a later tick tries again; only this very claim. */
  async releaseJob(claim: JobClaim): Promise<void> {
    await this.updateIfPresent(claim.roundId, (current) =>
      current.jobLeases?.[claim.job]?.token === claim.token ? withoutLease(current, claim.job) : current,
    );
  }

  /**
   * Whether the answers of either side may be shown to the professional: when the round is
   * complete (both finished) or its deadline has passed; never for a cancelled round.
   */
  canReveal(round: Round, now: Date): boolean {
    if (round.status === 'cancelled') return false;
    return round.status === 'complete' || now.getTime() >= Date.parse(round.deadline);
  }

  /**
   * Rounds whose client should get their one reminder now: open, joined (so there is a conversation
   * to write to) at least an hour ago, not reminded yet, not finished (`isClientDone`), from 00:00 UTC
   * `reminderDaysBefore` days before the appointment (at the latest one day before the deadline) until
   * the deadline. A reminder another instance is sending (a live lease) is left out. Claim each with
   * `claimJob(id, 'reminder', now)` before sending.
   */
  async dueForReminder(now: Date, reminderDaysBefore: number, isClientDone: (round: Round) => Promise<boolean>): Promise<Round[]> {
    const due: Round[] = [];
    // A reminder starts at most max(reminderDaysBefore, 1) days before the deadline, or before an
    // appointment the deadline may follow by a day (see roundSchedule): nothing later can be due.
    const horizon = new Date(now.getTime() + (Math.max(reminderDaysBefore, 1) + 1) * DAY_MS + 1);
    for (const round of await this.rounds.listAwaitingSummary(horizon)) {
      if (round.status !== 'open' || round.clientUserId === null || !jobOpen(round, 'reminder', now)) continue;
      const deadline = Date.parse(round.deadline);
      const remindFrom = Math.min(addDays(appointmentStart(round), -reminderDaysBefore).getTime(), deadline - DAY_MS);
      const joinedAt = round.invitation.usedAt === null ? now.getTime() : Date.parse(round.invitation.usedAt);
      // Someone who joined a minute ago is probably still answering.
      if (now.getTime() < remindFrom || now.getTime() >= deadline || now.getTime() - joinedAt < REMINDER_QUIET_MS) continue;
      if (await isClientDone(round)) continue;
      due.push(round);
    }
    return due;
  }

  /**
   * Rounds whose professional should get their one reminder now: open, their own side not done
   * (`isProfessionalDone`), not reminded yet, in the last day before the deadline. Claim each with
   * `claimJob(id, 'professionalReminder', now)` before sending.
   */
  async dueForProfessionalReminder(now: Date, isProfessionalDone: (round: Round) => Promise<boolean>): Promise<Round[]> {
    const due: Round[] = [];
    for (const round of await this.rounds.listAwaitingSummary(new Date(now.getTime() + DAY_MS + 1))) {
      if (round.status !== 'open' || !jobOpen(round, 'professionalReminder', now)) continue;
      const deadline = Date.parse(round.deadline);
      const created = Date.parse(round.createdAt);
      // A round made within the last day before its deadline was made knowing it: no reminder.
      if (now.getTime() < deadline - DAY_MS || now.getTime() >= deadline || created >= deadline - DAY_MS) continue;
      if (await isProfessionalDone(round)) continue;
      due.push(round);
    }
    return due;
  }

  /**
   * Open rounds past their deadline whose summary was not sent, and nobody is sending now; claim each
   * with `claimJob(id, 'summary', now)`.
   */
  async dueForDeadlineSummary(now: Date): Promise<Round[]> {
    // A complete round whose summary could not be delivered (no conversation yet, a channel error)
    // is due again too, so a failed send is retried instead of lost.
    const awaiting = await this.rounds.listAwaitingSummary(new Date(now.getTime() + 1));
    return awaiting.filter(
      (round) =>
        jobOpen(round, 'summary', now) &&
        ((round.status === 'open' && now.getTime() >= Date.parse(round.deadline)) || round.status === 'complete'),
    );
  }

  private async join(found: Round | undefined, matches: (round: Round) => boolean, clientUserId: string): Promise<JoinResult> {
    if (!found) return this.fail(clientUserId, 'unknown');
    // A round whose real code keeps being refused (someone probing a used or withdrawn code) stops
    // answering newcomers for a while; its own client always gets back in.
    if (found.clientUserId !== clientUserId) {
      const limited = await this.rateLimited('round', found.id);
      if (limited) return limited;
    }
    const now = this.now();
    const outcome: { result: JoinResult } = { result: { kind: 'rejected', reason: 'unknown' } };
    // Decide inside the atomic update, so two people using one code at once cannot both get in.
    await this.updateIfPresent(found.id, (current) => {
      const decision = decideJoin(current, matches, clientUserId, now);
      if (decision !== 'join') {
        outcome.result =
          decision === 'alreadyJoined'
            ? { kind: 'alreadyJoined', round: current }
            : {
                kind: 'rejected',
                reason: decision,
                ...(current.clientUserId === clientUserId ? { ownRoundDomain: current.domain } : {}),
              };
        return current;
      }
      const joined: Round = { ...current, clientUserId, invitation: { ...current.invitation, usedAt: now.toISOString() } };
      outcome.result = { kind: 'joined', round: joined };
      return joined;
    });
    const result = outcome.result;
    if (result.kind === 'rejected') {
      await this.limiter.recordFailure('identity', clientUserId);
      await this.limiter.recordFailure('round', found.id);
    }
    return result;
  }

  private async fail(clientUserId: string, reason: Exclude<JoinRejection, 'rateLimited'>): Promise<JoinResult> {
    await this.limiter.recordFailure('identity', clientUserId);
    return { kind: 'rejected', reason };
  }

  private async rateLimited(scope: 'identity' | 'round', key: string): Promise<JoinResult | null> {
    const waitMs = await this.limiter.blockedFor(scope, key);
    return waitMs > 0 ? { kind: 'rejected', reason: 'rateLimited', retryAfterMinutes: Math.ceil(waitMs / 60_000) } : null;
  }

  /** `update` that answers `null` for a round deleted in the meantime. */
  private async updateIfPresent(roundId: string, change: (current: Round) => Round): Promise<Round | null> {
    try {
      return await this.rounds.update(roundId, change);
    } catch (error) {
      if (error instanceof RoundNotFoundError) return null;
      throw error;
    }
  }

  private async previousRound(professionalId: string, clientLabel: string, appointmentDate: string): Promise<Round | undefined> {
    const earlier = (await this.rounds.listByProfessional(professionalId)).filter(
      (round) =>
        round.professionalId === professionalId &&
        round.status !== 'cancelled' &&
        sameLabel(round.clientLabel, clientLabel) &&
        round.appointmentDate <= appointmentDate,
    );
    earlier.sort((a, b) => b.appointmentDate.localeCompare(a.appointmentDate) || newestFirst(a, b));
    return earlier[0];
  }

  private scheduleFor(now: Date, appointment: Date): { deadline: Date; invitationExpiresAt: Date } {
    return roundSchedule(now, appointment, { deadlineDaysBefore: this.deadlineDaysBefore, invitationTtlDays: this.invitationTtlDays });
  }

  /** A new invitation for an existing round ends by the same rule, at the round's own deadline. */
  private invitationEnd(now: Date, round: Round): Date {
    const byTtl = addDays(now, this.invitationTtlDays);
    const deadline = new Date(round.deadline);
    return byTtl < deadline ? byTtl : deadline;
  }

  private newInvitation(
    now: Date,
    expiresAt: Date,
    actionId: string | null,
  ): { invitation: RoundInvitation; code: string; linkToken: string } {
    const code = generateInvitationCode(this.random);
    const linkToken = this.random(LINK_TOKEN_BYTES).toString('base64url');
    return {
      code: formatInvitationCode(code),
      linkToken,
      invitation: {
        codeHash: sha256Hex(code),
        linkTokenHash: sha256Hex(linkToken),
        expiresAt: expiresAt.toISOString(),
        usedAt: null,
        revokedAt: null,
        codeHint: code.slice(-CODE_HINT_CHARS),
        actionId,
      },
    };
  }
}

const REMINDER_QUIET_MS = 60 * 60 * 1000;
/** Two of eight characters: enough to tell two invitations apart, far too few to guess a code. */
const CODE_HINT_CHARS = 2;

/** A lease long enough for any send (they take milliseconds to seconds), short enough that a dead instance's jobs wait minutes, not hours. */
const DEFAULT_JOB_LEASE_MS = 5 * 60 * 1000;

type SendJob = Exclude<RoundJob, 'retention'>;
/** Where a delivered message is recorded; set only after the channel's acknowledgement. */
const SENT_FIELDS = {
  summary: 'summarySentAt',
  reminder: 'reminderSentAt',
  professionalReminder: 'professionalReminderSentAt',
} as const satisfies Record<SendJob, keyof Round>;

/** A granted claim on a round job (see `RoundService.claimJob`). */
export interface JobClaim {
  roundId: string;
  job: RoundJob;
  token: string;
  /** Finish (confirm or release) before this: afterwards another instance may take the job. */
  expiresAt: Date;
}

/** Whether a send job's message went out; rounds stored before a field existed lack it: absent is not sent. */
function jobDone(round: Round, job: RoundJob): boolean {
  return job !== 'retention' && (round[SENT_FIELDS[job]] ?? null) !== null;
}

/** Whether the job is still to do and free to claim at `now`. */
function jobOpen(round: Round, job: RoundJob, now: Date): boolean {
  return !jobDone(round, job) && !hasLiveLease(round, job, now);
}

/** Whether another claim on this job is still running at `now`; an expired lease counts as none. */
export function hasLiveLease(round: Round, job: RoundJob, now: Date): boolean {
  const lease = round.jobLeases?.[job];
  return lease !== undefined && Date.parse(lease.expiresAt) > now.getTime();
}

function withoutLease(round: Round, job: RoundJob): Round {
  if (!round.jobLeases?.[job]) return round;
  const rest = { ...round.jobLeases };
  delete rest[job];
  return { ...round, jobLeases: rest };
}

type JoinDecision = 'join' | 'alreadyJoined' | Exclude<JoinRejection, 'rateLimited'>;

function decideJoin(round: Round, matches: (round: Round) => boolean, clientUserId: string, now: Date): JoinDecision {
  // The invitation was replaced between lookup and update.
  if (!matches(round)) return 'unknown';
  if (round.status === 'cancelled') return 'cancelled';
  if (round.clientUserId === clientUserId) return round.status === 'expired' ? 'expired' : 'alreadyJoined';
  if (round.clientUserId !== null) return 'used';
  if (round.invitation.revokedAt !== null) return 'revoked';
  if (round.status !== 'open' || now.getTime() >= Date.parse(round.invitation.expiresAt)) return 'expired';
  return 'join';
}
