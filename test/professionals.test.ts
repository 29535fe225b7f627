import { createHash, randomBytes } from 'node:crypto';
import { hashAccessSecret, ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import { ProfessionalInputError, ProfessionalRevokedError } from '../services/professionals/professional';
import { FakeClock, sequentialIds } from './fakes/clock';
import { InMemoryProfessionalRepository } from './fakes/inMemoryProfessionalRepository';

const START = '2025-03-10T09:00:00.000Z';
const TENANT = '11111111-2222-3333-4444-555555555555';
const OTHER_TENANT = '99999999-2222-3333-4444-555555555555';

function setup() {
  const clock = new FakeClock(START);
  const repo = new InMemoryProfessionalRepository();
  const directory = new ProfessionalDirectory(repo, clock.now, sequentialIds('pro'), (bytes) => randomBytes(bytes));
  return { clock, repo, directory };
}

describe('ProfessionalDirectory: access links', () => {
  it('makes a 256-bit base64url secret and stores only its sha256 hash', async () => {
    const { directory, repo } = setup();
    const { professional, secret } = await directory.addWithAccessLink('  Sam   de Vries ');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(professional).toEqual({
      id: 'pro-1',
      displayName: 'Sam de Vries',
      createdAt: START,
      revokedAt: null,
      accessSecretHash: createHash('sha256').update(secret).digest('hex'),
      teams: null,
    });
    expect(hashAccessSecret(secret)).toBe(professional.accessSecretHash);
    expect(JSON.stringify([...repo.professionals.values()])).not.toContain(secret);
  });

  it('gives every professional a different secret', async () => {
    const { directory } = setup();
    const secrets = new Set<string>();
    for (let i = 0; i < 20; i += 1) secrets.add((await directory.addWithAccessLink(`P ${i}`)).secret);
    expect(secrets.size).toBe(20);
  });

  it('refuses an empty or overlong name', async () => {
    const { directory } = setup();
    await expect(directory.addWithAccessLink('   ')).rejects.toBeInstanceOf(ProfessionalInputError);
    await expect(directory.addWithAccessLink('x'.repeat(101))).rejects.toMatchObject({
      code: 'PROFESSIONAL_INPUT_INVALID',
      field: 'displayName',
    });
  });

  it('signs in with the secret, and never with anything else', async () => {
    const { directory } = setup();
    const { professional, secret } = await directory.addWithAccessLink('Sam');
    expect(await directory.authenticateBySecret(secret)).toMatchObject({ id: professional.id });
    const wrong = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    for (const attempt of [
      wrong,
      secret.toLowerCase() === secret ? secret.toUpperCase() : secret.toLowerCase(),
      '',
      `${secret} `,
      `${secret}x`,
      professional.accessSecretHash,
      42,
      null,
      undefined,
      { secret },
    ]) {
      expect(await directory.authenticateBySecret(attempt)).toBeNull();
    }
  });

  it('revoking stops the link at once and keeps the first date', async () => {
    const { directory, clock } = setup();
    const { professional, secret } = await directory.addWithAccessLink('Sam');
    const revoked = await directory.revoke(professional.id);
    expect(revoked).toMatchObject({ revokedAt: START, accessSecretHash: null });
    expect(await directory.authenticateBySecret(secret)).toBeNull();
    clock.advance(60_000);
    expect((await directory.revoke(professional.id)).revokedAt).toBe(START);
    await expect(directory.revoke('nobody')).rejects.toMatchObject({ code: 'PROFESSIONAL_NOT_FOUND' });
  });

  it('refuses a revoked record even if its hash was left in place', async () => {
    const { directory, repo } = setup();
    const { professional, secret } = await directory.addWithAccessLink('Sam');
    await repo.update(professional.id, (current) => ({ ...current, revokedAt: START }));
    expect(await directory.authenticateBySecret(secret)).toBeNull();
  });

  it('rotating replaces the link: the old one stops working', async () => {
    const { directory } = setup();
    const { professional, secret } = await directory.addWithAccessLink('Sam');
    const rotated = await directory.rotateAccessLink(professional.id);
    expect(rotated.secret).not.toBe(secret);
    expect(await directory.authenticateBySecret(secret)).toBeNull();
    expect(await directory.authenticateBySecret(rotated.secret)).toMatchObject({ id: professional.id });
  });

  it('does not rotate a revoked professional back in', async () => {
    const { directory } = setup();
    const { professional } = await directory.addWithAccessLink('Sam');
    await directory.revoke(professional.id);
    await expect(directory.rotateAccessLink(professional.id)).rejects.toBeInstanceOf(ProfessionalRevokedError);
  });
});

describe('ProfessionalDirectory: Teams users', () => {
  it('allows no tenant when the allow-list is empty', async () => {
    const { directory, repo } = setup();
    expect(await directory.authenticateTeamsUser('aad-1', TENANT, [], 'Sam')).toBeNull();
    expect(repo.professionals.size).toBe(0);
  });

  it('refuses a tenant not on the list', async () => {
    const { directory, repo } = setup();
    expect(await directory.authenticateTeamsUser('aad-1', OTHER_TENANT, [TENANT], 'Sam')).toBeNull();
    expect(repo.professionals.size).toBe(0);
  });

  it('creates the professional on first contact and finds them again after', async () => {
    const { directory, repo } = setup();
    const first = await directory.authenticateTeamsUser('aad-1', TENANT.toUpperCase(), [TENANT], 'Sam de Vries');
    expect(first).toMatchObject({
      id: 'pro-1',
      displayName: 'Sam de Vries',
      accessSecretHash: null,
      teams: { aadObjectId: 'aad-1', tenantId: TENANT },
    });
    expect(await directory.authenticateTeamsUser('aad-1', TENANT, [TENANT], 'Sam de Vries')).toMatchObject({ id: 'pro-1' });
    expect(repo.professionals.size).toBe(1);
  });

  it('creates one professional when two first turns arrive together', async () => {
    const { directory, repo } = setup();
    const [a, b] = await Promise.all([
      directory.authenticateTeamsUser('aad-1', TENANT, [TENANT], 'Sam'),
      directory.authenticateTeamsUser('aad-1', TENANT, [TENANT], 'Sam'),
    ]);
    expect(a?.id).toBe(b?.id);
    expect(repo.professionals.size).toBe(1);
  });

  it('keeps the name current, and needs no name to work', async () => {
    const { directory } = setup();
    await directory.authenticateTeamsUser('aad-1', TENANT, [TENANT], 'Sam');
    expect((await directory.authenticateTeamsUser('aad-1', TENANT, [TENANT], 'Sam Jansen'))?.displayName).toBe('Sam Jansen');
    expect((await directory.authenticateTeamsUser('aad-2', TENANT, [TENANT], ''))?.displayName).toBe('Teams user');
  });

  it('refuses a revoked Teams professional, the same object id from another tenant, and a tenant removed from the list', async () => {
    const { directory } = setup();
    const professional = await directory.authenticateTeamsUser('aad-1', TENANT, [TENANT, OTHER_TENANT], 'Sam');
    expect(await directory.authenticateTeamsUser('aad-1', OTHER_TENANT, [TENANT, OTHER_TENANT], 'Sam')).toBeNull();
    expect(await directory.authenticateTeamsUser('aad-1', TENANT, [OTHER_TENANT], 'Sam')).toBeNull();
    if (!professional) throw new Error('expected a professional');
    await directory.revoke(professional.id);
    expect(await directory.authenticateTeamsUser('aad-1', TENANT, [TENANT], 'Sam')).toBeNull();
  });
});
