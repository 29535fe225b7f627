import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAdmin } from '../scripts/admin';
import { DataCommands, fileDataRecords } from '../scripts/dataCommands';
import type { AccessEntry } from '../services/access/accessLog';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../services/questionnaire/itemBank';
import { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import type { ResponseSet } from '../services/questionnaire/responseSet';
import type { Round } from '../services/rounds/round';
import { FileAccessLog } from '../storage/fileAccessLog';
import { FileProfessionalRepository } from '../storage/fileProfessionalRepository';
import { FileRoundRepository } from '../storage/fileRoundRepository';
import { JsonFileStore } from '../storage/jsonFileStore';
import { FakeClock, sequentialIds } from './fakes/clock';
import { sideOf, storedRound } from './helpers/exportFixture';
import { fhirProblems } from './helpers/fhirValidator';

const bank = loadItemBank(DEFAULT_ITEM_BANK_PATH);

interface Harness {
  dir: string;
  store: JsonFileStore;
  accessLog: FileAccessLog;
  out: string[];
  err: string[];
  progress: string[];
  run(...argv: string[]): Promise<number>;
  file(name: string): string;
}

async function harness(): Promise<Harness> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'data-commands-'));
  const store = new JsonFileStore(path.join(dir, 'records'));
  const clock = new FakeClock('2026-12-01T12:00:00.000Z');
  const accessLog = new FileAccessLog(path.join(dir, 'access-log'), 365, clock.now);
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const data = new DataCommands({
    records: fileDataRecords(store),
    bank: () => bank,
    accessLog,
    now: clock.now,
    login: 'tester',
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    progress: { isTTY: false, write: (text: string) => progress.push(text) },
    ask: async () => null,
  });
  const directory = new ProfessionalDirectory(new FileProfessionalRepository(store), clock.now, sequentialIds('pro'), () =>
    Buffer.alloc(32, 7),
  );
  return {
    dir,
    store,
    accessLog,
    out,
    err,
    progress,
    run: (...argv) =>
      runAdmin(argv, { directory, publicUrl: 'https://bot.example.org', out: (t) => out.push(t), err: (t) => err.push(t), data }),
    file: (name) => path.join(dir, name),
  };
}

/** Stores a round and its sides the way the repositories do (one file each). */
async function store(h: Harness, round: Round, sets: ResponseSet[]): Promise<void> {
  await h.store.write('rounds', round.id, round);
  for (const set of sets) await h.store.write('responses', set.id, set);
}

describe('npm run admin -- export', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await harness();
    const first = storedRound('round-a1', { appointmentDate: '2026-10-01', clientUserId: 'chat-user-a' });
    const second = storedRound('round-a2', { appointmentDate: '2026-11-01', clientUserId: 'chat-user-a', previousRoundId: 'round-a1' });
    const inProgress = storedRound('round-b1', {
      appointmentDate: '2026-11-15',
      professionalId: 'pro-b',
      clientUserId: 'chat-user-b',
      status: 'open',
      professionalResponseSetId: null,
    });
    const cancelled = storedRound('round-c1', { appointmentDate: '2026-11-20', status: 'cancelled' });
    await store(h, first, [sideOf(bank, first, 'client', () => 4), sideOf(bank, first, 'professional', () => 2)]);
    const sharedComment = sideOf(bank, second, 'client', (i) => (i === 0 ? null : 5), { commentsShared: true });
    sharedComment.answers[bank.items('short', 'client')[1].id].comment = '=meer tijd, graag';
    await store(h, second, [sharedComment, sideOf(bank, second, 'professional', () => 3)]);
    await store(h, inProgress, [
      sideOf(bank, inProgress, 'client', (i) => (i < 2 ? 1 : null), { status: 'in-progress', completedAt: null }),
    ]);
    await store(h, cancelled, [sideOf(bank, cancelled, 'client', () => 3)]);
    fhirProblems({ resourceType: 'Bundle', type: 'collection' }); // compile the schema once
  });

  afterAll(async () => {
    await fs.rm(h.dir, { recursive: true, force: true });
  });

  it('csv: one row per item pair per round, pseudonymised per export, no comments, no ids, cancelled rounds left out', async () => {
    expect(await h.run('export', '--format', 'csv', '--out', h.file('pairs.csv'))).toBe(0);
    const text = await fs.readFile(h.file('pairs.csv'), 'utf8');
    const [header, ...rows] = text.trimEnd().split('\n');
    const columns = header.split(',');
    expect(columns).toEqual([
      'round',
      'relationship',
      'domain',
      'form',
      'round_number',
      'appointment_date',
      'client_completed_on',
      'professional_completed_on',
      'client_status',
      'professional_status',
      'client_item_id',
      'professional_item_id',
      'dimension',
      'reverse',
      'client_value',
      'professional_value',
      'gap',
    ]);
    const pairs = bank.items('short', 'client').length;
    expect(rows).toHaveLength(3 * pairs);
    const cell = (row: string, column: string): string => row.split(',')[columns.indexOf(column)];
    const byRound = new Map<string, string[]>();
    for (const row of rows) byRound.set(cell(row, 'round'), [...(byRound.get(cell(row, 'round')) ?? []), row]);
    expect([...byRound.values()].map((group) => group.length)).toEqual([pairs, pairs, pairs]);
    for (const id of ['round-a1', 'round-a2', 'round-b1', 'chat-user-a', 'chat-user-b', 'pro-1', 'pro-b', 'K-12', 'meer tijd']) {
      expect(text).not.toContain(id);
    }
    const second = rows.filter((row) => cell(row, 'appointment_date') === '2026-11-01');
    expect(second.map((row) => cell(row, 'round_number'))).toEqual(Array(pairs).fill('2'));
    expect(cell(second[0], 'client_value')).toBe(''); // skipped, not 0
    const friction = rows.find((row) => cell(row, 'appointment_date') === '2026-10-01' && cell(row, 'reverse') === 'true');
    // Client 4 and professional 2 on a reverse item: oriented 2 and 4, so the gap is −2.
    expect(friction && [cell(friction, 'client_value'), cell(friction, 'professional_value'), cell(friction, 'gap')]).toEqual([
      '4',
      '2',
      '-2',
    ]);
    const open = rows.filter((row) => cell(row, 'appointment_date') === '2026-11-15');
    expect(open.map((row) => cell(row, 'client_status') + '/' + cell(row, 'professional_status'))).toEqual(
      Array(pairs).fill('in-progress/missing'),
    );
    // The same relationship keeps one pseudonym within the file.
    expect(new Set(rows.filter((row) => cell(row, 'appointment_date') < '2026-11-15').map((row) => cell(row, 'relationship'))).size).toBe(
      1,
    );

    // A second export cannot be joined to the first.
    expect(await h.run('export', '--format', 'csv', '--out', h.file('again.csv'))).toBe(0);
    const again = (await fs.readFile(h.file('again.csv'), 'utf8')).trimEnd().split('\n').slice(1);
    const pseudonyms = (lines: string[]): Set<string> => new Set(lines.map((row) => cell(row, 'round')));
    expect([...pseudonyms(again)].some((value) => pseudonyms(rows).has(value))).toBe(false);
  });

  it('csv --with-comments adds only shared comments, made safe for spreadsheets', async () => {
    expect(
      await h.run('export', '--format', 'csv', '--with-comments', '--from', '2026-11-01', '--to', '2026-11-01', '--out', h.file('c.csv')),
    ).toBe(0);
    const text = await fs.readFile(h.file('c.csv'), 'utf8');
    expect(text.split('\n')[0]).toContain('client_comment,professional_comment');
    expect(text).toContain(`"'=meer tijd, graag"`);
    expect(text.trimEnd().split('\n')).toHaveLength(1 + bank.items('short', 'client').length);
  });

  it('fhir: NDJSON, first the definitions, then one valid Bundle per round; --round gives one self-contained Bundle', async () => {
    expect(await h.run('export', '--format', 'fhir', '--out', h.file('rounds.ndjson'))).toBe(0);
    const lines = (await fs.readFile(h.file('rounds.ndjson'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 3);
    for (const line of lines) expect(fhirProblems(JSON.parse(line))).toEqual([]);
    const definitions = JSON.parse(lines[0]) as { entry: { resource: { resourceType: string } }[] };
    expect(definitions.entry.filter((entry) => entry.resource.resourceType === 'Questionnaire')).toHaveLength(16);
    const statuses = lines
      .slice(1)
      .map((line) =>
        (JSON.parse(line) as { entry: { resource: { status: string } }[] }).entry.map((entry) => entry.resource.status).join('+'),
      );
    expect(statuses.sort()).toEqual(['completed+completed', 'completed+completed', 'in-progress']);

    expect(await h.run('export', '--format', 'fhir', '--round', 'round-a2', '--out', h.file('one.json'))).toBe(0);
    const one = JSON.parse(await fs.readFile(h.file('one.json'), 'utf8')) as { identifier: { value: string } };
    expect(fhirProblems(one)).toEqual([]);
    expect(one.identifier.value).toBe('round-a2');
    expect(JSON.stringify(one)).toContain('=meer tijd, graag'); // shared, so in the client's file
    expect((await fs.stat(h.file('one.json'))).mode & 0o777).toBe(0o600);
  });

  it('draws a progress bar on stderr when asked, and writes nothing half: no .partial file is left', async () => {
    h.progress.length = 0;
    expect(await h.run('export', '--format', 'csv', '--progress', '--out', h.file('p.csv'))).toBe(0);
    expect(h.progress.join('')).toMatch(/rounds \[#+\] 100% 4\/4/);
    expect((await fs.readdir(h.dir)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it.each([
    [['export', '--out', 'x.csv'], '--format'],
    [['export', '--format', 'xml', '--out', 'x'], '--format'],
    [['export', '--format', 'csv'], '--out'],
    [['export', '--format', 'csv', '--out', 'x', '--from', '1 May'], '--from must be a date'],
    [['export', '--format', 'csv', '--out', 'x', '--from', '2026-12-01', '--to', '2026-01-01'], '--from is after --to'],
    [['export', '--format', 'csv', '--out', 'x', '--colour'], 'Unknown option'],
  ])('refuses %j with a message about %s (exit 2)', async (argv, message) => {
    h.err.length = 0;
    expect(await h.run(...argv)).toBe(2);
    expect(h.err.join('\n')).toContain(message);
  });

  it('every admin command is in the access log, and access-log prints it (filtered by round)', async () => {
    h.out.length = 0;
    expect(await h.run('access-log', '--round', 'round-a2')).toBe(0);
    const entries = h.out.map((line) => JSON.parse(line) as AccessEntry);
    expect(entries.map((entry) => [entry.who, entry.what, entry.detail, entry.roundId])).toEqual([
      ['admin:tester', 'admin-command', 'export', 'round-a2'],
      ['admin:tester', 'admin-command', 'access-log', 'round-a2'],
    ]);
    const all: AccessEntry[] = [];
    for await (const entry of h.accessLog.read({})) all.push(entry);
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(all.every((entry) => entry.who === 'admin:tester' && entry.what === 'admin-command')).toBe(true);
    // The log file holds no answers and no comments.
    const files = await fs.readdir(path.join(h.dir, 'access-log'));
    expect(files).toEqual(['2026-12.jsonl']);
    expect(await fs.readFile(path.join(h.dir, 'access-log', files[0]), 'utf8')).not.toMatch(/meer tijd|"value"/);
  });
});

describe('npm run admin -- check-store', () => {
  it('reports corrupt files untouched, builds the due-time index for rounds stored before it, and repairs the round index', async () => {
    const h = await harness();
    // Rounds written the way a version without the due-time index left them: no entries, no marker.
    const awaiting = storedRound('legacy-open', { status: 'open', clientUserId: null });
    const sent = storedRound('legacy-sent', { summarySentAt: '2026-12-09T00:00:00.000Z' });
    await h.store.write('rounds', awaiting.id, awaiting);
    await h.store.write('rounds', sent.id, sent);
    await h.store.write('round-index', 'code:left-by-a-crash', { roundId: 'deleted-round' });
    await h.store.write('round-due', 'deadline:2026-01-01', { roundIds: ['deleted-round'] });
    await h.store.write('responses', 'broken', { v: 1 });
    const [broken] = await fs.readdir(path.join(h.dir, 'records', 'responses'));
    const brokenFile = path.join(h.dir, 'records', 'responses', broken);
    await fs.writeFile(brokenFile, '{"key": "broken", "va');

    expect(await h.run('check-store', '--progress')).toBe(1);
    expect(h.err.join('\n')).toContain(`1 corrupt files, left untouched:\n  ${brokenFile}: `);
    expect(await fs.readFile(brokenFile, 'utf8')).toBe('{"key": "broken", "va');
    expect(h.progress.join('')).toMatch(/files \[#+\] 100% 5\/5/);
    expect(h.out.join('\n')).toContain('Read 5 files (2 rounds).');
    expect(h.out.join('\n')).toContain('round-index: 7 records added or corrected, 1 stale ones removed.');

    const rounds = new FileRoundRepository(new JsonFileStore(path.join(h.dir, 'records')));
    expect(await rounds.dueIndexReady()).toBe(true);
    expect((await rounds.listAwaitingSummary(new Date('2026-12-10T00:00:00.000Z'))).map((round) => round.id)).toEqual(['legacy-open']);
    expect((await rounds.listAppointmentBefore('2027-01-01', 10)).map((round) => round.id).sort()).toEqual(['legacy-open', 'legacy-sent']);
    expect((await rounds.findByCodeHash('code-legacy-sent'))?.id).toBe('legacy-sent');
    expect(await h.store.read('round-index', 'code:left-by-a-crash')).toBeUndefined();
    expect(await h.store.read('round-due', 'deadline:2026-01-01')).toBeUndefined();

    await fs.rm(brokenFile);
    h.out.length = 0;
    expect(await h.run('check-store')).toBe(0);
    expect(h.out).toEqual([
      'Read 14 files (2 rounds).',
      'round-index: 0 records added or corrected, 0 stale ones removed.',
      'round-due: 0 records added or corrected, 0 stale ones removed.',
      'No corrupt files. The due-time index is built.',
    ]);
  });
});
