import { promises as fs } from 'node:fs';
import path from 'node:path';
export { CHROMIUM_PATH, launchBrowser } from '../../scripts/local/localMachine';

/** Screenshots go to a git-ignored folder. */
export async function artifactPath(name: string): Promise<string> {
  const dir = path.resolve(__dirname, '..', '..', 'test-artifacts');
  await fs.mkdir(dir, { recursive: true });
  return path.join(dir, name);
}
