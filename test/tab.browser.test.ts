import type { Browser, Page } from 'playwright-core';
import { Form } from '../services/vocabulary';
import { AzureAdSsoTokenValidator } from '../server/ssoTokenValidator';
import { artifactPath, launchBrowser } from './helpers/browser';
import { AnswerPlan, answerSide, startTabServer, TabServer } from './helpers/tabFixture';
import { LocalJwksProvider, newSigningKey, signJwt, ssoClaims, TestSigningKey } from './helpers/tabSsoTokens';

/** The professional's tab in headless Chromium, outside Teams (personal link) and in a stand-in Teams host. */
const FORM: Form = 'short';
const APP_ID = '0f5c2a9e-3b7d-4c1a-9e2f-6a8b1c3d5e7f';
const DOMAIN = 'bot.example.org';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
}

describe('professional tab in a browser', () => {
  let server: TabServer;
  let browser: Browser;
  let secret: string;
  let ssoKey: TestSigningKey;

  beforeAll(async () => {
    ssoKey = newSigningKey('entra-key-1');
    const validator = new AzureAdSsoTokenValidator({ appId: APP_ID, domain: DOMAIN, jwks: new LocalJwksProvider([ssoKey.jwk]) });
    server = await startTabServer({ start: '2025-01-06T09:00:00.000Z', ssoValidator: validator, allowedTenantIds: [TENANT] });
    const added = await server.professionals.addWithAccessLink('Anna de Vries');
    secret = added.secret;
    const professionalId = added.professional.id;

    const round = async (clientLabel: string, appointmentDate: string, sides: { client?: AnswerPlan; professional?: AnswerPlan }) => {
      const created = await server.rounds.create({ professionalId, clientLabel, domain: 'probation', form: FORM, appointmentDate });
      const owner = { professionalId, roundId: created.round.id };
      if (sides.client) {
        await server.rounds.joinWithCode(created.code, `client-${clientLabel}`);
        await answerSide(server, owner, 'client', FORM, sides.client);
      }
      if (sides.professional) await answerSide(server, owner, 'professional', FORM, sides.professional);
      if (sides.client && sides.professional) await server.rounds.markComplete(created.round.id);
    };
    // A client whose view slowly improves while the professional's stays steady; the last round is pending.
    await round('K-12', '2025-01-14', {
      client: (i) => ([2, 3, 2, 4, 2, 3, 3, 2] as const)[i % 8],
      professional: (i) => ([4, 4, 3, 4, 2, 4, 4, 3] as const)[i % 8],
    });
    await round('K-12', '2025-02-11', {
      client: (i) => ([3, 3, 4, 4, 2, 3, 3, 2] as const)[i % 8],
      professional: (i) => ([4, 4, 4, 4, 2, 4, 4, 3] as const)[i % 8],
    });
    await round('K-12', '2025-03-11', {
      client: (i) => ([4, 4, 4, 5, 1, 2, 4, 3] as const)[i % 8],
      professional: (i) => ([4, 5, 4, 4, 2, 4, 4, 3] as const)[i % 8],
    });
    await round('K-12', '2025-04-08', { client: () => 5 });
    await round('M-7', '2025-04-10', { professional: () => 4 });
    server.clock.set('2025-03-20T10:00:00.000Z');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openPhone(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'nl-NL',
      timezoneId: 'Europe/Amsterdam',
      bypassCSP: false,
    });
    return context.newPage();
  }

  it('signs in with the personal link, removes it from the address bar and draws the charts', async () => {
    const page = await openPhone();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    // The test machine has no internet: teams-js may fail to fetch its list of Teams origins.
    page.on('console', (message) => {
      if (message.type() === 'error' && !/res\.cdn\.office\.net|Failed to load resource/.test(message.text())) errors.push(message.text());
    });

    await page.goto(`${server.origin}/tab?pro=${secret}`);
    await page.locator('.multiple svg[role="img"]').nth(3).waitFor({ timeout: 15000 });
    await page.getByText('Om over te praten').first().waitFor({ timeout: 10000 });

    expect(await page.evaluate(() => window.location.href)).not.toContain(secret);
    expect(page.url()).not.toContain('pro=');
    const stored = await page.evaluate(() => JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage } }));
    expect(stored).not.toContain(secret);
    expect(stored).toContain('token');

    // Four charts for K-12; each describes its numbers for screen readers, with a table beside them.
    const k12 = page.locator('article.client').filter({ hasText: 'K-12' });
    const charts = k12.locator('svg[role="img"]');
    expect(await charts.count()).toBe(4);
    const label = (await charts.first().getAttribute('aria-label')) ?? '';
    expect(label).toContain('schaal 1 tot 5, hoger is beter');
    expect(label).toMatch(/Cliënt: 14 jan( 2025)? \d,\d; 11 feb( 2025)? \d,\d; 11 mrt( 2025)? \d,\d\. Jij: /);
    expect(await k12.locator('table caption').textContent()).toContain('K-12');
    expect(await k12.locator('.line-client').count()).toBeGreaterThanOrEqual(4);
    expect(await k12.locator('path.line-professional').count()).toBe(4);

    // The pending round says why there is nothing yet, without numbers.
    await expect(
      page
        .getByText(/nog niet beschikbaar: we wachten tot jij klaar bent/)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    const m7 = page.locator('article.client').filter({ hasText: 'M-7' });
    expect(await m7.locator('.multiple circle, .multiple rect.dot').count()).toBe(0);

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await k12.locator('figure.chart').screenshot({ path: await artifactPath('tab-chart.png') });
    await page.locator('#rounds').screenshot({ path: await artifactPath('tab-rounds.png') });
    await k12.locator('.summary').screenshot({ path: await artifactPath('tab-summary.png') });
    await page.screenshot({ path: await artifactPath('tab-page.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('opens a round summary from the list with the keyboard and moves focus to it', async () => {
    const page = await openPhone();
    await page.goto(`${server.origin}/tab?pro=${secret}`);
    const button = page.getByRole('button', { name: /Samenvatting bekijken van K-12, afspraak 14 jan/ });
    await button.waitFor({ timeout: 15000 });
    await button.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.activeElement?.classList.contains('summary') === true && /14 jan/.test(document.activeElement.textContent ?? ''),
    );
    await page.context().close();
  });

  it('downloads a revealable round as a FHIR Bundle and as CSV from the rounds list', async () => {
    const page = await (
      await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'nl-NL', acceptDownloads: true })
    ).newPage();
    await page.goto(`${server.origin}/tab?pro=${secret}`);
    const round = page
      .locator('#round-list li.round')
      .filter({ has: page.getByRole('button', { name: /Download voor het dossier \(FHIR\)/ }) })
      .first();
    await round.waitFor({ timeout: 15000 });
    await round.screenshot({ path: await artifactPath('tab-round-downloads.png') });
    for (const [name, file] of [
      [/Download voor het dossier/, /^alliance-round-2025-\d\d-\d\d\.fhir\.json$/],
      [/Download als tabel/, /^alliance-round-2025-\d\d-\d\d\.csv$/],
    ] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), round.getByRole('button', { name }).click()]);
      expect(download.suggestedFilename()).toMatch(file);
      const text = await (await import('node:fs/promises')).readFile((await download.path()) ?? '', 'utf8');
      expect(text).toContain(file.source.includes('fhir') ? '"resourceType": "Bundle"' : 'client_item_id');
    }
    // A round that is not revealable offers no download.
    const pending = page.locator('#round-list li.round').filter({ hasText: 'M-7' });
    expect(await pending.getByRole('button', { name: /Download/ }).count()).toBe(0);
  });

  it('has no serious accessibility problems (axe-core)', async () => {
    // Only this check lifts the page's CSP, to inject axe.
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.origin}/tab?pro=${secret}&lang=en`);
    await page.locator('.multiple svg[role="img"]').nth(3).waitFor({ timeout: 15000 });
    await page.getByText('To talk about').first().waitFor({ timeout: 10000 });
    await page.screenshot({ path: await artifactPath('tab-chart-wide-en.png'), fullPage: true });
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const result = await page.evaluate(() => (window as unknown as { axe: { run: () => Promise<AxeResult> } }).axe.run());
    const serious = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
    await context.close();
  });

  it('explains how to open the tab when there is no credential, in Dutch or English', async () => {
    const page = await openPhone();
    await page.goto(`${server.origin}/tab`);
    await page.getByRole('heading', { name: 'Zo open je dit overzicht' }).waitFor({ timeout: 10000 });
    expect(await page.locator('#signin').textContent()).toContain('persoonlijke link');

    await page.goto(`${server.origin}/tab?lang=en&pro=not-a-valid-secret`);
    await page.getByRole('heading', { name: 'How to open this overview' }).waitFor({ timeout: 10000 });
    expect(await page.locator('#signin-reason').textContent()).toContain('does not work');
    expect(page.url()).not.toContain('not-a-valid-secret');
    await page.context().close();
  });

  it('inside Teams: signs in with SSO, follows the Teams locale and the dark theme', async () => {
    // A stand-in for the Teams host: the teams-js bundle is replaced by one that answers like Teams.
    const token = signJwt(
      ssoKey,
      ssoClaims({ appId: APP_ID, domain: DOMAIN, tenantId: TENANT, objectId: '4d6f1a2b-1111-4222-8333-944455556666', name: 'Dana Teams' }),
    );
    const fakeTeams = `window.microsoftTeams = {
      app: {
        initialize: function () { return Promise.resolve(); },
        getContext: function () { return Promise.resolve({ app: { theme: 'dark', locale: 'en-us' } }); },
        registerOnThemeChangeHandler: function (handler) { window.__themeHandler = handler; },
        notifySuccess: function () {},
      },
      authentication: { getAuthToken: function () { return Promise.resolve(${JSON.stringify(token)}); } },
    };`;
    const page = await openPhone();
    await page.route('**/vendor/teams-js.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: fakeTeams }));
    await page.goto(`${server.origin}/tab`);
    await page.getByText('You have no rounds yet', { exact: false }).waitFor({ timeout: 10000 });
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-theme'))).toBe('dark');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.locator('#who').textContent()).toBe('Signed in as Dana Teams');
    await page.evaluate(() => (window as unknown as { __themeHandler: (theme: string) => void }).__themeHandler('contrast'));
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-theme'))).toBe('contrast');
    await page.screenshot({ path: await artifactPath('tab-teams-contrast.png') });
    await page.context().close();
  });
});

describe('professional tab in a browser, with more rounds than one page', () => {
  let server: TabServer;
  let browser: Browser;
  let secret: string;

  beforeAll(async () => {
    server = await startTabServer({ start: '2026-01-05T09:00:00.000Z' });
    const added = await server.professionals.addWithAccessLink('Anna de Vries');
    secret = added.secret;
    // Z-9's only round is the oldest: it shows up with the second page. A-1 and B-2 alternate.
    for (let n = 0; n < 55; n += 1) {
      const appointmentDate = new Date(Date.parse('2026-02-01T00:00:00.000Z') + n * 86_400_000).toISOString().slice(0, 10);
      const clientLabel = n === 0 ? 'Z-9' : n % 2 === 0 ? 'A-1' : 'B-2';
      await server.rounds.create({ professionalId: added.professional.id, clientLabel, domain: null, form: FORM, appointmentDate });
    }
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads more rounds and older client rounds with a button, in place', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${server.origin}/tab?pro=${secret}`);
    const rounds = page.locator('#round-list > li.round');
    await rounds.nth(19).waitFor({ timeout: 15000 });
    expect(await rounds.count()).toBe(20);
    expect(await page.locator('article.client').count()).toBe(2);

    const moreRounds = page.getByRole('button', { name: 'Meer rondes laten zien' });
    await moreRounds.click();
    await rounds.nth(39).waitFor();
    await moreRounds.click();
    await rounds.nth(54).waitFor();
    expect(await rounds.count()).toBe(55);
    expect(await moreRounds.isHidden()).toBe(true);

    await page.getByRole('button', { name: 'Oudere rondes laten zien' }).click();
    await page.locator('article.client').filter({ hasText: 'Z-9' }).waitFor();
    expect(await page.locator('article.client h3').allTextContents()).toEqual(['A-1', 'B-2', 'Z-9']);
    expect(await page.getByRole('button', { name: 'Oudere rondes laten zien' }).isHidden()).toBe(true);
    await page.screenshot({ path: await artifactPath('tab-paged.png'), fullPage: true });
    expect(failed).toEqual([]);
    await context.close();
  });
});
