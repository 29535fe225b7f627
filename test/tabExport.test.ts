import type { Bundle } from 'fhir/r4';
import type { Form } from '../services/vocabulary';
import { answerSide, exchangeForSession, getWithSession, startTabServer, TabServer } from './helpers/tabFixture';
import { fhirProblems } from './helpers/fhirValidator';

const FORM: Form = 'short';

describe('tab: download one round as FHIR or CSV, and the access log of tab views', () => {
  let server: TabServer;
  let session: string;
  let professionalId: string;
  let done: string;
  let waiting: string;
  let othersRound: string;
  const clientUser = 'client-user-tab-export';

  beforeAll(async () => {
    // Compiling the R4 schema blocks for seconds; doing it first keeps idle keep-alive sockets from timing out mid-test.
    fhirProblems({ resourceType: 'Bundle', type: 'collection' });
    server = await startTabServer({ start: '2025-03-01T09:00:00.000Z' });
    const anna = await server.professionals.addWithAccessLink('Anna');
    const bram = await server.professionals.addWithAccessLink('Bram');
    professionalId = anna.professional.id;
    const open = async (owner: string, label: string, date: string, user: string | null): Promise<string> => {
      const created = await server.rounds.create({
        professionalId: owner,
        clientLabel: label,
        domain: 'debtHelp',
        form: FORM,
        appointmentDate: date,
      });
      if (user) await server.rounds.joinWithCode(created.code, user);
      return created.round.id;
    };
    done = await open(professionalId, 'K-12', '2025-03-05', clientUser);
    await answerSide(server, { professionalId, roundId: done }, 'client', FORM, (i) => (i === 0 ? null : 4));
    await answerSide(server, { professionalId, roundId: done }, 'professional', FORM, () => 2);
    await server.rounds.markComplete(done);
    waiting = await open(professionalId, 'M-7', '2025-04-20', null);
    await answerSide(server, { professionalId, roundId: waiting }, 'professional', FORM, () => 3);
    othersRound = await open(bram.professional.id, 'X-1', '2025-03-06', 'client-user-other');
    await answerSide(server, { professionalId: bram.professional.id, roundId: othersRound }, 'client', FORM, () => 5);
    await answerSide(server, { professionalId: bram.professional.id, roundId: othersRound }, 'professional', FORM, () => 5);
    await server.rounds.markComplete(othersRound);
    server.clock.set('2025-03-10T12:00:00.000Z');
    session = ((await (await exchangeForSession(server, { accessSecret: anna.secret })).json()) as { token: string }).token;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('a revealable round downloads as one self-contained FHIR Bundle with both raters, valid R4', async () => {
    const response = await getWithSession(server, `/api/tab/rounds/${done}/export?format=fhir`, session);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/fhir+json');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="alliance-round-2025-03-05.fhir.json"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const bundle = (await response.json()) as Bundle;
    expect(fhirProblems(bundle)).toEqual([]);
    const types = (bundle.entry ?? []).map((entry) => entry.resource?.resourceType);
    expect(types.filter((type) => type === 'QuestionnaireResponse')).toHaveLength(2);
    expect(types.filter((type) => type === 'Questionnaire')).toHaveLength(2);
  });

  it('the CSV has one row per item pair, pseudonymised: no round id, chat id or professional id in it', async () => {
    const response = await getWithSession(server, `/api/tab/rounds/${done}/export?format=csv`, session);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const text = await response.text();
    const [header, ...rows] = text.trimEnd().split('\n');
    expect(header.split(',')).toContain('gap');
    expect(header).not.toContain('comment');
    expect(rows).toHaveLength(server.bank.items(FORM, 'client').length);
    for (const id of [done, clientUser, professionalId, 'K-12']) expect(text).not.toContain(id);
    // Two downloads of the same round cannot be joined: the salt is new each time.
    const again = await (await getWithSession(server, `/api/tab/rounds/${done}/export?format=csv`, session)).text();
    expect(again.split('\n')[1].split(',')[0]).not.toBe(rows[0].split(',')[0]);
  });

  it.each([
    ['a round that is not revealable yet', () => `/api/tab/rounds/${waiting}/export`, 409],
    ["another professional's round", () => `/api/tab/rounds/${othersRound}/export`, 404],
    ['an unknown round', () => '/api/tab/rounds/nope/export', 404],
    ['an unknown format', () => `/api/tab/rounds/${done}/export?format=xml`, 400],
  ])('refuses %s', async (_name, path, status) => {
    expect((await getWithSession(server, path(), session)).status).toBe(status);
  });

  it('refuses a download without a session', async () => {
    expect((await getWithSession(server, `/api/tab/rounds/${done}/export`, null)).status).toBe(401);
  });

  it('the access log has every tab view and download: who, what, which round, when; never answers', async () => {
    server.accessLog.entries = [];
    await getWithSession(server, '/api/tab/rounds', session);
    await getWithSession(server, '/api/tab/clients', session);
    await getWithSession(server, `/api/tab/rounds/${done}/summary`, session);
    await getWithSession(server, `/api/tab/rounds/${done}/export?format=fhir`, session);
    await getWithSession(server, `/api/tab/rounds/${waiting}/summary`, session); // 409: nothing shown, nothing logged
    const who = `professional:${professionalId}`;
    expect(server.accessLog.entries).toEqual([
      { at: '2025-03-10T12:00:00.000Z', who, what: 'tab-rounds', roundId: null },
      { at: '2025-03-10T12:00:00.000Z', who, what: 'tab-clients', roundId: null },
      { at: '2025-03-10T12:00:00.000Z', who, what: 'tab-summary', roundId: done },
      { at: '2025-03-10T12:00:00.000Z', who, what: 'tab-export', roundId: done, detail: 'fhir' },
    ]);
  });
});
