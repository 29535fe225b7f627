import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseConfig } from '../config';
import { RunningBot, startBot } from '../composition/startBot';
import { artifactPath, launchBrowser } from './helpers/browser';

/** Microsoft Web Chat in headless Chromium against the real server and its local Direct Line. */
describe('web chat page in a browser', () => {
  let bot: RunningBot;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-browser-'));
    bot = await startBot(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  });

  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
  });

  it('shows the Dutch welcome card, takes a click and shows the reply', async () => {
    await page.goto(`${bot.origin}/`);
    const clientButton = page.getByRole('button', { name: 'Ik krijg begeleiding' }).last();
    await clientButton.waitFor({ timeout: 20000 });
    await page.screenshot({ path: await artifactPath('welcome-card.png') });
    await clientButton.click();
    await page.locator('p', { hasText: 'Je koos: Ik krijg begeleiding' }).waitFor({ timeout: 10000 });
    await page.getByRole('textbox', { name: /Code/ }).last().waitFor({ timeout: 10000 });
    // Fits a 360 px phone: nothing scrolls sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: await artifactPath('after-click.png') });
  });
});
