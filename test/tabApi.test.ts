import { randomBytes } from 'node:crypto';
import type { ItemBank } from '../services/questionnaire/itemBank';
import type { SummaryModel } from '../services/summary/professionalSummary';
import { DIMENSIONS, Dimension, Form } from '../services/vocabulary';
import { AzureAdSsoTokenValidator, HttpJwksProvider } from '../server/ssoTokenValidator';
import { createTabLinkToken, overviewLinks, STATIC_TAB_ENTITY_ID, TabClientsResponse, TabRoundView } from '../server/tabApi';
import { TokenSigner } from '../server/tokenSigner';
import { AnswerPlan, answerSide, exchangeForSession, getWithSession, startTabServer, TabServer } from './helpers/tabFixture';
import { LocalJwksProvider, newSigningKey, signJwt, ssoClaims, TestSigningKey } from './helpers/tabSsoTokens';

const START = '2025-03-01T09:00:00.000Z';
/** After rounds 1 and 2 of K-12, before the deadlines of K-12's third round and of M-7's round. */
const VIEWING = '2025-03-25T12:00:00.000Z';
const APP_ID = '0f5c2a9e-3b7d-4c1a-9e2f-6a8b1c3d5e7f';
const DOMAIN = 'bot.example.org';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const FORM: Form = 'short';

// Raw answers by item position; friction items are reverse, so the expected means orient them by hand.
const PLANS: Record<string, AnswerPlan> = {
  k12r1Client: (i) => ([4, 2, 5, 3, 1] as const)[i % 5],
  k12r1Pro: (i) => ([3, 4, 4, 5] as const)[i % 4],
  k12r2Client: (i) => ([5, 4, 4, 3, 2, 5] as const)[i % 6],
  // A skip counts as nothing, never as 0.
  k12r2Pro: (i) => (i === 0 ? null : ([4, 3] as const)[i % 2]),
  k12r3Client: () => 1,
  m7Pro: (i) => ([2, 5] as const)[i % 2],
  otherClient: () => 3,
  otherPro: () => 2,
};

type Means = Record<Dimension, { client: number | null; professional: number | null }>;

/** The oriented mean per dimension, worked out from the plans and the items, independent of comparePair. */
function expectedMeans(bank: ItemBank, clientPlan: AnswerPlan | null, proPlan: AnswerPlan | null): Means {
  const clientItems = bank.items(FORM, 'client');
  const proItems = bank.items(FORM, 'professional');
  const orient = (raw: number | null, reverse: boolean): number | null => (raw === null ? null : reverse ? 6 - raw : raw);
  const mean = (values: (number | null)[]): number | null => {
    const given = values.filter((v): v is number => v !== null);
    return given.length === 0 ? null : given.reduce((a, b) => a + b, 0) / given.length;
  };
  return perDimension((dimension) => {
    const inDimension = clientItems.filter((item) => item.dimension === dimension);
    return {
      client: clientPlan ? mean(inDimension.map((item) => orient(clientPlan(clientItems.indexOf(item)), item.reverse))) : null,
      professional: proPlan
        ? mean(
            inDimension.map((item) => {
              const twin = bank.twinOf(item.id);
              const index = proItems.findIndex((candidate) => candidate.id === twin?.id);
              return orient(proPlan(index), item.reverse);
            }),
          )
        : null,
    };
  });
}

function perDimension<T>(value: (dimension: Dimension) => T): Record<Dimension, T> {
  return { direction: value('direction'), trust: value('trust'), bond: value('bond'), friction: value('friction') };
}

function nullMeans(): Means {
  return perDimension(() => ({ client: null, professional: null }));
}

interface Seeded {
  proA: { id: string; secret: string };
  proB: { id: string; secret: string };
  k12: string[];
  m7: string;
  cancelled: string;
  otherRound: string;
  /** Everything that must never reach the tab. */
  secrets: string[];
}

async function seed(server: TabServer): Promise<Seeded> {
  const a = await server.professionals.addWithAccessLink('Anna de Vries');
  const b = await server.professionals.addWithAccessLink('Bram Jansen');
  const secrets: string[] = [a.secret, b.secret];

  const open = async (professionalId: string, clientLabel: string, appointmentDate: string, clientUser: string | null) => {
    const created = await server.rounds.create({ professionalId, clientLabel, domain: 'probation', form: FORM, appointmentDate });
    secrets.push(
      created.code,
      created.code.replace('-', ''),
      created.linkToken,
      created.round.invitation.codeHash,
      created.round.invitation.linkTokenHash,
    );
    if (clientUser) {
      const joined = await server.rounds.joinWithCode(created.code, clientUser);
      if (joined.kind !== 'joined') throw new Error(`join failed: ${JSON.stringify(joined)}`);
      secrets.push(clientUser);
    }
    return created.round.id;
  };
  const both = async (professionalId: string, roundId: string, clientPlan: AnswerPlan, proPlan: AnswerPlan) => {
    secrets.push(await answerSide(server, { professionalId, roundId }, 'client', FORM, clientPlan));
    secrets.push(await answerSide(server, { professionalId, roundId }, 'professional', FORM, proPlan));
    await server.rounds.markComplete(roundId);
  };

  const k12r1 = await open(a.professional.id, 'K-12', '2025-03-05', 'client-user-k12');
  await both(a.professional.id, k12r1, PLANS.k12r1Client, PLANS.k12r1Pro);
  const k12r2 = await open(a.professional.id, 'K-12', '2025-03-19', 'client-user-k12');
  await both(a.professional.id, k12r2, PLANS.k12r2Client, PLANS.k12r2Pro);
  // The client is done, the professional is not, the deadline (1 April) is ahead: nothing may show.
  const k12r3 = await open(a.professional.id, 'K-12', '2025-04-02', 'client-user-k12');
  secrets.push(await answerSide(server, { professionalId: a.professional.id, roundId: k12r3 }, 'client', FORM, PLANS.k12r3Client));
  // Only the professional answered; the client never joined; the deadline is 27 March.
  const m7 = await open(a.professional.id, 'M-7', '2025-03-28', null);
  secrets.push(await answerSide(server, { professionalId: a.professional.id, roundId: m7 }, 'professional', FORM, PLANS.m7Pro));
  const cancelled = await open(a.professional.id, 'Z-3', '2025-03-30', null);
  await server.rounds.cancel(cancelled, a.professional.id);

  const otherRound = await open(b.professional.id, 'X-1', '2025-03-10', 'client-user-x1');
  await both(b.professional.id, otherRound, PLANS.otherClient, PLANS.otherPro);

  return {
    proA: { id: a.professional.id, secret: a.secret },
    proB: { id: b.professional.id, secret: b.secret },
    k12: [k12r1, k12r2, k12r3],
    m7,
    cancelled,
    otherRound,
    secrets,
  };
}

describe('tab API', () => {
  let server: TabServer;
  let seeded: Seeded;
  let sessionA: string;
  let ssoKey: TestSigningKey;

  beforeAll(async () => {
    ssoKey = newSigningKey('entra-key-1');
    const validator = new AzureAdSsoTokenValidator({ appId: APP_ID, domain: DOMAIN, jwks: new LocalJwksProvider([ssoKey.jwk]) });
    server = await startTabServer({ start: START, ssoValidator: validator, allowedTenantIds: [TENANT] });
    seeded = await seed(server);
    server.clock.set(VIEWING);
    const response = await exchangeForSession(server, { accessSecret: seeded.proA.secret });
    expect(response.status).toBe(200);
    sessionA = ((await response.json()) as { token: string }).token;
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('the page', () => {
    it('serves the tab page with a strict content security policy, and the teams-js bundle', async () => {
      const page = await fetch(`${server.origin}/tab`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(page.headers.get('content-security-policy')).toContain('frame-ancestors');
      const html = await page.text();
      expect(html).toContain('/vendor/teams-js.js');
      expect(html).toContain('/assets/tab.js');

      const teamsJs = await fetch(`${server.origin}/vendor/teams-js.js`);
      expect(teamsJs.status).toBe(200);
      expect(teamsJs.headers.get('content-type')).toContain('javascript');
      expect(await teamsJs.text()).toContain('microsoftTeams');

      for (const asset of ['/assets/tab.js', '/assets/tab.css']) expect((await fetch(`${server.origin}${asset}`)).status).toBe(200);
    });
  });

  describe('POST /api/tab/session', () => {
    it('gives a session for a personal access link, without a hint whether someone exists', async () => {
      const ok = await exchangeForSession(server, { accessSecret: seeded.proA.secret });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('cache-control')).toBe('no-store');
      const body = (await ok.json()) as { token: string; expiresInSeconds: number; displayName: string };
      expect(body).toMatchObject({ expiresInSeconds: 3600, displayName: 'Anna de Vries' });
      expect(server.signer.verify(body.token, 'tab')).toMatchObject({ userId: seeded.proA.id });

      const wellFormedUnknown = randomBytes(32).toString('base64url');
      const refusals = await Promise.all([
        exchangeForSession(server, {}),
        exchangeForSession(server, { accessSecret: 'nope' }),
        exchangeForSession(server, { accessSecret: wellFormedUnknown }),
        exchangeForSession(server, { accessSecret: 42 }),
        exchangeForSession(server, { tabLink: 'forged.token' }),
      ]);
      const bodies = await Promise.all(refusals.map((response) => response.text()));
      expect(refusals.map((response) => response.status)).toEqual([401, 401, 401, 401, 401]);
      // One and the same answer, so a refusal tells nothing about which professionals exist.
      expect(new Set(bodies).size).toBe(1);
      expect(bodies[0]).toContain('Unauthorized');
    });

    it('takes a chat link (15 minutes) but not a session as a link, nor a link as a session', async () => {
      const link = createTabLinkToken(server.signer, seeded.proA.id);
      const claims = server.signer.verify(link, 'tab');
      expect(claims && claims.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(14 * 60);
      expect(claims && claims.exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(15 * 60);

      const exchanged = await exchangeForSession(server, { tabLink: link });
      expect(exchanged.status).toBe(200);
      const { token } = (await exchanged.json()) as { token: string };
      expect((await getWithSession(server, '/api/tab/rounds', token)).status).toBe(200);

      expect((await getWithSession(server, '/api/tab/rounds', link)).status).toBe(401);
      expect((await exchangeForSession(server, { tabLink: sessionA })).status).toBe(401);
    });

    it('takes each chat link once; a second link works on its own', async () => {
      const link = createTabLinkToken(server.signer, seeded.proA.id);
      const other = createTabLinkToken(server.signer, seeded.proA.id);
      expect(other).not.toBe(link);
      expect((await exchangeForSession(server, { tabLink: link })).status).toBe(200);
      expect((await exchangeForSession(server, { tabLink: link })).status).toBe(401);
      expect((await exchangeForSession(server, { tabLink: other })).status).toBe(200);
    });

    it('makes "Overzicht" links: the static tab in Teams when the app id is known, else a one-time web link that signs in', async () => {
      const links = overviewLinks(server.signer, 'https://bot.example.org', '00000000-0000-0000-0000-0000000000aa', server.professionals);
      expect(await links(seeded.proA.id, 'msteams')).toBe(
        `https://teams.microsoft.com/l/entity/00000000-0000-0000-0000-0000000000aa/${STATIC_TAB_ENTITY_ID}`,
      );
      const web = await links(seeded.proA.id, 'directline');
      expect(web).toMatch(/^https:\/\/bot\.example\.org\/tab\?link=[A-Za-z0-9_.%-]+$/);
      const token = decodeURIComponent(new URL(web ?? '').searchParams.get('link') ?? '');
      expect((await exchangeForSession(server, { tabLink: token })).status).toBe(200);
      expect(await overviewLinks(server.signer, 'https://bot.example.org', null, server.professionals)(seeded.proA.id, 'msteams')).toMatch(
        /\/tab\?link=/,
      );
      expect(await links('nobody', 'directline')).toBeNull();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const manifest = require('../appPackage/manifest.json') as { staticTabs: { entityId: string }[] };
      expect(manifest.staticTabs.map((tab) => tab.entityId)).toContain(STATIC_TAB_ENTITY_ID);
    });
  });

  describe('refusals on data routes', () => {
    const routes = (): string[] => ['/api/tab/rounds', '/api/tab/clients', `/api/tab/rounds/${seeded.k12[0]}/summary`];

    it('refuses requests without a session, or with a forged, foreign or malformed one', async () => {
      const forger = new TokenSigner(randomBytes(32));
      const forged = forger.sign({ purpose: 'tab', userId: seeded.proA.id, conversationId: 'tab-session' }, 3600);
      const wrongPurpose = server.signer.sign({ purpose: 'directline', userId: seeded.proA.id }, 3600);
      const unknownPro = server.signer.sign({ purpose: 'tab', userId: 'pro-999', conversationId: 'tab-session' }, 3600);
      for (const route of routes()) {
        for (const token of [null, forged, wrongPurpose, unknownPro, 'garbage', `${sessionA}x`]) {
          const response = await getWithSession(server, route, token);
          expect({ route, status: response.status }).toEqual({ route, status: 401 });
          expect(response.headers.get('cache-control')).toBe('no-store');
        }
      }
    });

    it('refuses a revoked professional at once, also with a session from before', async () => {
      const added = await server.professionals.addWithAccessLink('Carla Smit');
      const response = await exchangeForSession(server, { accessSecret: added.secret });
      const { token } = (await response.json()) as { token: string };
      expect((await getWithSession(server, '/api/tab/rounds', token)).status).toBe(200);

      await server.professionals.revoke(added.professional.id);
      for (const route of ['/api/tab/rounds', '/api/tab/clients']) expect((await getWithSession(server, route, token)).status).toBe(401);
      expect((await exchangeForSession(server, { accessSecret: added.secret })).status).toBe(401);
      expect((await exchangeForSession(server, { tabLink: createTabLinkToken(server.signer, added.professional.id) })).status).toBe(401);
    });

    it("answers 404 for another professional's round, exactly as for an unknown one", async () => {
      const foreign = await getWithSession(server, `/api/tab/rounds/${seeded.otherRound}/summary`, sessionA);
      const unknown = await getWithSession(server, '/api/tab/rounds/round-does-not-exist/summary', sessionA);
      expect(foreign.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect(await foreign.text()).toBe(await unknown.text());
    });
  });

  describe('GET /api/tab/rounds', () => {
    it('lists only their own rounds, with status, and no secrets, hashes or client ids', async () => {
      const response = await getWithSession(server, '/api/tab/rounds', sessionA);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const text = await response.text();
      const { rounds } = JSON.parse(text) as { rounds: TabRoundView[] };

      expect(rounds.map((round) => round.id).sort()).toEqual([...seeded.k12, seeded.m7, seeded.cancelled].sort());
      for (const secret of seeded.secrets) expect(text).not.toContain(secret);
      expect(text).not.toContain(seeded.otherRound);
      expect(text).not.toContain('X-1');
      expect(text).not.toMatch(/hash|clientUserId|invitation|ResponseSetId/i);

      const byId = new Map(rounds.map((round) => [round.id, round]));
      expect(byId.get(seeded.k12[0])).toMatchObject({
        clientLabel: 'K-12',
        appointmentDate: '2025-03-05',
        status: 'complete',
        clientJoined: true,
        clientCompleted: true,
        professionalCompleted: true,
        revealable: true,
        waitingFor: [],
      });
      expect(byId.get(seeded.k12[2])).toMatchObject({
        status: 'open',
        clientJoined: true,
        clientCompleted: true,
        professionalCompleted: false,
        revealable: false,
        waitingFor: ['professional'],
        summarySentAt: null,
      });
      expect(byId.get(seeded.m7)).toMatchObject({
        clientLabel: 'M-7',
        clientJoined: false,
        clientCompleted: false,
        professionalCompleted: true,
        revealable: false,
        waitingFor: ['client'],
      });
      expect(byId.get(seeded.cancelled)).toMatchObject({ status: 'cancelled', revealable: false, waitingFor: [] });
    });
  });

  describe('GET /api/tab/clients', () => {
    it('gives per client the means per dimension over the rounds, oldest first, matching hand-computed means', async () => {
      const response = await getWithSession(server, '/api/tab/clients?locale=en', sessionA);
      expect(response.status).toBe(200);
      const body = (await response.json()) as TabClientsResponse;

      expect(body.dimensions.map((d) => d.key)).toEqual([...DIMENSIONS]);
      expect(body.dimensions.map((d) => d.label)).toEqual(DIMENSIONS.map((d) => server.bank.dimensionLabel(d, 'en')));
      // Cancelled rounds are not part of anyone's series.
      expect(body.clients.map((client) => client.clientLabel)).toEqual(['K-12', 'M-7']);

      const k12 = body.clients[0];
      expect(k12.points.map((point) => point.roundId)).toEqual(seeded.k12);
      expect(k12.points.map((point) => point.revealable)).toEqual([true, true, false]);
      const expectations = [
        expectedMeans(server.bank, PLANS.k12r1Client, PLANS.k12r1Pro),
        expectedMeans(server.bank, PLANS.k12r2Client, PLANS.k12r2Pro),
      ];
      expectations.forEach((expected, index) => {
        for (const dimension of DIMENSIONS) {
          const actual = k12.points[index].values[dimension];
          expect(actual.client).toBeCloseTo(expected[dimension].client ?? Number.NaN, 10);
          expect(actual.professional).toBeCloseTo(expected[dimension].professional ?? Number.NaN, 10);
        }
      });
    });

    it('shows no numbers before a round may be revealed, and shows them once the deadline passed', async () => {
      const before = (await (await getWithSession(server, '/api/tab/clients', sessionA)).json()) as TabClientsResponse;
      const k12Pending = before.clients[0].points[2];
      const m7 = before.clients[1].points[0];
      expect(k12Pending.values).toEqual(nullMeans());
      expect(m7).toMatchObject({ roundId: seeded.m7, revealable: false });
      expect(m7.values).toEqual(nullMeans());

      server.clock.set('2025-03-27T00:00:00.000Z');
      try {
        const after = (await (await getWithSession(server, '/api/tab/clients', sessionA)).json()) as TabClientsResponse;
        const revealed = after.clients.find((client) => client.clientLabel === 'M-7')?.points[0];
        expect(revealed?.revealable).toBe(true);
        const expected = expectedMeans(server.bank, null, PLANS.m7Pro);
        for (const dimension of DIMENSIONS) {
          expect(revealed?.values[dimension].client).toBeNull();
          expect(revealed?.values[dimension].professional).toBeCloseTo(expected[dimension].professional ?? Number.NaN, 10);
        }
      } finally {
        server.clock.set(VIEWING);
      }
    });
  });

  describe('GET /api/tab/rounds/:id/summary', () => {
    it('gives the summary with the trend from the previous round, in the asked language', async () => {
      const response = await getWithSession(server, `/api/tab/rounds/${seeded.k12[1]}/summary?locale=en`, sessionA);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const model = (await response.json()) as SummaryModel;
      expect(model.locale).toBe('en');
      expect(model.clientLabel).toBe('K-12');
      expect(model.dimensions.map((row) => row.dimension)).toEqual([...DIMENSIONS]);
      expect(model.trend.length).toBeGreaterThan(0);
      const expected = expectedMeans(server.bank, PLANS.k12r2Client, PLANS.k12r2Pro);
      expect(model.dimensions[0].client).toBeCloseTo(expected.direction.client ?? Number.NaN, 10);

      const first = (await (await getWithSession(server, `/api/tab/rounds/${seeded.k12[0]}/summary`, sessionA)).json()) as SummaryModel;
      expect(first.locale).toBe('nl');
      expect(first.trend).toEqual([]);
      expect(first.trendNote).not.toBeNull();
    });

    it('answers 409 with a plain reason while a round may not be revealed', async () => {
      const waiting = await getWithSession(server, `/api/tab/rounds/${seeded.k12[2]}/summary`, sessionA);
      expect(waiting.status).toBe(409);
      const body = (await waiting.json()) as { error: { code: string; reason: string; waitingFor: string[]; message: string } };
      expect(body.error).toMatchObject({ code: 'NotRevealable', reason: 'waiting', waitingFor: ['professional'] });
      expect(body.error.message).toMatch(/deadline/);
      expect(JSON.stringify(body)).not.toMatch(/"(client|professional)":\s*\d/);

      const cancelled = await getWithSession(server, `/api/tab/rounds/${seeded.cancelled}/summary`, sessionA);
      expect(cancelled.status).toBe(409);
      expect(((await cancelled.json()) as { error: { reason: string } }).error.reason).toBe('cancelled');
    });
  });

  describe('Teams single sign-on', () => {
    const claims = (overrides: Record<string, unknown> = {}) => ({
      ...ssoClaims({
        appId: APP_ID,
        domain: DOMAIN,
        tenantId: TENANT,
        objectId: '4d6f1a2b-1111-4222-8333-944455556666',
        name: 'Dana Teams',
      }),
      ...overrides,
    });

    it('turns a valid Teams token into a session of a (new) Teams professional with no rounds', async () => {
      const response = await exchangeForSession(server, { teamsSsoToken: signJwt(ssoKey, claims()) });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { token: string; displayName: string };
      expect(body.displayName).toBe('Dana Teams');
      const rounds = await getWithSession(server, '/api/tab/rounds', body.token);
      expect(rounds.status).toBe(200);
      expect(await rounds.json()).toEqual({ rounds: [], next: null });

      // The app id as audience and the v1 issuer are what Entra sends for some clients.
      const v1 = await exchangeForSession(server, {
        teamsSsoToken: signJwt(ssoKey, claims({ aud: APP_ID, iss: `https://sts.windows.net/${TENANT}/` })),
      });
      expect(v1.status).toBe(200);
      expect(server.signer.verify(((await v1.json()) as { token: string }).token, 'tab')?.userId).toBe(
        server.signer.verify(body.token, 'tab')?.userId,
      );
    });

    it.each([
      ['a wrong audience', () => signJwt(ssoKey, claims({ aud: 'api://evil.example.org/' + APP_ID }))],
      ['an expired token (beyond the 5 minutes of skew)', () => signJwt(ssoKey, claims({ exp: Math.floor(Date.now() / 1000) - 301 }))],
      ['a token not valid yet', () => signJwt(ssoKey, claims({ nbf: Math.floor(Date.now() / 1000) + 600 }))],
      [
        'a tenant that is not allowed',
        () => signJwt(ssoKey, claims({ tid: OTHER_TENANT, iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` })),
      ],
      [
        'an issuer of another tenant than the token names',
        () => signJwt(ssoKey, claims({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` })),
      ],
      ['a bad signature', () => signJwt(newSigningKey(ssoKey.kid), claims())],
      ['an unknown key id', () => signJwt(ssoKey, claims(), { kid: 'unknown-key' })],
      [
        'a changed payload',
        () => {
          const [head, , signature] = signJwt(ssoKey, claims()).split('.');
          return `${head}.${Buffer.from(JSON.stringify(claims({ oid: '00000000-0000-4000-8000-000000000000' }))).toString('base64url')}.${signature}`;
        },
      ],
      [
        'alg none',
        () =>
          `${Buffer.from(JSON.stringify({ alg: 'none', kid: ssoKey.kid })).toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`,
      ],
      ['an app-only token without the user scope', () => signJwt(ssoKey, claims({ scp: undefined, roles: ['Something.All'] }))],
      ['not a token at all', () => 'not-a-jwt'],
    ])('refuses %s with 401', async (_name, token) => {
      const response = await exchangeForSession(server, { teamsSsoToken: token() });
      expect(response.status).toBe(401);
    });

    it('accepts a token that expired within the clock skew', async () => {
      const response = await exchangeForSession(server, {
        teamsSsoToken: signJwt(ssoKey, claims({ exp: Math.floor(Date.now() / 1000) - 120 })),
      });
      expect(response.status).toBe(200);
    });
  });
});

describe('HttpJwksProvider', () => {
  it('caches the key set, refetches for an unknown key at most every 5 minutes, and keeps the last good keys', async () => {
    let now = 1_000_000;
    let calls = 0;
    let document: unknown = { keys: [{ kid: 'a', kty: 'RSA', n: 'nn', e: 'AQAB', x5c: ['ignored'] }] };
    const provider = new HttpJwksProvider({
      now: () => now,
      fetchJson: async () => {
        calls += 1;
        if (document instanceof Error) throw document;
        return document;
      },
    });

    expect(await provider.getKey('a')).toEqual({ kid: 'a', kty: 'RSA', n: 'nn', e: 'AQAB' });
    expect(await provider.getKey('a')).not.toBeNull();
    expect(calls).toBe(1);

    // A made-up key id must not make us fetch on every request.
    expect(await provider.getKey('b')).toBeNull();
    expect(await provider.getKey('c')).toBeNull();
    expect(calls).toBe(1);

    now += 5 * 60 * 1000;
    document = {
      keys: [
        { kid: 'a', kty: 'RSA', n: 'nn', e: 'AQAB' },
        { kid: 'b', kty: 'RSA', n: 'mm', e: 'AQAB' },
      ],
    };
    expect(await provider.getKey('b')).not.toBeNull();
    expect(calls).toBe(2);

    now += 25 * 60 * 60 * 1000;
    document = new Error('offline');
    expect(await provider.getKey('a')).not.toBeNull();
    expect(calls).toBe(3);
  });
});

describe('the tab in pages', () => {
  let server: TabServer;
  let session: string;
  beforeAll(async () => {
    server = await startTabServer({ start: '2026-01-05T09:00:00.000Z' });
    const { professional, secret } = await server.professionals.addWithAccessLink('Sam');
    // 55 rounds of three clients, one appointment a day; a round of each client every third day.
    for (let n = 0; n < 55; n += 1) {
      const appointmentDate = new Date(Date.parse('2026-02-01T00:00:00.000Z') + n * 86_400_000).toISOString().slice(0, 10);
      await server.rounds.create({
        professionalId: professional.id,
        clientLabel: ['A-1', 'B-2', 'c-3'][n % 3],
        domain: null,
        form: 'short',
        appointmentDate,
      });
    }
    const response = await exchangeForSession(server, { accessSecret: secret });
    session = ((await response.json()) as { token: string }).token;
  }, 60_000);
  afterAll(async () => server.close());

  async function page<T>(route: string): Promise<T> {
    const response = await getWithSession(server, route, session);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  it('lists rounds 20 at a time, newest appointment first, until next is null', async () => {
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const body: { rounds: TabRoundView[]; next: string | null } = await page(
        `/api/tab/rounds${next ? `?cursor=${encodeURIComponent(next)}` : ''}`,
      );
      expect(body.rounds.length).toBeLessThanOrEqual(20);
      seen.push(...body.rounds.map((round) => round.appointmentDate));
      next = body.next;
      pages += 1;
    } while (next !== null);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(55);
    expect(seen).toEqual([...seen].sort().reverse());
  });

  it('groups each page of rounds by client; the next page brings the older rounds of the same clients', async () => {
    const first: TabClientsResponse = await page('/api/tab/clients');
    expect(first.clients.map((client) => client.key)).toEqual(['a-1', 'c-3', 'b-2']);
    expect(first.clients.reduce((sum, client) => sum + client.points.length, 0)).toBe(50);
    expect(first.next).not.toBeNull();
    const second: TabClientsResponse = await page(`/api/tab/clients?cursor=${encodeURIComponent(first.next ?? '')}`);
    expect(second.next).toBeNull();
    const all = new Map<string, string[]>();
    for (const client of [...second.clients, ...first.clients])
      all.set(client.key, [...(all.get(client.key) ?? []), ...client.points.map((p) => p.appointmentDate)]);
    for (const dates of all.values()) expect(dates).toEqual([...dates].sort());
    expect([...all.values()].map((dates) => dates.length).sort()).toEqual([18, 18, 19]);
    // Oldest first within a series, and the first page's points are all newer than the second's.
    expect(second.clients.flatMap((c) => c.points.map((p) => p.appointmentDate)).every((date) => date < '2026-02-06')).toBe(true);
  });

  it('answers a cursor it cannot have made with a clean 400 (both languages), and no cursor or an empty one with the first page', async () => {
    for (const route of ['/api/tab/rounds', '/api/tab/clients']) {
      for (const cursor of ['nonsense', '<script>', 'a|b', 'x'.repeat(400)]) {
        const response = await getWithSession(server, `${route}?cursor=${encodeURIComponent(cursor)}`, session);
        expect(response.status).toBe(400);
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('BadCursor');
        expect(body.error.message).toContain('laad hem opnieuw');
      }
      expect((await getWithSession(server, `${route}?cursor=`, session)).status).toBe(200);
    }
    // A well-formed cursor of a round that is gone goes on after where it was.
    const gone = await page<{ rounds: TabRoundView[] }>(
      `/api/tab/rounds?cursor=${encodeURIComponent('2026-03-01|2026-01-05T09:00:00.000Z|no-such-round')}`,
    );
    expect(gone.rounds[0].appointmentDate).toBe('2026-03-01');
  });
});
