/**
 * @packageDocumentation
 * Entry point: reads the environment, starts the bot (`composition/startBot.ts`) and stops it
 * cleanly on SIGTERM and SIGINT.
 */
import { ConfigError, loadDotEnv, parseConfig, type AppConfig } from './config';
import { SchemaNotCurrentError } from './composition/postgresStores';
import { startBot, type RunningBot } from './composition/startBot';
import { captureConsole, createLogger } from './logging/logger';
import { ItemBankError } from './services/questionnaire/itemBank';

async function main(): Promise<void> {
  // A .env file is optional; real environment variables win.
  await loadDotEnv();
  let config: AppConfig;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}. See .env.example and the settings table in README.md.`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  // botbuilder writes errors with console.error (multi-line stacks): one JSON line each instead.
  captureConsole(log);
  if (config.hostOverrideWarning) log.warn('host_override', { message: config.hostOverrideWarning });
  let running: RunningBot;
  try {
    running = await startBot(config, log);
  } catch (error) {
    if (error instanceof ItemBankError) {
      console.error(`Item bank error: ${error.message}`);
      process.exit(2);
    }
    if (error instanceof SchemaNotCurrentError) {
      console.error(`Database schema error: ${error.message}. Run \`npm run db:migrate\` with the same DATABASE_URL, then start again.`);
      process.exit(2);
    }
    throw error;
  }
  log.info('started', { mode: config.mode, url: running.url, message: `Open ${running.url} in your browser to chat with the bot.` });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    await running.stop();
    log.info('stopped', {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('The bot could not start:', error instanceof Error ? error.message : String(error));
  process.exit(1);
});
