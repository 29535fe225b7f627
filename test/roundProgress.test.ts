import { randomBytes } from 'node:crypto';
import { RoundProgress, SendOutlastedLeaseError } from '../services/rounds/roundProgress';
import { RoundService } from '../services/rounds/roundService';
import { DAY, MINUTE } from './fakes/clock';
import { BotWorld, RecordingNotifier } from './helpers/botHarness';
import { defined } from './helpers/defined';

/** Fills in a whole response set for one side of a round and attaches it. */
async function completeSide(world: BotWorld, roundId: string, side: 'client' | 'professional', value: 1 | 2 | 3 | 4 | 5): Promise<string> {
  const round = defined(await world.roundRepository.get(roundId), roundId);
  if (side === 'client' && !round.clientUserId) {
    await world.roundRepository.update(roundId, (current) => ({ ...current, clientUserId: 'test:client-1' }));
  }
  const set = await world.questionnaire.start({
    respondentId: side === 'client' ? 'test:client-1' : `professional:${round.professionalId}`,
    perspective: side,
    form: round.form,
    locale: 'nl',
    register: 'simple',
    domain: null,
    roundId,
  });
  await world.rounds.attachResponseSet(roundId, side, set.id);
  for (const item of world.questionnaire.items(set)) await world.questionnaire.answer(set.id, item.id, value, item.id);
  await world.questionnaire.complete(set.id);
  return set.id;
}

describe('RoundProgress', () => {
  it('reminds the professional once, the day before the deadline, only while their own side is not done', async () => {
    const world = new BotWorld();
    const { round } = await world.roundWithCode('short');
    const done = await world.roundWithCode('short');
    await completeSide(world, done.round.id, 'professional', 4);
    await world.progress.tick();
    expect(world.notifier.professionalReminders).toHaveLength(0);
    world.clock.set(new Date(Date.parse(round.deadline) - 12 * 60 * 60 * 1000).toISOString());
    expect((await world.progress.tick()).professionalReminders).toBe(1);
    expect(world.notifier.professionalReminders.map((r) => r.id)).toEqual([round.id]);
    expect((await world.progress.tick()).professionalReminders).toBe(0);
    const restarted = world.restart();
    restarted.clock.set(world.clock.now().toISOString());
    expect((await restarted.progress.tick()).professionalReminders).toBe(0);
  });

  it('sends the summary once when both sides are done, never twice', async () => {
    const world = new BotWorld();
    const { round } = await world.roundWithCode('short');
    await completeSide(world, round.id, 'professional', 4);
    expect(await world.progress.onResponseSetCompleted(round.id, round.professionalId)).toBe('waiting');
    await completeSide(world, round.id, 'client', 2);
    expect(await world.progress.onResponseSetCompleted(round.id, round.professionalId)).toBe('summarySent');
    expect(await world.progress.onResponseSetCompleted(round.id, round.professionalId)).toBe('notSent');
    await world.progress.tick();
    expect(world.notifier.summaries).toHaveLength(1);
    expect(world.notifier.summaries[0].reason).toBe('bothDone');
  });

  it('sends the summary at the deadline with what is there, once, also after a restart', async () => {
    const world = new BotWorld();
    const { round } = await world.roundWithCode('short');
    await completeSide(world, round.id, 'professional', 4);
    await world.progress.tick();
    expect(world.notifier.summaries).toHaveLength(0);
    world.clock.set(new Date(Date.parse(round.deadline) + 60_000).toISOString());
    await world.progress.tick();
    expect(world.notifier.summaries).toHaveLength(1);
    expect(world.notifier.summaries[0].reason).toBe('deadline');

    const restarted = world.restart();
    restarted.clock.set(world.clock.now().toISOString());
    await restarted.progress.tick();
    expect(restarted.notifier.summaries).toHaveLength(0);
  });

  it('tries again later when a summary could not be delivered', async () => {
    const world = new BotWorld();
    const { round } = await world.roundWithCode('short');
    await completeSide(world, round.id, 'professional', 4);
    await completeSide(world, round.id, 'client', 3);
    let fail = true;
    const flaky = new RecordingNotifier();
    const original = flaky.sendSummary.bind(flaky);
    flaky.sendSummary = async (...args) => (fail ? false : original(...args));
    const progress = new RoundProgress({ ...world.progressDeps(), notifier: flaky });
    expect(await progress.onResponseSetCompleted(round.id, round.professionalId)).toBe('notSent');
    fail = false;
    world.clock.set(new Date(Date.parse(round.deadline) + 60_000).toISOString());
    await progress.tick();
    expect(flaky.summaries).toHaveLength(1);
    // Both were done: the retried summary must not say the deadline passed with what there is.
    expect(flaky.summaries[0].reason).toBe('bothDone');
  });

  it('reminds a client who joined but did not finish, once', async () => {
    const world = new BotWorld();
    const { code } = await world.roundWithCode('short');
    const joined = await world.rounds.joinWithCode(code, 'test:client-1');
    expect(joined.kind).toBe('joined');
    world.clock.set('2026-12-08T09:00:00Z'); // two days before the appointment on 2026-12-10
    await world.progress.tick();
    await world.progress.tick();
    expect(world.notifier.reminders).toHaveLength(1);
  });

  it('deletes rounds and their answers after the retention period', async () => {
    const world = new BotWorld();
    const { round } = await world.roundWithCode('short');
    const setId = await completeSide(world, round.id, 'professional', 4);
    const progress = new RoundProgress({ ...world.progressDeps(), retentionDays: 30 });
    world.clock.set(new Date(Date.parse('2026-12-10T23:59:59Z') + 29 * DAY).toISOString());
    expect((await progress.tick()).deleted).toBe(0);
    world.clock.set(new Date(Date.parse('2026-12-10T23:59:59Z') + 31 * DAY).toISOString());
    expect((await progress.tick()).deleted).toBe(1);
    expect(await world.roundRepository.get(round.id)).toBeUndefined();
    expect(await world.questionnaire.get(setId)).toBeUndefined();
  });

  it('marks a summary sent only after the channel acknowledged it', async () => {
    const world = new BotWorld();
    const { round } = await world.roundWithCode('short');
    const seenDuringSend: (string | null)[] = [];
    const notifier = new RecordingNotifier();
    const original = notifier.sendSummary.bind(notifier);
    notifier.sendSummary = async (...args) => {
      seenDuringSend.push(defined(await world.roundRepository.get(round.id)).summarySentAt);
      return original(...args);
    };
    const progress = new RoundProgress({ ...world.progressDeps(), notifier });
    world.clock.set(new Date(Date.parse(round.deadline) + 60_000).toISOString());
    expect((await progress.tick()).summaries).toBe(1);
    expect(seenDuringSend).toEqual([null]);
    expect(defined(await world.roundRepository.get(round.id)).summarySentAt).toBe(world.clock.now().toISOString());
  });

  it("leaves a dead instance's job alone while its lease runs, then sends it once", async () => {
    const world = new BotWorld();
    const { round } = await world.roundWithCode('short');
    world.clock.set(new Date(Date.parse(round.deadline) + 60_000).toISOString());
    // Another instance claimed the summary and died before sending: its lease is all that is left.
    expect(await world.rounds.claimJob(round.id, 'summary', world.clock.now())).not.toBeNull();
    expect((await world.progress.tick()).summaries).toBe(0);
    world.clock.advance(4 * MINUTE);
    expect((await world.progress.tick()).summaries).toBe(0);
    world.clock.advance(MINUTE);
    expect((await world.progress.tick()).summaries).toBe(1);
    expect((await world.progress.tick()).summaries).toBe(0);
    expect(world.notifier.summaries.map((s) => s.round.id)).toEqual([round.id]);
  });

  it('sends each summary once when several instances tick at the same moment', async () => {
    const world = new BotWorld();
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push((await world.roundWithCode('short')).round.id);
    world.clock.set('2026-12-09T00:01:00Z');
    const instances = [new RecordingNotifier(), new RecordingNotifier(), new RecordingNotifier()];
    const results = await Promise.all(instances.map((notifier) => new RoundProgress({ ...world.progressDeps(), notifier }).tick()));
    expect(results.reduce((sum, result) => sum + result.summaries, 0)).toBe(12);
    const sent = instances.flatMap((notifier) => notifier.summaries.map((s) => s.round.id));
    expect([...sent].sort()).toEqual([...ids].sort());
  });

  it('takes at most a batch per tick and says when more is due', async () => {
    const world = new BotWorld();
    for (let i = 0; i < 5; i += 1) await world.roundWithCode('short');
    world.clock.set('2026-12-09T00:01:00Z');
    const progress = new RoundProgress({ ...world.progressDeps(), batchSize: 2 });
    const ticks = [await progress.tick(), await progress.tick(), await progress.tick()];
    expect(ticks.map((t) => [t.summaries, t.more])).toEqual([
      [2, true],
      [2, true],
      [1, false],
    ]);
  });

  it('starts no further round once the tick is told to stop', async () => {
    const world = new BotWorld();
    for (let i = 0; i < 3; i += 1) await world.roundWithCode('short');
    world.clock.set('2026-12-09T00:01:00Z');
    const stop = new AbortController();
    const notifier = new RecordingNotifier();
    const original = notifier.sendSummary.bind(notifier);
    notifier.sendSummary = async (...args) => {
      stop.abort();
      return original(...args);
    };
    const progress = new RoundProgress({ ...world.progressDeps(), notifier, parallelSends: 1 });
    expect((await progress.tick({ signal: stop.signal })).summaries).toBe(1);
    // The one in flight was recorded; the others are still due.
    expect((await world.rounds.dueForDeadlineSummary(world.clock.now())).length).toBe(2);
  });

  it('stops waiting for a send that outlasts its lease, and still records it if the channel acknowledges it later', async () => {
    const world = new BotWorld();
    const { round } = await world.roundWithCode('short');
    world.clock.set(new Date(Date.parse(round.deadline) + 60_000).toISOString());
    const shortLease = new RoundService({
      rounds: world.roundRepository,
      now: world.clock.now,
      newId: () => Math.random().toString(36).slice(2),
      random: randomBytes,
      invitationTtlDays: 14,
      jobLeaseMs: 30,
    });
    let acknowledge: (sent: boolean) => void = () => undefined;
    const notifier = new RecordingNotifier();
    notifier.sendSummary = () => new Promise<boolean>((resolve) => (acknowledge = resolve));
    const result = await new RoundProgress({ ...world.progressDeps(), rounds: shortLease, notifier }).tick();
    expect(result.summaries).toBe(0);
    expect(result.failures.map((failure) => [failure.job, (failure.error as SendOutlastedLeaseError).code])).toEqual([
      ['summary', 'SEND_OUTLASTED_LEASE'],
    ]);
    expect(defined(await world.roundRepository.get(round.id)).summarySentAt).toBeNull();
    acknowledge(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(defined(await world.roundRepository.get(round.id)).summarySentAt).not.toBeNull();
  });

  it('deletes each round past retention once when several instances tick at the same moment', async () => {
    const world = new BotWorld();
    for (let i = 0; i < 6; i += 1) await completeSide(world, (await world.roundWithCode('short')).round.id, 'professional', 4);
    world.clock.set(new Date(Date.parse('2026-12-10T23:59:59Z') + 31 * DAY).toISOString());
    const instances = [1, 2, 3].map(() => new RoundProgress({ ...world.progressDeps(), retentionDays: 30 }));
    const results = await Promise.all(instances.map((progress) => progress.tick()));
    expect(results.map((result) => result.deleted).reduce((a, b) => a + b, 0)).toBe(6);
    expect(results.flatMap((result) => result.failures)).toEqual([]);
  });
});
