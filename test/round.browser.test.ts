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

/** How many "Wat zou helpen?" prompts the page shows so far. */
function promptCount(page: Page): Promise<number> {
  return page.getByText(/^(Wat zou helpen\?|What would help\?)$/).count();
}

/**
 * Clicks an answer for questions `from`..`total` (1-based) until the overview appears. A
 * "Wat zou helpen?" prompt after a low answer is its own step: it is declined with its button.
 */
async function answerByClicking(page: Page, from: number, total: number, label: (index: number) => RegExp): Promise<void> {
  for (let number = from; number <= total; number += 1) {
    await waitForQuestion(page, number);
    const prompts = await promptCount(page);
    await page
      .getByRole('button', { name: label(number - 1) })
      .last()
      .click();
    const nextShown = number === total ? page.getByText(/^(Je antwoorden|Your answers)$/).last() : questionHeading(page, number + 1);
    for (let waited = 0; waited < 150; waited += 1) {
      if ((await nextShown.count()) > 0) break;
      if ((await promptCount(page)) > prompts) {
        await page
          .getByRole('button', { name: /^Nee, ga verder$/ })
          .last()
          .click();
        break;
      }
      await page.waitForTimeout(100);
    }
  }
  await page
    .getByText(/^(Je antwoorden|Your answers)$/)
    .last()
    .waitFor({ timeout: 15000 });
}

function questionHeading(page: Page, number: number) {
  return page.getByText(new RegExp(`^Vraag ${number} van \\d+$`));
}

/** Types `text` in the chat box and sends it. */
async function type(page: Page, text: string): Promise<void> {
  const sendBox = page.getByRole('textbox').last();
  await sendBox.fill(text);
  await sendBox.press('Enter');
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

  it('the client fills in the whole monitor, five questions by typing; the professional receives the summary', async () => {
    const { secret, linkToken, roundId } = await seedRound(dataDir, 'full');

    // The professional answers their side first, in standard words.
    const pro = await openPage(browser, `${bot.origin}/?pro=${encodeURIComponent(secret)}`);
    await pro.getByRole('button', { name: 'Mijn rondes' }).last().waitFor({ timeout: 20000 });
    expect(pro.url()).not.toContain(secret);
    await pro.getByRole('button', { name: 'Mijn rondes' }).last().click();
    await pro.getByRole('button', { name: 'Vul mijn kant in' }).last().click();
    await pro.getByRole('button', { name: 'Beginnen' }).last().click();
    await answerByClicking(pro, 1, 19, (i) => new RegExp(['^Meestal waar$', '^Helemaal waar$', '^Soms of deels waar$'][i % 3]));
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

    // Questions 1-5 answered by typing in the chat box (issue 10).
    // 1: a clear typed answer is echoed with a one-tap "Anders".
    await type(client, 'ja hoor');
    await client
      .getByText(/^Jouw antwoord: .*Ja$/)
      .last()
      .waitFor({ timeout: 10000 });
    await waitForQuestion(client, 2);

    // 2: an unclear reply is confirmed first; nothing is stored until a button is tapped.
    await type(client, 'niet altijd');
    await client
      .getByText(/Bedoel je een van deze/)
      .last()
      .waitFor({ timeout: 10000 });
    await client.screenshot({ path: await artifactPath('typed-confirmation.png') });
    expect(await questionHeading(client, 3).count()).toBe(0);
    await client
      .getByRole('button', { name: /Meestal wel$/ })
      .last()
      .click();
    await waitForQuestion(client, 3);

    // 3: a low typed answer opens "Wat zou helpen?" on its own; the comment is typed in the chat box.
    await type(client, 'nee');
    await client
      .getByText(/^Wat zou helpen\?$/)
      .last()
      .waitFor({ timeout: 10000 });
    expect(await questionHeading(client, 4).count()).toBe(0);
    await type(client, 'Meer tijd om het uit te leggen');
    await client.getByText('Dank je. Je opmerking is bewaard.').last().waitFor({ timeout: 10000 });
    await waitForQuestion(client, 4);
    await client.screenshot({ path: await artifactPath('typed-comment.png') });

    // 4 and 5: a number and "don't know".
    await type(client, '4');
    await waitForQuestion(client, 5);
    await type(client, 'weet ik niet');
    await waitForQuestion(client, 6);

    // "Anders" under the echo of question 4 reopens it; a tap changes it, then on to question 6.
    await client
      .locator('.ac-adaptiveCard', { hasText: /Jouw antwoord: 🙂\s+Meestal wel/ })
      .last()
      .getByRole('button', { name: 'Anders' })
      .click();
    await client
      .getByText(/^Vraag 4 van 19$/)
      .nth(1)
      .waitFor({ timeout: 10000 });
    await client.screenshot({ path: await artifactPath('typed-echo-anders.png') });
    await client.getByRole('button', { name: /Soms$/ }).last().click();
    await questionHeading(client, 6).nth(1).waitFor({ timeout: 10000 });

    // The rest by clicking, in simple words with faces.
    await answerByClicking(client, 6, 19, (index) => (index === 5 ? /^Weet ik niet$/ : /Meestal wel$/));
    await client.screenshot({ path: await artifactPath('overview-card.png'), fullPage: true });
    await client
      .getByRole('button', { name: /mag mijn opmerkingen lezen$/ })
      .last()
      .click();
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
