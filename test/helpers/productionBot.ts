import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBot, type RunningBot } from '../../composition/startBot';
import { parseConfig } from '../../config';

/** The real server in production mode (Bot Framework auth, no local Direct Line), on a free port and a fresh data folder. */
export async function startProductionBot(env: Record<string, string> = {}): Promise<RunningBot> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-prod-'));
  return startBot(
    parseConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
      MicrosoftAppPassword: 'not-a-real-secret',
      ...env,
    }),
  );
}
