import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseConfig } from '../config';
import { RunningBot, startBot } from '../composition/startBot';
import { artifactPath, launchBrowser } from './helpers/browser';
import { seedRound } from './helpers/seed';

const AXE_PATH = require.resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** Records what the page asks the browser to speak, and still lets it speak. */
const SPEECH_RECORDER = `
  window.__spoken = [];
  if (window.speechSynthesis) {
    const original = window.speechSynthesis.speak.bind(window.speechSynthesis);
    window.speechSynthesis.speak = (utterance) => { window.__spoken.push({ text: utterance.text, lang: utterance.lang }); try { original(utterance); } catch (e) {} };
  }
`;

async function openPage(browser: Browser, url: string): Promise<Page> {
  // bypassCSP: the accessibility check injects axe-core as an inline script, which the page's CSP forbids.
  const page = await browser.newPage({ viewport: { width: 360, height: 740 }, bypassCSP: true });
  await page.addInitScript(SPEECH_RECORDER);
  await page.goto(url);
  return page;
}

/** Waits until the newest question card shows "Vraag n van m" and returns m. */
async function waitForQuestion(page: Page, number: number): Promise<void> {
  await page
    .getByText(new RegExp(`^Vraag ${number} van \\d+$`))
    .last()
    .waitFor({ timeout: 15000 });
}

/** Clicks answers until the overview appears. */
async function answerByClicking(page: Page, total: number, label: (index: number) => RegExp): Promise<void> {
  for (let index = 0; index < total; index += 1) {
    await waitForQuestion(page, index + 1);
    await page
      .getByRole('button', { name: label(index) })
      .last()
      .click();
  }
  await page
    .getByText(/^(Je antwoorden|Your answers)$/)
    .last()
    .waitFor({ timeout: 15000 });
}

describe("a round through the real web page (client) and the professional's page", () => {
  let bot: RunningBot;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-round-browser-'));
    bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
  });

  it('the client fills in the whole monitor by clicking; the professional receives the summary', async () => {
    const { secret, linkToken, roundId } = await seedRound(dataDir, 'full');

    // The professional answers their side first, in standard words.
    const pro = await openPage(browser, `${bot.origin}/?pro=${encodeURIComponent(secret)}`);
    await pro.getByRole('button', { name: 'Mijn rondes' }).last().waitFor({ timeout: 20000 });
    expect(pro.url()).not.toContain(secret);
    await pro.getByRole('button', { name: 'Mijn rondes' }).last().click();
    await pro.getByRole('button', { name: 'Vul mijn kant in' }).last().click();
    await pro.getByRole('button', { name: 'Beginnen' }).last().click();
    await answerByClicking(pro, 19, (i) => new RegExp(['^Meestal waar$', '^Helemaal waar$', '^Soms of deels waar$'][i % 3]));
    await pro.getByRole('button', { name: 'Versturen' }).last().click();
    await pro
      .getByText(/Zodra de cliënt ook klaar is/)
      .last()
      .waitFor({ timeout: 10000 });

    // The client opens the invitation link on a phone-sized screen.
    const client = await openPage(browser, `${bot.origin}/?join=${encodeURIComponent(linkToken)}`);
    await client.getByText('Gelukt! Je doet mee.').last().waitFor({ timeout: 20000 });
    expect(client.url()).not.toContain(linkToken);
    await client.getByRole('button', { name: 'Klaar' }).last().click();
    await client
      .getByText(/ziet jouw antwoorden als jullie allebei klaar zijn/)
      .last()
      .waitFor();
    await client.getByRole('button', { name: 'Beginnen' }).last().click();

    await waitForQuestion(client, 1);
    await client.screenshot({ path: await artifactPath('question-card.png') });

    // Read-aloud speaks the question and its options in Dutch.
    await client.getByRole('button', { name: /Lees voor/ }).click();
    const spoken = await client.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken);
    expect(spoken.length).toBe(1);
    expect(spoken[0].text).toContain('Vraag 1 van 19');
    expect(spoken[0].text).toMatch(/Nee.*Ja/);
    expect(spoken[0].lang).toBe('nl-NL');

    // No serious or critical accessibility problems while a question card is shown.
    await client.addScriptTag({ path: AXE_PATH });
    const violations = await client.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } })
        .axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
        }));
    });
    expect(violations).toEqual([]);

    // One answer typed instead of clicked.
    const sendBox = client.getByRole('textbox').last();
    await sendBox.fill('ja hoor');
    await sendBox.press('Enter');
    await client
      .getByText(/^Jouw antwoord: .*Ja$/)
      .last()
      .waitFor({ timeout: 10000 });
    await waitForQuestion(client, 2);

    // The rest by clicking only, in simple words with faces.
    for (let index = 1; index < 19; index += 1) {
      await waitForQuestion(client, index + 1);
      await client
        .getByRole('button', { name: index === 5 ? /^Weet ik niet$/ : /Meestal wel$/ })
        .last()
        .click();
    }
    await client.getByText('Je antwoorden').last().waitFor({ timeout: 15000 });
    await client.screenshot({ path: await artifactPath('overview-card.png'), fullPage: true });
    await client.getByRole('button', { name: 'Versturen' }).last().click();
    await client.getByText('Dank je wel!').last().waitFor({ timeout: 10000 });

    // The summary arrives in the professional's chat by itself.
    await pro.getByText('Om over te praten').last().waitFor({ timeout: 15000 });
    await pro.setViewportSize({ width: 480, height: 1400 });
    await pro.getByText('Om over te praten').last().scrollIntoViewIfNeeded();
    await pro.screenshot({ path: await artifactPath('summary-card.png'), fullPage: true });
    expect(await pro.getByText(/K-12/).count()).toBeGreaterThan(0);

    // The client's page never shows the professional's summary.
    expect(await client.getByText('Om over te praten').count()).toBe(0);
    expect(roundId).toBeTruthy();
  }, 180000);
});
