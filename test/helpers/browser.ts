import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Browser, chromium } from 'playwright-core';

/** Debian's Chromium, headless, with the flags this closed network needs. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Screenshots go to a git-ignored folder. */
export async function artifactPath(name: string): Promise<string> {
  const dir = path.resolve(__dirname, '..', '..', 'test-artifacts');
  await fs.mkdir(dir, { recursive: true });
  return path.join(dir, name);
}
