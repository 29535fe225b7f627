import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { parseConfig } from '../config';
import { RunningBot, startBot } from '../composition/startBot';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../services/questionnaire/itemBank';
import { FileResponseSetRepository } from '../storage/fileResponseSetRepository';
import { FileRoundRepository } from '../storage/fileRoundRepository';
import { summaryScenario } from './fixtures/summaryScenario';
import { artifactPath, launchBrowser } from './helpers/browser';
import { seedProfessional } from './helpers/seed';

/** Stores issue 13's scenario (K-41: skips, a friction gap, a previous round) for a new professional. */
async function seedScenario(dataDir: string): Promise<{ secret: string }> {
  const { professionalId, secret, store } = await seedProfessional(dataDir);
  const rounds = new FileRoundRepository(store);
  const sets = new FileResponseSetRepository(store);
  const { previous, current } = summaryScenario(loadItemBank(DEFAULT_ITEM_BANK_PATH), professionalId);
  for (const answers of [previous, current]) {
    // The earlier round's summary went out long ago; the current one is due and goes out by itself.
    await rounds.create(answers === previous ? { ...answers.round, summarySentAt: '2026-10-04T00:00:00.000Z' } : answers.round);
    for (const set of [answers.client, answers.professional]) if (set) await sets.create(set);
  }
  await store.flush();
  return { secret };
}

/** The newest Adaptive Card in the transcript that contains `text`. */
function cardWith(page: Page, text: string): Locator {
  return page.locator('.ac-adaptiveCard', { hasText: text }).last();
}

describe('the summary card in Web Chat, at 1280 and 360 px', () => {
  let bot: RunningBot;
  let browser: Browser;

  beforeAll(async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-summary-browser-'));
    const { secret } = await seedScenario(dataDir);
    bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', RETENTION_DAYS: '0' }));
    browser = await launchBrowser();
    (globalThis as { proSecret?: string }).proSecret = secret;
  });

  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
  });

  it('arrives in the chat with a consistent status, the flagged drop and every item pair under "Alle vragen"', async () => {
    const secret = (globalThis as { proSecret?: string }).proSecret ?? '';
    const page = await browser.newPage({ viewport: { width: 1280, height: 4200 } });
    await page.goto(`${bot.origin}/?pro=${encodeURIComponent(secret)}`);
    await page.getByRole('button', { name: 'Mijn rondes' }).last().waitFor({ timeout: 20000 });

    // The scheduler sends the due summary to the conversation the professional is in now.
    await bot.runScheduledJobs();
    const card = cardWith(page, 'Om over te praten');
    await card.waitFor({ timeout: 15000 });
    await page
      .getByText(/^Jullie zijn allebei klaar met de monitor voor K-41 \(afspraak op 7 december 2026\)/)
      .last()
      .waitFor();

    expect(await card.getByText('Monitor met cliënt K-41 · afspraak op 7 december 2026').count()).toBe(1);
    expect(await card.getByText('Jullie zijn allebei klaar. De cliënt heeft 2 vragen overgeslagen. Die tellen niet mee.').count()).toBe(1);
    expect(await card.getByText(/^Let op: de score van de cliënt voor Vertrouwen is gedaald/).count()).toBe(1);
    expect(await card.getByText('Weinig stroefheid', { exact: true }).count()).toBe(1);
    expect(await card.getByText('Nog niet compleet').count()).toBe(0);
    expect(await card.getByText(/Wanneer voelt ons contact voor jou als een strijd\?/).count()).toBe(1);
    expect(await card.getByText('Overgeslagen vragen').count()).toBe(1);
    await card.screenshot({ path: await artifactPath('summary-1280.png') });

    await card.getByRole('button', { name: 'Alle vragen' }).click();
    await card.getByText('🙁 Meestal waar').first().waitFor();
    expect(await card.getByText(/^⚠ De cliënt ziet dit minder positief dan jij/).count()).toBe(3);
    await card.screenshot({ path: await artifactPath('summary-1280-all-questions.png') });

    await page.setViewportSize({ width: 360, height: 9000 });
    await page.waitForTimeout(300);
    const narrow = cardWith(page, 'Om over te praten');
    // Nothing sticks out sideways on a phone.
    const widths = await narrow.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client + 1);
    await narrow.screenshot({ path: await artifactPath('summary-360-all-questions.png') });
    await narrow.getByRole('button', { name: 'Alle vragen' }).click();
    await page.waitForTimeout(300);
    await narrow.screenshot({ path: await artifactPath('summary-360.png') });
  }, 120000);
});
