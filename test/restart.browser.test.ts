import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { artifactPath, launchBrowser } from './helpers/browser';
import { freePort, startProcess } from './helpers/botProcess';
import { seedRound } from './helpers/seed';

/**
 * An open page survives a crash of the server: after `kill -9` and a restart on the same address,
 * the page reconnects by itself (Direct Line's stream, with its token and watermark), keeps its
 * history and goes on at the current question without a reload.
 */
describe('an open page after kill -9 and a restart', () => {
  let child: ChildProcess | null = null;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await browser?.close();
  });

  it('continues at the current question with its history, without a reload', async () => {
    const port = await freePort();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-restart-'));
    const { linkToken } = await seedRound(dataDir, 'short');
    child = await startProcess(port, dataDir);
    const origin = `http://127.0.0.1:${port}`;

    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    let reloads = 0;
    page.on('load', () => (reloads += 1));
    await page.goto(`${origin}/?join=${encodeURIComponent(linkToken)}`);
    await page
      .getByRole('button', { name: /^Klaar$/ })
      .last()
      .click();
    await page
      .getByRole('button', { name: /^Beginnen$/ })
      .last()
      .click();
    await page
      .getByText(/^Vraag 1 van 8$/)
      .last()
      .waitFor({ timeout: 20000 });
    await page
      .getByRole('button', { name: /Meestal wel$/ })
      .last()
      .click();
    await page
      .getByText(/^Vraag 2 van 8$/)
      .last()
      .waitFor({ timeout: 15000 });
    expect(await page.evaluate(() => (window as unknown as { allianceMonitor: { transport: string } }).allianceMonitor.transport)).toBe(
      'websocket',
    );

    // Crash: no chance to flush anything.
    const crashed = child;
    crashed.kill('SIGKILL');
    await new Promise((resolve) => crashed.once('exit', resolve));
    child = await startProcess(port, dataDir);

    // The page was not reloaded; the current question is answered on the card that is on screen.
    await page.getByRole('button', { name: /\sJa$/ }).last().click();
    await page
      .getByText(/^Vraag 3 van 8$/)
      .last()
      .waitFor({ timeout: 30000 });
    expect(reloads).toBe(1);
    await page.screenshot({ path: await artifactPath('restart-continued.png') });
    // History is still there, and nothing failed to send.
    expect(await page.getByText(/^Vraag 1 van 8$/).count()).toBeGreaterThan(0);
    expect(await page.getByText(/Verzenden mislukt|Versturen lukte niet/).count()).toBe(0);

    // A returning visit (a new page load) shows where the client was without typing.
    await page.reload();
    await page
      .getByText(/^Vraag 3 van 8$/)
      .last()
      .waitFor({ timeout: 20000 });
    expect(await page.getByText(/^Vraag 1 van 8$/).count()).toBeGreaterThan(0);
  }, 120000);
});
