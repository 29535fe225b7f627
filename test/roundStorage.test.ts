import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import { CreateRoundInput, RoundService } from '../services/rounds/roundService';
import { Round } from '../services/rounds/round';
import { FileConversationReferenceRepository } from '../storage/fileConversationReferenceRepository';
import { FileProfessionalRepository } from '../storage/fileProfessionalRepository';
import { FileRoundRepository } from '../storage/fileRoundRepository';
import { JsonFileStore } from '../storage/jsonFileStore';
import { FakeClock, sequentialIds } from './fakes/clock';

const START = '2025-03-10T09:00:00.000Z';
const TENANT = '11111111-2222-3333-4444-555555555555';

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'rounds-'));
}

/** Everything under `dir`, as one string, to search for secrets. */
async function allText(dir: string): Promise<string> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(entries.filter((e) => e.isFile()).map((e) => fs.readFile(path.join(e.parentPath, e.name), 'utf8')));
  return texts.join('\n');
}

/** A "process": a store, repositories and services on `dir`. A new one on the same dir is a restart. */
function boot(dir: string, clock = new FakeClock(START)) {
  const store = new JsonFileStore(dir);
  const rounds = new FileRoundRepository(store);
  const service = new RoundService({
    rounds,
    now: clock.now,
    newId: sequentialIds(`r${Math.random()}`),
    random: randomBytes,
    invitationTtlDays: 14,
  });
  const directory = new ProfessionalDirectory(
    new FileProfessionalRepository(store),
    clock.now,
    sequentialIds(`p${Math.random()}`),
    randomBytes,
  );
  return { store, rounds, service, directory, clock };
}

const input = (overrides: Partial<CreateRoundInput> = {}): CreateRoundInput => ({
  professionalId: 'pro-a',
  clientLabel: 'K-12',
  domain: 'debtHelp',
  form: 'short',
  appointmentDate: '2025-03-20',
  ...overrides,
});

describe('FileRoundRepository', () => {
  it('finds a round by code, link, client and professional after a restart', async () => {
    const dir = await tempDir();
    const first = boot(dir);
    const { round, code, linkToken } = await first.service.create(input());
    await first.service.create(input({ professionalId: 'pro-b' }));

    const second = boot(dir);
    expect((await second.service.joinWithCode(code.toLowerCase().replace('-', ' '), 'client-1')).kind).toBe('joined');
    const third = boot(dir);
    expect((await third.service.joinWithLink(linkToken, 'client-1')).kind).toBe('alreadyJoined');
    expect(await third.service.joinWithCode(code, 'client-2')).toEqual({ kind: 'rejected', reason: 'used' });
    expect((await third.service.roundForClient('client-1'))?.id).toBe(round.id);
    expect((await third.service.roundsPageForProfessional('pro-a', { limit: 10 })).rounds.map((r) => r.id)).toEqual([round.id]);
    expect(await third.service.getForProfessional(round.id, 'pro-b')).toBeNull();
  });

  it('serves chat-turn lookups from the index, without scanning all rounds', async () => {
    const dir = await tempDir();
    const { store, service } = boot(dir);
    const { code } = await service.create(input());
    const list = jest.spyOn(store, 'list');
    await service.joinWithCode(code, 'client-1');
    await service.roundForClient('client-1');
    await service.roundsPageForProfessional('pro-a', { limit: 10 });
    expect(list).not.toHaveBeenCalled();
    expect((await fs.readdir(path.join(dir, 'round-index'))).length).toBeGreaterThanOrEqual(4);
  });

  it('stores no code, link token or access secret in clear', async () => {
    const dir = await tempDir();
    const { service, directory } = boot(dir);
    const { code, linkToken } = await service.create(input());
    const { secret } = await directory.addWithAccessLink('Sam');
    const rotated = await directory.rotateAccessLink((await directory.list())[0].id);
    const text = await allText(dir);
    expect(text).toContain('K-12');
    for (const plain of [code, code.replace('-', ''), linkToken, secret, rotated.secret]) expect(text).not.toContain(plain);
  });

  it('keeps a lease and a confirmed send across a restart', async () => {
    const dir = await tempDir();
    const first = boot(dir);
    const { round } = await first.service.create(input());
    const at = new Date('2025-03-19T00:00:00.000Z');
    const summary = await first.service.claimJob(round.id, 'summary', at);
    expect(summary).not.toBeNull();
    await first.store.flush();

    // The first process died holding the lease: the next one leaves it alone until it expires.
    const second = boot(dir);
    expect(await second.service.claimJob(round.id, 'summary', at)).toBeNull();
    expect(await second.service.dueForDeadlineSummary(at)).toEqual([]);
    const reminder = await second.service.claimJob(round.id, 'reminder', at);
    expect(reminder).not.toBeNull();
    if (reminder) await second.service.confirmSent(reminder, at);
    await second.store.flush();
    const afterLease = new Date('2025-03-19T00:05:00.000Z');
    expect(await boot(dir).service.claimJob(round.id, 'reminder', afterLease)).toBeNull();
    expect(await boot(dir).service.claimJob(round.id, 'summary', afterLease)).not.toBeNull();
  });

  it('grants exactly one of many concurrent claims on disk', async () => {
    const dir = await tempDir();
    const { service } = boot(dir);
    const { round } = await service.create(input());
    const at = new Date('2025-03-19T00:00:00.000Z');
    const summary = await Promise.all([service.claimJob(round.id, 'summary', at), service.claimJob(round.id, 'summary', at)]);
    expect(summary.filter(Boolean)).toHaveLength(1);
    const reminders = await Promise.all(Array.from({ length: 10 }, () => service.claimJob(round.id, 'reminder', at)));
    expect(reminders.filter(Boolean)).toHaveLength(1);
  });

  it('lets only one of two people join with one code at once', async () => {
    const dir = await tempDir();
    const { service } = boot(dir);
    const { code } = await service.create(input());
    const results = await Promise.all(['client-1', 'client-2', 'client-3'].map((user) => service.joinWithCode(code, user)));
    expect(results.filter((r) => r.kind === 'joined')).toHaveLength(1);
  });

  it('stops the old code after a resend, also after a restart', async () => {
    const dir = await tempDir();
    const first = boot(dir);
    const { round, code, linkToken } = await first.service.create(input());
    const again = await first.service.resendInvitation(round.id, 'pro-a');
    const second = boot(dir);
    expect(await second.service.joinWithCode(code, 'client-1')).toEqual({ kind: 'rejected', reason: 'unknown' });
    expect(await second.service.joinWithLink(linkToken, 'client-1')).toEqual({ kind: 'rejected', reason: 'unknown' });
    expect((await second.service.joinWithCode(again?.code, 'client-1')).kind).toBe('joined');
  });

  it('deletes the round and its index entries', async () => {
    const dir = await tempDir();
    const { service, rounds, store } = boot(dir);
    const { round, code } = await service.create(input());
    await service.joinWithCode(code, 'client-1');
    expect((await service.delete(round.id, 'pro-a')).deleted).toBe(true);
    expect(await rounds.get(round.id)).toBeUndefined();
    expect(await rounds.findByClientUser('client-1')).toEqual([]);
    expect(await rounds.listByProfessional('pro-a')).toEqual([]);
    expect(await store.list('round-index')).toEqual([]);
  });

  it('ignores index entries that point at a missing or changed round (a crash between writes)', async () => {
    const dir = await tempDir();
    const { service, rounds, store } = boot(dir);
    const { round } = await service.create(input());
    await store.write('round-index', 'code:feedface', { roundId: 'ghost' });
    await store.write('round-index', 'code:deadbeef', { roundId: round.id });
    await store.write('round-index', `link:${'ab'.repeat(32)}`, { roundId: round.id });
    await store.write('round-index', 'client:client-9', { roundIds: [round.id, 'ghost'] });
    expect(await rounds.findByCodeHash('feedface')).toBeUndefined();
    expect(await rounds.findByCodeHash('deadbeef')).toBeUndefined();
    expect(await rounds.findByCodeHash(round.invitation.codeHash)).toMatchObject({ id: round.id });
    expect(await rounds.findByLinkTokenHash('ab'.repeat(32))).toBeUndefined();
    expect(await rounds.findByClientUser('client-9')).toEqual([]);
    expect(await service.roundForClient('client-9')).toBeNull();
  });

  it('lists open rounds for the scheduler, not cancelled ones', async () => {
    const dir = await tempDir();
    const { service, rounds } = boot(dir);
    const open = await service.create(input());
    const cancelled = await service.create(input());
    await service.cancel(cancelled.round.id, 'pro-a');
    const ids = (await rounds.listAwaitingSummary(new Date('2100-01-01T00:00:00Z'))).map((r: Round) => r.id);
    expect(ids).toEqual([open.round.id]);
  });
});

describe('FileProfessionalRepository', () => {
  it('signs in by secret and by Teams id after a restart; rotation and revocation hold on disk', async () => {
    const dir = await tempDir();
    const first = boot(dir);
    const { professional, secret } = await first.directory.addWithAccessLink('Sam');
    const teams = await first.directory.authenticateTeamsUser('aad-1', TENANT, [TENANT], 'Kim');

    const second = boot(dir);
    expect(await second.directory.authenticateBySecret(secret)).toMatchObject({ id: professional.id });
    expect(await second.directory.authenticateTeamsUser('aad-1', TENANT, [TENANT], 'Kim')).toMatchObject({ id: teams?.id });
    const { secret: rotated } = await second.directory.rotateAccessLink(professional.id);

    const third = boot(dir);
    expect(await third.directory.authenticateBySecret(secret)).toBeNull();
    expect(await third.directory.authenticateBySecret(rotated)).toMatchObject({ id: professional.id });
    await third.directory.revoke(professional.id);
    expect(await boot(dir).directory.authenticateBySecret(rotated)).toBeNull();
    expect((await boot(dir).directory.list()).map((p) => p.displayName).sort()).toEqual(['Kim', 'Sam']);
  });
});

describe('FileConversationReferenceRepository', () => {
  it('saves, replaces, reads after a restart and deletes', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(START);
    const repo = new FileConversationReferenceRepository(new JsonFileStore(dir), clock.now);
    await repo.save('client:user-1', { conversation: { id: 'c1' }, serviceUrl: 'http://x' });
    await repo.save('client:user-1', { conversation: { id: 'c2' }, serviceUrl: 'http://x' });
    const reopened = new FileConversationReferenceRepository(new JsonFileStore(dir));
    expect(await reopened.get('client:user-1')).toEqual({ conversation: { id: 'c2' }, serviceUrl: 'http://x' });
    expect(await reopened.get('professional:p1')).toBeUndefined();
    await reopened.delete('client:user-1');
    expect(await new FileConversationReferenceRepository(new JsonFileStore(dir)).get('client:user-1')).toBeUndefined();
  });
});
