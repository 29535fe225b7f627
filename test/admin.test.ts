import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_USAGE, runAdmin } from '../scripts/admin';
import { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import { FileProfessionalRepository } from '../storage/fileProfessionalRepository';
import { JsonFileStore } from '../storage/jsonFileStore';
import { FakeClock, sequentialIds } from './fakes/clock';
import { InMemoryProfessionalRepository } from './fakes/inMemoryProfessionalRepository';

const PUBLIC_URL = 'https://bot.example.org';
const LINK = /https:\/\/bot\.example\.org\/\?pro=([A-Za-z0-9_-]{43})\b/;

function harness(
  directory = new ProfessionalDirectory(
    new InMemoryProfessionalRepository(),
    new FakeClock('2025-03-10T09:00:00Z').now,
    sequentialIds('pro'),
    randomBytes,
  ),
) {
  const out: string[] = [];
  const err: string[] = [];
  const run = (...argv: string[]) => runAdmin(argv, { directory, publicUrl: PUBLIC_URL, out: (t) => out.push(t), err: (t) => err.push(t) });
  return { directory, out, err, run, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

function secretIn(text: string): string {
  const match = LINK.exec(text);
  if (!match) throw new Error(`no access link in: ${text}`);
  return match[1];
}

describe('runAdmin', () => {
  it('add-professional prints the access link once, with the warning, and the link signs in', async () => {
    const h = harness();
    expect(await h.run('add-professional', 'Sam de Vries')).toBe(0);
    expect(h.stdout()).toContain('shown only now');
    expect(h.stdout()).toContain('Sam de Vries');
    const secret = secretIn(h.stdout());
    expect(await h.directory.authenticateBySecret(secret)).toMatchObject({ displayName: 'Sam de Vries' });
    expect(h.err).toEqual([]);
  });

  it('list-professionals shows id, name, created and revoked, never a secret or hash', async () => {
    const h = harness();
    await h.run('add-professional', 'Sam');
    const secret = secretIn(h.stdout());
    const hash = (await h.directory.list())[0].accessSecretHash ?? 'missing';
    await h.run('add-professional', 'Kim');
    await h.run('revoke-professional', 'pro-2');
    h.out.length = 0;
    expect(await h.run('list-professionals')).toBe(0);
    const listing = h.stdout();
    expect(listing.split('\n')[0]).toMatch(/^id\s+name\s+created\s+revoked/);
    expect(listing).toMatch(/pro-1\s+Sam\s+2025-03-10T09:00:00.000Z\s+-/);
    expect(listing).toMatch(/pro-2\s+Kim\s+2025-03-10T09:00:00.000Z\s+2025-03-10T09:00:00.000Z/);
    expect(listing).not.toContain(secret);
    expect(listing).not.toContain(hash);
  });

  it('revoke-professional stops the link; rotate-link replaces it', async () => {
    const h = harness();
    await h.run('add-professional', 'Sam');
    const first = secretIn(h.stdout());
    h.out.length = 0;
    expect(await h.run('rotate-link', 'pro-1')).toBe(0);
    const second = secretIn(h.stdout());
    expect(second).not.toBe(first);
    expect(await h.directory.authenticateBySecret(first)).toBeNull();
    expect(await h.directory.authenticateBySecret(second)).not.toBeNull();
    expect(await h.run('revoke-professional', 'pro-1')).toBe(0);
    expect(await h.directory.authenticateBySecret(second)).toBeNull();
    expect(await h.run('rotate-link', 'pro-1')).toBe(1);
    expect(h.stderr()).toContain('revoked');
  });

  it('answers an unknown id with exit code 1', async () => {
    const h = harness();
    expect(await h.run('revoke-professional', 'nobody')).toBe(1);
    expect(h.stderr()).toContain('No professional with id nobody');
  });

  it.each([[[]], [['frobnicate']], [['add-professional']], [['add-professional', '  ']], [['revoke-professional']], [['rotate-link']]])(
    'prints usage on stderr and exits 2 for %j',
    async (argv) => {
      const h = harness();
      expect(await h.run(...argv)).toBe(2);
      expect(h.stderr()).toContain(ADMIN_USAGE);
      expect(h.out).toEqual([]);
    },
  );

  it('keeps the secret out of the data folder', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'admin-'));
    const store = new JsonFileStore(dir);
    const h = harness(
      new ProfessionalDirectory(new FileProfessionalRepository(store), () => new Date(), sequentialIds('pro'), randomBytes),
    );
    await h.run('add-professional', 'Sam');
    await h.run('rotate-link', 'pro-1');
    const secrets = [...h.stdout().matchAll(new RegExp(LINK.source, 'g'))].map((m) => m[1]);
    expect(secrets).toHaveLength(2);
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
    const text = (
      await Promise.all(entries.filter((e) => e.isFile()).map((e) => fs.readFile(path.join(e.parentPath, e.name), 'utf8')))
    ).join('\n');
    expect(text).toContain('Sam');
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe('npm run admin (the script as a process)', () => {
  const run = promisify(execFile);
  const script = path.join(__dirname, '..', 'scripts', 'admin.ts');
  const tsNode = path.join(__dirname, '..', 'node_modules', '.bin', 'ts-node');

  it('adds a professional into DATA_DIR/records and lists them; exits 2 on an unknown command', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'admin-cli-'));
    const env = { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: PUBLIC_URL, MicrosoftAppId: '' };
    const added = await run(tsNode, ['--transpile-only', script, 'add-professional', 'Sam de Vries'], { env, cwd: dataDir });
    const secret = secretIn(added.stdout);
    const listed = await run(tsNode, ['--transpile-only', script, 'list-professionals'], { env, cwd: dataDir });
    expect(listed.stdout).toContain('Sam de Vries');
    expect(listed.stdout).not.toContain(secret);
    const directory = new ProfessionalDirectory(
      new FileProfessionalRepository(new JsonFileStore(path.join(dataDir, 'records'))),
      () => new Date(),
      sequentialIds('x'),
      randomBytes,
    );
    expect(await directory.authenticateBySecret(secret)).toMatchObject({ displayName: 'Sam de Vries' });

    const failed = await run(tsNode, ['--transpile-only', script, 'nonsense'], { env, cwd: dataDir }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 2 });
    expect('stderr' in failed ? failed.stderr : '').toContain('Usage: npm run admin');
  });

  it("reads the server's .env: the link has its PORT, the record lands in its DATA_DIR", async () => {
    const cwd = await fs.mkdtemp(path.join(os.tmpdir(), 'admin-env-'));
    await fs.writeFile(path.join(cwd, '.env'), 'PORT=4123\nDATA_DIR=./server-data\n');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    const added = await run(tsNode, ['--transpile-only', script, 'add-professional', 'Kim'], { env, cwd });
    expect(added.stdout).toMatch(/\n {2}http:\/\/localhost:4123\/\?pro=[A-Za-z0-9_-]{43}\n/);
    expect(added.stderr).toContain(`PUBLIC_URL http://localhost:4123, DATA_DIR ${path.join(cwd, 'server-data')}`);
    const records = await fs.readdir(path.join(cwd, 'server-data', 'records'), { recursive: true });
    expect(records.some((name) => String(name).startsWith('professionals'))).toBe(true);

    await fs.writeFile(path.join(cwd, '.env'), 'PORT=0\n');
    const refused = await run(tsNode, ['--transpile-only', script, 'list-professionals'], { env, cwd }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 1 });
    expect('stderr' in refused ? refused.stderr : '').toContain('PUBLIC_URL must be set when PORT is 0');
  });
});
