import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../config';
import { RunningBot, startBot } from '../composition/startBot';
import { runAdmin } from '../scripts/admin';
import { DataCommands, fileDataRecords } from '../scripts/dataCommands';
import type { AccessEntry } from '../services/access/accessLog';
import { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../services/questionnaire/itemBank';
import { FileAccessLog } from '../storage/fileAccessLog';
import { FileProfessionalRepository } from '../storage/fileProfessionalRepository';
import type { SubjectData } from '../storage/fileSubjectRecords';
import { JsonFileStore } from '../storage/jsonFileStore';
import { cardSays, playRound } from './helpers/chatRound';
import { seedProfessional } from './helpers/seed';

/** Every file under `dir` (records, access log, secrets, anything else) that contains `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = await fs.readFile(file, 'utf8');
    if (text.includes(needle)) found.push(`${path.relative(dir, file)}: ${text.slice(0, 300)}`);
  }
  return found;
}

async function leftovers(dir: string, ids: string[]): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const id of ids) {
    const files = await filesContaining(dir, id);
    if (files.length > 0) result[id] = files;
  }
  return result;
}

describe("a person's data: subject-export and subject-erase after real chat rounds", () => {
  let dataDir: string;
  let bot: RunningBot;
  let professionalId: string;
  let clientA: { userId: string; conversationId: string; roundId: string };
  let clientB: { userId: string; conversationId: string; roundId: string };
  let professionalSession: { userId: string; conversationId: string };
  const out: string[] = [];
  const err: string[] = [];
  let answer: string | null = null;

  async function admin(...argv: string[]): Promise<number> {
    const store = new JsonFileStore(path.join(dataDir, 'records'));
    const now = (): Date => new Date();
    const data = new DataCommands({
      records: fileDataRecords(store),
      bank: () => loadItemBank(DEFAULT_ITEM_BANK_PATH),
      accessLog: new FileAccessLog(path.join(dataDir, 'access-log'), 365, now),
      now,
      login: 'dpo',
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      progress: { isTTY: false, write: () => true },
      ask: async () => answer,
    });
    const directory = new ProfessionalDirectory(
      new FileProfessionalRepository(store),
      now,
      () => 'unused',
      () => Buffer.alloc(32),
    );
    const code = await runAdmin(argv, { directory, publicUrl: 'http://localhost', out: (t) => out.push(t), err: (t) => err.push(t), data });
    await store.flush();
    return code;
  }

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'subject-erase-'));
    bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    const seeded = await seedProfessional(dataDir, 'Sam');
    professionalId = seeded.professionalId;

    // Round 1: both sides answer; the summary arrives proactively, then the professional asks for it again.
    const first = await playRound(bot.origin, seeded.secret, { clientLabel: 'K-12', professionalAnswers: true });
    await first.pro.waitFor(cardSays(/Per onderdeel/), 'the summary card', 10000);
    await first.pro.click({ verb: 'showSummary', roundId: first.roundId });
    await first.pro.waitFor(cardSays(/Per onderdeel/), 'the summary on request');
    // Round 2: another client answers; the professional does not.
    await first.pro.click({ verb: 'menu' }).catch(() => undefined);
    const second = await playRound(bot.origin, seeded.secret, { clientLabel: 'M-7', professionalAnswers: false, pro: first.pro });

    clientA = { ...first.client.session, roundId: first.roundId };
    clientB = { ...second.client.session, roundId: second.roundId };
    professionalSession = first.pro.session;
    await bot.stop();
  }, 90000);

  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('every summary shown in chat is in the access log: the one sent proactively and the one asked for', async () => {
    const log = new FileAccessLog(path.join(dataDir, 'access-log'), 365);
    const entries: AccessEntry[] = [];
    for await (const entry of log.read({ roundId: clientA.roundId })) entries.push(entry);
    expect(entries.map((entry) => [entry.who, entry.what, entry.detail])).toEqual([
      [`professional:${professionalId}`, 'chat-summary', 'bothDone'],
      [`professional:${professionalId}`, 'chat-summary', 'onRequest'],
    ]);
  });

  it('subject-export writes everything stored about a client: their round, their own answers, their conversation and state', async () => {
    const file = path.join(dataDir, '..', `subject-${path.basename(dataDir)}.json`);
    expect(await admin('subject-export', `directline:${clientA.userId}`, '--out', file)).toBe(0);
    const data = JSON.parse(await fs.readFile(file, 'utf8')) as SubjectData;
    await fs.rm(file);
    expect(data.personIds.sort()).toEqual([clientA.userId, `directline:${clientA.userId}`].sort());
    expect(data.rounds.map((round) => round.id)).toEqual([clientA.roundId]);
    expect(data.responseSets.map((set) => set.perspective)).toEqual(['client']);
    expect(data.conversationReferences.map((reference) => reference.key)).toEqual([`client:directline:${clientA.userId}`]);
    expect(data.directLineConversations.map((record) => record.key)).toEqual([clientA.conversationId]);
    expect(data.botState.map((record) => record.key).sort()).toEqual(
      [`directline/conversations/${clientA.conversationId}/`, `directline/users/${clientA.userId}/`].sort(),
    );
    // The views of their round, and this very request (noted before it ran).
    expect(data.accessLog.map((entry) => entry.detail)).toEqual(['bothDone', 'onRequest', 'subject-export']);
  });

  it('subject-erase asks first: no terminal or a wrong id erases nothing', async () => {
    answer = null;
    expect(await admin('subject-erase', clientA.userId)).toBe(2);
    answer = 'something else';
    expect(await admin('subject-erase', clientA.userId)).toBe(1);
    expect(await filesContaining(dataDir, clientA.userId)).not.toEqual([]);
  });

  it('subject-erase of a client leaves no trace of their ids anywhere in DATA_DIR, and leaves the others alone', async () => {
    const store = new JsonFileStore(path.join(dataDir, 'records'));
    const setIds: string[] = [];
    for await (const { value } of store.stream<{ id: string; roundId: string | null }>('responses')) {
      if (value.roundId === clientA.roundId) setIds.push(value.id);
    }
    expect(setIds).toHaveLength(2);

    answer = clientA.userId;
    out.length = 0;
    expect(await admin('subject-erase', clientA.userId)).toBe(0);
    // Found by the structured pass, not only by the final sweep.
    expect(out.join('\n')).not.toContain('more records that named them');
    expect(out.join('\n')).toMatch(
      /Erased .*: 1 rounds, 2 response sets, 1 conversation references, 2 bot state records, 1 Direct Line conversations/,
    );
    expect(await leftovers(dataDir, [clientA.userId, clientA.conversationId, clientA.roundId, ...setIds])).toEqual({});

    // Client B, their round and the professional are untouched.
    for (const id of [clientB.userId, clientB.roundId, professionalId]) expect(await filesContaining(dataDir, id)).not.toEqual([]);
    // The access log still shows that a summary was viewed, without whose round it was.
    const log: AccessEntry[] = [];
    for await (const entry of new FileAccessLog(path.join(dataDir, 'access-log'), 365).read({ roundId: 'erased' })) log.push(entry);
    expect(log.map((entry) => entry.what)).toEqual(['chat-summary', 'chat-summary']);
  });

  it('subject-erase --yes of a professional removes them, their channel identity, their rounds and index entries', async () => {
    out.length = 0;
    expect(await admin('subject-erase', professionalId, '--yes')).toBe(0);
    expect(out.join('\n')).toContain('the professional record');
    expect(out.join('\n')).not.toContain('more records that named them');
    expect(await leftovers(dataDir, [professionalId, professionalSession.userId, professionalSession.conversationId])).toEqual({});
    // Their round with client B is gone with both sides; client B's own chat state stays theirs, and
    // only its pointer to the erased round still names that round.
    const roundLeft = await filesContaining(dataDir, clientB.roundId);
    expect(roundLeft).toHaveLength(1);
    expect(roundLeft[0]).toContain(`directline/users/${clientB.userId}/`);
    // The professional index and the round index hold nothing of theirs.
    const records = path.join(dataDir, 'records');
    for (const collection of ['professionals', 'professional-index']) {
      expect(await fs.readdir(path.join(records, collection)).catch(() => [])).toEqual([]);
    }
  });
});
