import { createHash, randomBytes } from 'node:crypto';
import { InMemoryAttemptLimiter } from '../services/rounds/inMemoryAttemptLimiter';
import { CreateRoundInput, RoundService, roundSchedule } from '../services/rounds/roundService';
import { formatInvitationCode, INVITATION_CODE_ALPHABET, normaliseInvitationCode } from '../services/rounds/invitationCode';
import { Round, RoundInputError, RoundStateError } from '../services/rounds/round';
import { DAY, FakeClock, HOUR, MINUTE, sequentialIds } from './fakes/clock';
import { InMemoryRoundRepository } from './fakes/inMemoryRoundRepository';
import { defined } from './helpers/defined';

const START = '2025-03-10T09:00:00.000Z';
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function setup(options: { ttlDays?: number; deadlineDaysBefore?: number } = {}) {
  const clock = new FakeClock(START);
  const repo = new InMemoryRoundRepository();
  const service = new RoundService({
    rounds: repo,
    now: clock.now,
    newId: sequentialIds('round'),
    random: (bytes) => randomBytes(bytes),
    invitationTtlDays: options.ttlDays ?? 14,
    deadlineDaysBefore: options.deadlineDaysBefore,
  });
  return { clock, repo, service };
}

function input(overrides: Partial<CreateRoundInput> = {}): CreateRoundInput {
  return { professionalId: 'pro-a', clientLabel: 'K-12', domain: 'probation', form: 'short', appointmentDate: '2025-03-20', ...overrides };
}

/** Makes `round` complete on both sides (joined and both sets attached). */
async function completeBothSides(service: RoundService, code: string, roundId: string): Promise<void> {
  await service.joinWithCode(code, 'client-1');
  await service.attachResponseSet(roundId, 'client', 'rs-client');
  await service.attachResponseSet(roundId, 'professional', 'rs-pro');
}

describe('RoundService.create', () => {
  it('opens a round with a grouped code from the unambiguous alphabet and a 128-bit link token', async () => {
    const { service } = setup();
    const { round, code, linkToken } = await service.create(input());
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(linkToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(linkToken, 'base64url')).toHaveLength(16);
    expect(round).toMatchObject({
      professionalId: 'pro-a',
      clientLabel: 'K-12',
      status: 'open',
      clientUserId: null,
      previousRoundId: null,
    });
    expect(round.invitation.codeHash).toBe(sha256(code.replace('-', '')));
    expect(round.invitation.linkTokenHash).toBe(sha256(linkToken));
  });

  it('stores neither the code nor the link token in clear', async () => {
    const { service, repo } = setup();
    const { code, linkToken } = await service.create(input());
    const stored = JSON.stringify([...repo.rounds.values()]);
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(code.replace('-', ''));
    expect(stored).not.toContain(linkToken);
  });

  it('never uses 0, O, 1, I or L in codes', async () => {
    const { service } = setup();
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const { code } = await service.create(input());
      for (const char of code.replace('-', '')) seen.add(char);
    }
    for (const ambiguous of ['0', 'O', '1', 'I', 'L']) expect(seen.has(ambiguous)).toBe(false);
    expect(INVITATION_CODE_ALPHABET).toHaveLength(31);
    // 1,600 characters from 31 symbols: every symbol shows up.
    expect(seen.size).toBe(31);
  });

  it('puts the deadline at 00:00 UTC the day before, and lets the invitation expire by TTL or at that same deadline', async () => {
    const { service } = setup();
    const { round } = await service.create(input({ appointmentDate: '2025-03-20' }));
    expect(round.deadline).toBe('2025-03-19T00:00:00.000Z');
    // 14 days would run past the comparison: one rule, the invitation ends when the comparison is made.
    expect(round.invitation.expiresAt).toBe(round.deadline);

    const short = setup({ ttlDays: 3 });
    const { round: soon } = await short.service.create(input());
    expect(soon.invitation.expiresAt).toBe('2025-03-13T09:00:00.000Z');
  });

  it('honours deadlineDaysBefore and moves a deadline that would already be past', async () => {
    const { service } = setup({ deadlineDaysBefore: 2 });
    expect((await service.create(input({ appointmentDate: '2025-03-20' }))).round.deadline).toBe('2025-03-18T00:00:00.000Z');
    // Created on the 10th for the 11th: the day before has begun, so the deadline is the appointment day's start.
    const tomorrow = setup();
    expect((await tomorrow.service.create(input({ appointmentDate: '2025-03-11' }))).round.deadline).toBe('2025-03-11T00:00:00.000Z');
    // For today: the end of the day.
    expect((await tomorrow.service.create(input({ appointmentDate: '2025-03-10' }))).round.deadline).toBe('2025-03-11T00:00:00.000Z');
  });

  it('trims the label and rejects bad input with the field named', async () => {
    const { service } = setup();
    expect((await service.create(input({ clientLabel: '  K-12  ' }))).round.clientLabel).toBe('K-12');
    expect((await service.create(input({ clientLabel: 'x'.repeat(40) }))).round.clientLabel).toHaveLength(40);
    const cases: [Partial<CreateRoundInput>, string][] = [
      [{ clientLabel: '   ' }, 'clientLabel'],
      [{ clientLabel: 'x'.repeat(41) }, 'clientLabel'],
      [{ appointmentDate: '2025-03-09' }, 'appointmentDate'],
      [{ appointmentDate: '2025-02-30' }, 'appointmentDate'],
      [{ appointmentDate: '20-03-2025' }, 'appointmentDate'],
      [{ appointmentDate: '2205-03-20' }, 'appointmentDate'],
      [{ professionalId: '' }, 'professionalId'],
      [{ form: 'long' as CreateRoundInput['form'] }, 'form'],
      [{ domain: 'school' as CreateRoundInput['domain'] }, 'domain'],
    ];
    for (const [overrides, field] of cases) {
      const error: unknown = await service.create(input(overrides)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RoundInputError);
      expect(error).toMatchObject({ code: 'ROUND_INPUT_INVALID', field });
    }
  });

  it('links the last earlier round of the same professional and label, for trends', async () => {
    const { service } = setup();
    const first = await service.create(input({ appointmentDate: '2025-03-12' }));
    const second = await service.create(input({ appointmentDate: '2025-03-15', clientLabel: 'k-12' }));
    const otherLabel = await service.create(input({ clientLabel: 'K-13' }));
    const otherPro = await service.create(input({ professionalId: 'pro-b' }));
    const third = await service.create(input({ appointmentDate: '2025-03-20' }));
    expect(second.round.previousRoundId).toBe(first.round.id);
    expect(otherLabel.round.previousRoundId).toBeNull();
    expect(otherPro.round.previousRoundId).toBeNull();
    expect(third.round.previousRoundId).toBe(second.round.id);
  });
});

describe('invitation codes', () => {
  it('normalises case, spaces and dashes', () => {
    expect(normaliseInvitationCode('k7qx m4pd')).toBe('K7QXM4PD');
    expect(normaliseInvitationCode(' K7QX-M4PD ')).toBe('K7QXM4PD');
    expect(normaliseInvitationCode('k7.qx_m4-pd')).toBe('K7QXM4PD');
    expect(formatInvitationCode('K7QXM4PD')).toBe('K7QX-M4PD');
  });

  it('refuses what cannot be a code', () => {
    for (const bad of ['K7QX-M4P0', 'K7QX-M4PDX', 'K7QX', '', 'K7QX-M4PI', 42, null, undefined, { code: 'K7QXM4PD' }, 'K'.repeat(100)]) {
      expect(normaliseInvitationCode(bad)).toBeNull();
    }
  });
});

describe('joining a round', () => {
  it('accepts the code case- and separator-insensitively ("k7qx m4pd")', async () => {
    const { service } = setup();
    const { round, code } = await service.create(input());
    const typed = code.toLowerCase().replace('-', ' ');
    const result = await service.joinWithCode(typed, 'client-1');
    expect(result).toMatchObject({ kind: 'joined', round: { id: round.id, clientUserId: 'client-1' } });
    if (result.kind === 'joined') expect(result.round.invitation.usedAt).toBe(START);
  });

  it('joins with the link token', async () => {
    const { service } = setup();
    const { round, linkToken } = await service.create(input());
    expect(await service.joinWithLink(linkToken, 'client-1')).toMatchObject({ kind: 'joined', round: { id: round.id } });
  });

  it('is single use: the same user resumes, another user is refused', async () => {
    const { service } = setup();
    const { code, linkToken } = await service.create(input());
    expect((await service.joinWithCode(code, 'client-1')).kind).toBe('joined');
    expect((await service.joinWithCode(code, 'client-1')).kind).toBe('alreadyJoined');
    expect((await service.joinWithLink(linkToken, 'client-1')).kind).toBe('alreadyJoined');
    expect(await service.joinWithCode(code, 'intruder')).toEqual({ kind: 'rejected', reason: 'used' });
    expect(await service.joinWithLink(linkToken, 'intruder')).toEqual({ kind: 'rejected', reason: 'used' });
    expect((await service.roundForClient('client-1'))?.clientUserId).toBe('client-1');
    expect(await service.roundForClient('intruder')).toBeNull();
  });

  it('admits only one of two people using one code at the same moment', async () => {
    const { service } = setup();
    const { code } = await service.create(input());
    const results = await Promise.all([service.joinWithCode(code, 'client-1'), service.joinWithCode(code, 'client-2')]);
    expect(results.filter((r) => r.kind === 'joined')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'rejected' && r.reason === 'used')).toHaveLength(1);
  });

  it('refuses unknown, malformed and expired invitations', async () => {
    const { service, clock } = setup({ ttlDays: 3 });
    const { code, linkToken } = await service.create(input());
    expect(await service.joinWithCode('ABCD-EFGH', 'client-1')).toEqual({ kind: 'rejected', reason: 'unknown' });
    expect(await service.joinWithCode({ code }, 'client-2')).toEqual({ kind: 'rejected', reason: 'unknown' });
    expect(await service.joinWithLink('not a token', 'client-2')).toEqual({ kind: 'rejected', reason: 'unknown' });
    clock.advance(3 * DAY);
    expect(await service.joinWithCode(code, 'client-3')).toEqual({ kind: 'rejected', reason: 'expired' });
    expect(await service.joinWithLink(linkToken, 'client-3')).toEqual({ kind: 'rejected', reason: 'expired' });
  });

  it('accepts an invitation until the moment it expires', async () => {
    const { service, clock } = setup({ ttlDays: 3 });
    const { code } = await service.create(input());
    clock.advance(3 * DAY - 1);
    expect((await service.joinWithCode(code, 'client-1')).kind).toBe('joined');
  });

  it('refuses a revoked invitation and a cancelled round', async () => {
    const { service } = setup();
    const revoked = await service.create(input());
    await service.revokeInvitation(revoked.round.id, 'pro-a');
    expect(await service.joinWithCode(revoked.code, 'client-1')).toEqual({ kind: 'rejected', reason: 'revoked' });
    const cancelled = await service.create(input());
    await service.cancel(cancelled.round.id, 'pro-a');
    expect(await service.joinWithLink(cancelled.linkToken, 'client-1')).toEqual({ kind: 'rejected', reason: 'cancelled' });
  });
});

describe('rate limit on joining', () => {
  it('limits the 6th attempt after 5 failures, refuses even a correct code, and lifts after 15 minutes', async () => {
    const { service, clock } = setup();
    const { code } = await service.create(input());
    for (let i = 0; i < 5; i += 1)
      expect(await service.joinWithCode('ABCD-EFGH', 'guesser')).toEqual({ kind: 'rejected', reason: 'unknown' });
    expect(await service.joinWithCode('ABCD-EFGH', 'guesser')).toEqual({ kind: 'rejected', reason: 'rateLimited', retryAfterMinutes: 15 });
    expect(await service.joinWithCode(code, 'guesser')).toEqual({ kind: 'rejected', reason: 'rateLimited', retryAfterMinutes: 15 });
    // Someone else is not affected.
    expect(await service.joinWithCode('ABCD-EFGH', 'other')).toEqual({ kind: 'rejected', reason: 'unknown' });
    clock.advance(15 * MINUTE - 1);
    expect(await service.joinWithCode(code, 'guesser')).toEqual({ kind: 'rejected', reason: 'rateLimited', retryAfterMinutes: 1 });
    clock.advance(1);
    expect((await service.joinWithCode(code, 'guesser')).kind).toBe('joined');
  });

  it('never locks a genuine client out because strangers guessed wrong codes', async () => {
    const { service } = setup();
    const { code } = await service.create(input());
    for (let i = 0; i < 500; i += 1) await service.joinWithCode('ABCD-EFGH', `bot-${i}`);
    expect((await service.joinWithCode(code, 'client-1')).kind).toBe('joined');
  });

  it('counts refusals of real codes (used, expired) as failures too', async () => {
    const { service } = setup();
    const { code } = await service.create(input());
    await service.joinWithCode(code, 'client-1');
    for (let i = 0; i < 5; i += 1) expect(await service.joinWithCode(code, 'intruder')).toEqual({ kind: 'rejected', reason: 'used' });
    expect(await service.joinWithCode(code, 'intruder')).toEqual({ kind: 'rejected', reason: 'rateLimited', retryAfterMinutes: 15 });
    // Resuming is not a failure.
    for (let i = 0; i < 6; i += 1) expect((await service.joinWithCode(code, 'client-1')).kind).toBe('alreadyJoined');
  });

  it('counts a rejected link against the user', async () => {
    const { service } = setup();
    const { linkToken } = await service.create(input());
    for (let i = 0; i < 5; i += 1) await service.joinWithLink('A'.repeat(22), 'prober');
    expect(await service.joinWithLink(linkToken, 'prober')).toEqual({ kind: 'rejected', reason: 'rateLimited', retryAfterMinutes: 15 });
  });

  it('can be given a limiter with other windows', async () => {
    const clock = new FakeClock(START);
    const limiter = new InMemoryAttemptLimiter({ now: clock.now, perIdentity: { maxFailures: 1, windowMs: MINUTE } });
    const service = new RoundService({
      rounds: new InMemoryRoundRepository(),
      now: clock.now,
      newId: sequentialIds('r'),
      random: randomBytes,
      invitationTtlDays: 14,
      limiter,
    });
    await service.joinWithCode('ABCD-EFGH', 'u');
    expect(await service.joinWithCode('ABCD-EFGH', 'u')).toEqual({ kind: 'rejected', reason: 'rateLimited', retryAfterMinutes: 1 });
  });
});

describe('professional isolation', () => {
  it("never shows, cancels or deletes another professional's round", async () => {
    const { service } = setup();
    const { round } = await service.create(input({ professionalId: 'pro-a' }));
    await service.create(input({ professionalId: 'pro-b' }));
    expect(await service.getForProfessional(round.id, 'pro-b')).toBeNull();
    expect(await service.getForProfessional('no-such-round', 'pro-b')).toBeNull();
    expect(await service.cancel(round.id, 'pro-b')).toBeNull();
    expect(await service.delete(round.id, 'pro-b')).toEqual({ deleted: false, responseSetIds: [] });
    expect(await service.resendInvitation(round.id, 'pro-b')).toBeNull();
    expect(await service.revokeInvitation(round.id, 'pro-b')).toBeNull();
    expect((await service.roundsPageForProfessional('pro-b', { limit: 10 })).rounds.map((r) => r.professionalId)).toEqual(['pro-b']);
    expect(await service.getForProfessional(round.id, 'pro-a')).toMatchObject({ id: round.id, status: 'open' });
  });

  it("pages a professional's rounds newest appointment first, then newest made", async () => {
    const { service, clock } = setup();
    const older = await service.create(input());
    clock.advance(HOUR);
    const newer = await service.create(input());
    const later = await service.create(input({ appointmentDate: '2025-03-28' }));
    const first = await service.roundsPageForProfessional('pro-a', { limit: 2 });
    expect(first.rounds.map((r) => r.id)).toEqual([later.round.id, newer.round.id]);
    const second = await service.roundsPageForProfessional('pro-a', { limit: 2, cursor: first.next });
    expect(second).toEqual({ rounds: [expect.objectContaining({ id: older.round.id })], next: null });
  });
});

describe('managing a round', () => {
  it('resends: a new code and link, the old ones stop working; not once someone joined', async () => {
    const { service } = setup();
    const first = await service.create(input());
    const again = await service.resendInvitation(first.round.id, 'pro-a');
    expect(again).not.toBeNull();
    expect(again?.code).not.toBe(first.code);
    expect(await service.joinWithCode(first.code, 'client-1')).toEqual({ kind: 'rejected', reason: 'unknown' });
    expect(await service.joinWithLink(first.linkToken, 'client-1')).toEqual({ kind: 'rejected', reason: 'unknown' });
    expect((await service.joinWithCode(again?.code, 'client-1')).kind).toBe('joined');
    expect(await service.resendInvitation(first.round.id, 'pro-a')).toBeNull();
  });

  it('resends a revoked invitation as a fresh one', async () => {
    const { service } = setup();
    const { round } = await service.create(input());
    await service.revokeInvitation(round.id, 'pro-a');
    const again = await service.resendInvitation(round.id, 'pro-a');
    expect((await service.joinWithCode(again?.code, 'client-1')).kind).toBe('joined');
  });

  it('cancels only open rounds', async () => {
    const { service } = setup();
    const { round } = await service.create(input());
    expect(await service.cancel(round.id, 'pro-a')).toMatchObject({ status: 'cancelled', invitation: { revokedAt: START } });
    expect(await service.resendInvitation(round.id, 'pro-a')).toBeNull();
    const done = await service.create(input());
    await completeBothSides(service, done.code, done.round.id);
    await service.markComplete(done.round.id);
    expect((await service.cancel(done.round.id, 'pro-a'))?.status).toBe('complete');
  });

  it('deletes a round, returns its response sets, and keeps the trend chain', async () => {
    const { service, repo } = setup();
    const first = await service.create(input({ appointmentDate: '2025-03-12' }));
    const middle = await service.create(input({ appointmentDate: '2025-03-15' }));
    const last = await service.create(input({ appointmentDate: '2025-03-20' }));
    await completeBothSides(service, middle.code, middle.round.id);
    expect(await service.delete(middle.round.id, 'pro-a')).toEqual({ deleted: true, responseSetIds: ['rs-client', 'rs-pro'] });
    expect(repo.rounds.has(middle.round.id)).toBe(false);
    expect((await service.getForProfessional(last.round.id, 'pro-a'))?.previousRoundId).toBe(first.round.id);
    expect(await service.roundForClient('client-1')).toBeNull();
  });

  it('attaches response sets: client only after joining, once per side', async () => {
    const { service } = setup();
    const { round, code } = await service.create(input());
    await expect(service.attachResponseSet(round.id, 'client', 'rs-1')).rejects.toMatchObject({
      code: 'ROUND_STATE_CONFLICT',
      reason: 'noClient',
    });
    await service.attachResponseSet(round.id, 'professional', 'rs-pro');
    await service.joinWithCode(code, 'client-1');
    await service.attachResponseSet(round.id, 'client', 'rs-1');
    expect((await service.attachResponseSet(round.id, 'client', 'rs-1')).clientResponseSetId).toBe('rs-1');
    await expect(service.attachResponseSet(round.id, 'client', 'rs-2')).rejects.toBeInstanceOf(RoundStateError);
    await expect(service.attachResponseSet('missing', 'client', 'rs-2')).rejects.toMatchObject({ code: 'ROUND_NOT_FOUND' });
  });

  it('completes only with both response sets', async () => {
    const { service } = setup();
    const { round, code } = await service.create(input());
    await expect(service.markComplete(round.id)).rejects.toMatchObject({ reason: 'incomplete' });
    await completeBothSides(service, code, round.id);
    expect((await service.markComplete(round.id)).status).toBe('complete');
    expect(await service.roundForClient('client-1')).toBeNull();
  });

  it('gives the client the latest open round they joined', async () => {
    const { service, clock } = setup();
    const first = await service.create(input());
    clock.advance(MINUTE);
    const second = await service.create(input());
    await service.joinWithCode(first.code, 'client-1');
    await service.joinWithCode(second.code, 'client-1');
    expect((await service.roundForClient('client-1'))?.id).toBe(second.round.id);
    await service.cancel(second.round.id, 'pro-a');
    expect((await service.roundForClient('client-1'))?.id).toBe(first.round.id);
  });
});

describe('canReveal', () => {
  it('reveals when both finished or the deadline passed, never for a cancelled round', async () => {
    const { service } = setup();
    const { round, code } = await service.create(input());
    const before = new Date('2025-03-18T23:59:59.999Z');
    const atDeadline = new Date('2025-03-19T00:00:00.000Z');
    expect(service.canReveal(round, before)).toBe(false);
    expect(service.canReveal(round, atDeadline)).toBe(true);
    await completeBothSides(service, code, round.id);
    const attached = await service.getForProfessional(round.id, 'pro-a');
    if (!attached) throw new Error('round missing');
    // Both sets attached is not enough: they must be completed (markComplete).
    expect(service.canReveal(attached, before)).toBe(false);
    expect(service.canReveal(await service.markComplete(round.id), before)).toBe(true);
    const cancelled: Round = { ...round, status: 'cancelled' };
    expect(service.canReveal(cancelled, new Date('2025-04-01T00:00:00Z'))).toBe(false);
  });
});

describe('scheduler queries', () => {
  it('reminds only joined, unfinished, unreminded clients inside the window', async () => {
    const { service } = setup();
    const joined = await service.create(input({ clientLabel: 'joined' }));
    const notJoined = await service.create(input({ clientLabel: 'not-joined' }));
    const finished = await service.create(input({ clientLabel: 'finished' }));
    await service.joinWithCode(joined.code, 'client-1');
    await service.joinWithCode(finished.code, 'client-2');
    expect(notJoined.round.clientUserId).toBeNull();
    const isDone = async (round: Round): Promise<boolean> => round.id === finished.round.id;
    const due = (at: string) => service.dueForReminder(new Date(at), 2, isDone).then((rounds) => rounds.map((r) => r.clientLabel));

    // Appointment 20th, 2 days before: from 00:00 on the 18th until the deadline (00:00 on the 19th).
    expect(await due('2025-03-17T23:59:59.999Z')).toEqual([]);
    expect(await due('2025-03-18T00:00:00.000Z')).toEqual(['joined']);
    expect(await due('2025-03-19T00:00:00.000Z')).toEqual([]);

    const claim = defined(await service.claimJob(joined.round.id, 'reminder', new Date('2025-03-18T00:00:00.000Z')), 'claim');
    // Someone is sending it: not due for the others while the lease runs, nor once it went out.
    expect(await due('2025-03-18T00:01:00.000Z')).toEqual([]);
    await service.confirmSent(claim, new Date('2025-03-18T00:00:01.000Z'));
    expect(await due('2025-03-18T01:00:00.000Z')).toEqual([]);
  });

  it('waits an hour after joining, and reminds at least a day before the deadline', async () => {
    const { service, clock } = setup();
    const { code } = await service.create(input());
    clock.set('2025-03-17T23:30:00.000Z');
    await service.joinWithCode(code, 'client-1');
    const due = (at: string, days: number) => service.dueForReminder(new Date(at), days, async () => false).then((r) => r.length);
    expect(await due('2025-03-18T00:00:00.000Z', 2)).toBe(0);
    expect(await due('2025-03-18T00:30:00.000Z', 2)).toBe(1);
    // REMINDER_DAYS_BEFORE=0 would fall after the deadline: it is brought forward.
    expect(await due('2025-03-18T00:30:00.000Z', 0)).toBe(1);
  });

  it('lists open rounds past their deadline without a summary', async () => {
    const { service } = setup();
    const { round } = await service.create(input());
    expect(await service.dueForDeadlineSummary(new Date('2025-03-18T23:59:59.999Z'))).toEqual([]);
    expect((await service.dueForDeadlineSummary(new Date('2025-03-19T00:00:00.000Z'))).map((r) => r.id)).toEqual([round.id]);
    const claim = defined(await service.claimJob(round.id, 'summary', new Date('2025-03-19T00:00:00.000Z')), 'claim');
    expect(await service.dueForDeadlineSummary(new Date('2025-03-19T00:01:00.000Z'))).toEqual([]);
    // Not confirmed, and the lease (5 minutes) ran out: its holder died, so it is due again.
    expect((await service.dueForDeadlineSummary(new Date('2025-03-19T00:05:00.000Z'))).map((r) => r.id)).toEqual([round.id]);
    await service.confirmSent(claim, new Date('2025-03-19T00:05:00.000Z'));
    expect(await service.dueForDeadlineSummary(new Date('2025-03-19T00:06:00.000Z'))).toEqual([]);
  });
});

describe('job claims (leases) for summary and reminder', () => {
  it('grants exactly one of two concurrent claims', async () => {
    const { service } = setup();
    const { round } = await service.create(input());
    const at = new Date('2025-03-19T00:00:00.000Z');
    const summary = await Promise.all([service.claimJob(round.id, 'summary', at), service.claimJob(round.id, 'summary', at)]);
    expect(summary.filter(Boolean)).toHaveLength(1);
    const reminder = await Promise.all([service.claimJob(round.id, 'reminder', at), service.claimJob(round.id, 'reminder', at)]);
    expect(reminder.filter(Boolean)).toHaveLength(1);
    expect(await service.claimJob(round.id, 'summary', new Date('2025-03-19T00:04:59.999Z'))).toBeNull();
  });

  it('sets the sent field only on confirmation, and records who holds the lease until when', async () => {
    const { service, repo } = setup();
    const { round } = await service.create(input());
    const at = new Date('2025-03-19T00:00:00.000Z');
    const claim = defined(await service.claimJob(round.id, 'summary', at), 'claim');
    const leased = defined(await repo.get(round.id), round.id);
    expect(leased.summarySentAt).toBeNull();
    expect(leased.jobLeases?.summary).toEqual({
      holder: 'this-instance',
      token: claim.token,
      claimedAt: '2025-03-19T00:00:00.000Z',
      expiresAt: '2025-03-19T00:05:00.000Z',
    });
    await service.confirmSent(claim, new Date('2025-03-19T00:00:02.000Z'));
    const sent = defined(await repo.get(round.id), round.id);
    expect(sent.summarySentAt).toBe('2025-03-19T00:00:02.000Z');
    expect(sent.jobLeases?.summary).toBeUndefined();
    expect(await service.claimJob(round.id, 'summary', new Date('2025-04-01T00:00:00.000Z'))).toBeNull();
  });

  it('lets another instance take a claim that was never confirmed once its lease expired, and only then', async () => {
    const { service, repo } = setup();
    const { round } = await service.create(input());
    const dead = defined(await service.claimJob(round.id, 'summary', new Date('2025-03-19T00:00:00.000Z')), 'claim');
    expect(await service.claimJob(round.id, 'summary', new Date('2025-03-19T00:04:59.999Z'))).toBeNull();
    const taken = defined(await service.claimJob(round.id, 'summary', new Date('2025-03-19T00:05:00.000Z')), 'second claim');
    // The dead claim can no longer give the job back: it is someone else's now.
    await service.releaseJob(dead);
    expect(defined(await repo.get(round.id), round.id).jobLeases?.summary?.token).toBe(taken.token);
    await service.confirmSent(taken, new Date('2025-03-19T00:05:01.000Z'));
    expect(defined(await repo.get(round.id), round.id).summarySentAt).toBe('2025-03-19T00:05:01.000Z');
  });

  it('can give back a claim whose message failed, but only its own', async () => {
    const { service } = setup();
    const { round } = await service.create(input());
    const at = new Date('2025-03-19T00:00:00.000Z');
    const claim = defined(await service.claimJob(round.id, 'summary', at), 'claim');
    await service.releaseJob({ ...claim, token: 'someone-else' });
    expect(await service.claimJob(round.id, 'summary', at)).toBeNull();
    await service.releaseJob(claim);
    expect(await service.claimJob(round.id, 'summary', at)).not.toBeNull();
  });

  it('reads rounds stored before leases (no jobLeases field) as free, and a sent field as done', async () => {
    const { service, repo } = setup();
    const { round } = await service.create(input());
    await repo.update(round.id, (current) => {
      const old: Round = { ...current };
      delete old.jobLeases;
      delete old.professionalReminderSentAt;
      return { ...old, reminderSentAt: '2025-03-18T00:00:00.000Z' };
    });
    const at = new Date('2025-03-19T00:00:00.000Z');
    expect(await service.claimJob(round.id, 'professionalReminder', at)).not.toBeNull();
    expect(await service.claimJob(round.id, 'summary', at)).not.toBeNull();
    expect(await service.claimJob(round.id, 'reminder', at)).toBeNull();
  });

  it('grants nothing for a deleted round', async () => {
    const { service } = setup();
    const { round } = await service.create(input());
    await service.delete(round.id, 'pro-a');
    expect(await service.claimJob(round.id, 'summary', new Date())).toBeNull();
  });
});

describe('one-time actions', () => {
  it('creates one round for a form card submitted twice, also when both submits arrive at once', async () => {
    const { service, repo } = setup();
    const first = await service.createOnce(input(), 'form-1');
    expect(first.kind).toBe('created');
    const second = await service.createOnce(input(), 'form-1');
    expect(second).toEqual({ kind: 'existing', round: expect.objectContaining({ id: first.round.id }) });
    const [a, b] = await Promise.all([service.createOnce(input(), 'form-2'), service.createOnce(input(), 'form-2')]);
    expect([a.kind, b.kind].sort()).toEqual(['created', 'existing']);
    expect(repo.rounds.size).toBe(2);
    // Another professional's card with the same id is another round.
    expect((await service.createOnce(input({ professionalId: 'pro-b' }), 'form-1')).kind).toBe('created');
  });

  it('keeps the last two characters of the code, so two rounds of one client can be told apart', async () => {
    const { service } = setup();
    const created = await service.create(input());
    expect(created.round.invitation.codeHint).toBe(created.code.slice(-2));
  });

  it('makes one new code for a "new code" button clicked twice', async () => {
    const { service } = setup();
    const { round } = await service.create(input());
    const fresh = await service.resendInvitationOnce(round.id, 'pro-a', 'resend-1');
    expect(fresh.kind).toBe('created');
    const again = await service.resendInvitationOnce(round.id, 'pro-a', 'resend-1');
    expect(again.kind).toBe('existing');
    // The code from the first click still works.
    if (fresh.kind !== 'created') throw new Error('expected a new code');
    expect((await service.joinWithCode(fresh.code, 'client-1')).kind).toBe('joined');
    expect((await service.resendInvitationOnce(round.id, 'pro-b', 'resend-2')).kind).toBe('refused');
  });
});

describe('one rule for the deadline and the invitation', () => {
  const cases: { name: string; now: string; appointment: string; ttl: number; deadline: string; expires: string }[] = [
    {
      name: 'far ahead: the invitation ends at the deadline',
      now: '2025-03-10T09:00:00.000Z',
      appointment: '2025-03-20',
      ttl: 14,
      deadline: '2025-03-19T00:00:00.000Z',
      expires: '2025-03-19T00:00:00.000Z',
    },
    {
      name: 'a short TTL ends the invitation first',
      now: '2025-03-10T09:00:00.000Z',
      appointment: '2025-03-20',
      ttl: 3,
      deadline: '2025-03-19T00:00:00.000Z',
      expires: '2025-03-13T09:00:00.000Z',
    },
    {
      name: 'made the day before: deadline and invitation move to the appointment day',
      now: '2025-03-19T10:00:00.000Z',
      appointment: '2025-03-20',
      ttl: 14,
      deadline: '2025-03-20T00:00:00.000Z',
      expires: '2025-03-20T00:00:00.000Z',
    },
    {
      name: 'made on the day itself: until the end of it',
      now: '2025-03-20T08:00:00.000Z',
      appointment: '2025-03-20',
      ttl: 14,
      deadline: '2025-03-21T00:00:00.000Z',
      expires: '2025-03-21T00:00:00.000Z',
    },
  ];
  it.each(cases)('$name', ({ now, appointment, ttl, deadline, expires }) => {
    const schedule = roundSchedule(new Date(now), new Date(`${appointment}T00:00:00Z`), { deadlineDaysBefore: 1, invitationTtlDays: ttl });
    expect(schedule.deadline.toISOString()).toBe(deadline);
    expect(schedule.invitationExpiresAt.toISOString()).toBe(expires);
  });

  it('gives a new code no longer life than the round', async () => {
    const { service, clock } = setup();
    const { round } = await service.create(input());
    clock.set('2025-03-18T09:00:00.000Z');
    const fresh = await service.resendInvitation(round.id, 'pro-a');
    expect(fresh?.round.invitation.expiresAt).toBe(round.deadline);
    clock.set(round.deadline);
    expect(await service.resendInvitation(round.id, 'pro-a')).toBeNull();
  });
});

describe("the professional's reminder", () => {
  it('is due once, in the last day before the deadline, while their own side is not done', async () => {
    const { service } = setup();
    const open = await service.create(input({ clientLabel: 'open' }));
    const done = await service.create(input({ clientLabel: 'done' }));
    const isDone = async (round: Round): Promise<boolean> => round.id === done.round.id;
    const due = (at: string) => service.dueForProfessionalReminder(new Date(at), isDone).then((rounds) => rounds.map((r) => r.clientLabel));
    // Deadline 00:00 on the 19th: due from 00:00 on the 18th.
    expect(await due('2025-03-17T23:59:59.000Z')).toEqual([]);
    expect(await due('2025-03-18T00:00:00.000Z')).toEqual(['open']);
    expect(await due('2025-03-19T00:00:00.000Z')).toEqual([]);
    const at = new Date('2025-03-18T08:00:00.000Z');
    const claims = await Promise.all([
      service.claimJob(open.round.id, 'professionalReminder', at),
      service.claimJob(open.round.id, 'professionalReminder', at),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    await service.confirmSent(defined(claims.find(Boolean), 'claim'), at);
    expect(await due('2025-03-18T09:00:00.000Z')).toEqual([]);
  });

  it('is not sent for a round made within that last day', async () => {
    const { service, clock } = setup();
    clock.set('2025-03-18T10:00:00.000Z');
    await service.create(input());
    expect(await service.dueForProfessionalReminder(new Date('2025-03-18T12:00:00.000Z'), async () => false)).toEqual([]);
  });
});
