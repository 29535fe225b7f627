import { RoundScheduler } from '../bots/roundScheduler';
import { createLogger } from '../logging/logger';
import type { Round } from '../services/rounds/round';
import { BotWorld } from './helpers/botHarness';

describe('RoundScheduler', () => {
  it('stops while a tick is still reading what is due, without waiting for that listing (SIGTERM at 100,000 rounds)', async () => {
    const world = new BotWorld();
    let finishListing: (rounds: Round[]) => void = () => undefined;
    // A listing that takes as long as a scan of every stored round would.
    world.roundRepository.listAwaitingSummary = () => new Promise<Round[]>((resolve) => (finishListing = resolve));
    const scheduler = new RoundScheduler(world.progress, createLogger('silent'));
    scheduler.start();
    const outcome = await Promise.race([
      scheduler.stop().then(() => 'stopped'),
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting for the listing'), 2000)),
    ]);
    finishListing([]);
    expect(outcome).toBe('stopped');
  });

  it('starts no tick after it stopped', async () => {
    const world = new BotWorld();
    let listings = 0;
    const listAwaitingSummary = world.roundRepository.listAwaitingSummary.bind(world.roundRepository);
    world.roundRepository.listAwaitingSummary = (before: Date) => {
      listings += 1;
      return listAwaitingSummary(before);
    };
    const scheduler = new RoundScheduler(world.progress, createLogger('silent'));
    await scheduler.stop();
    await scheduler.runOnce();
    expect(listings).toBe(0);
  });
});
