import { Activity, ConversationState, MemoryStorage, StoreItems, TurnContext, TestAdapter } from 'botbuilder';
import { ETagCheckedStorage, StateConflictError } from '../bots/eTagCheckedStorage';
import { actionWith, BotHarness, BotWorld, lastCard, textOf, textsOf } from './helpers/botHarness';
import type { CardContent } from './helpers/directLineClient';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../services/questionnaire/itemBank';
import type { ResponseSet } from '../services/questionnaire/responseSet';
import { QuestionnaireService, versionOf } from '../services/questionnaire/questionnaireService';
import { FakeClock, sequentialIds } from './fakes/clock';
import { InMemoryResponseSetRepository } from './fakes/inMemoryResponseSetRepository';

/**
 * Issue 10: one answer per question whatever the channel does: parallel submits, a second tab, a
 * second server. Exactly one submit is confirmed; the others are told what stays stored.
 */

async function clientAtFirstQuestion(world: BotWorld, conversationId?: string): Promise<{ bot: BotHarness; card: CardContent }> {
  const { code } = await world.roundWithCode();
  const bot = world.person('client-1', conversationId);
  await bot.join();
  await bot.say(code);
  await bot.click({ verb: 'start' });
  const card = lastCard(await bot.click({ verb: 'start' }));
  return { bot, card };
}

function onlySet(world: BotWorld) {
  const sets = [...world.responses.sets.values()];
  expect(sets).toHaveLength(1);
  return sets[0];
}

const confirmed = (replies: { text?: string }[]): boolean => replies.some((r) => /^Jouw antwoord: /.test(r.text ?? ''));
const toldAlreadyAnswered = (replies: { text?: string }[]): boolean => replies.some((r) => /al beantwoord/.test(r.text ?? ''));

/** A client's full set, started outside a round. */
const CLIENT_SET: Parameters<QuestionnaireService['start']>[0] = {
  respondentId: 'test:client-1',
  perspective: 'client',
  form: 'full',
  locale: 'nl',
  register: 'simple',
  domain: null,
  roundId: null,
};

describe('one answer per question', () => {
  it('the service: of 20 compare-and-sets on the same version, exactly one records', async () => {
    const world = new BotWorld();
    const set = await world.questionnaire.start(CLIENT_SET);
    const itemId = world.questionnaire.items(set)[0].id;
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        world.questionnaire.answer(set.id, itemId, (i % 5) + 1, itemId, { shownAtVersion: versionOf(set), submitId: `submit-${i}` }),
      ),
    );
    const recorded = outcomes.filter((o) => o.kind === 'recorded');
    expect(recorded).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'alreadyAnswered')).toHaveLength(19);
    const stored = (await world.questionnaire.get(set.id))?.answers[itemId]?.value;
    expect(recorded[0].responseSet.answers[itemId].value).toBe(stored);
  });

  it('20 parallel submits for one question: one "Jouw antwoord", 19 "al beantwoord", one stored value', async () => {
    const world = new BotWorld();
    const { bot, card } = await clientAtFirstQuestion(world);
    // Different values, as from taps on several buttons of the same card in quick succession.
    const values = Array.from({ length: 20 }, (_, i) => [3, 4, 5][i % 3]);
    const replies = await bot.parallel(values.map((value) => ({ value: actionWith(card, { verb: 'answer', value }) })));
    const confirmations = replies.filter(confirmed);
    expect(confirmations).toHaveLength(1);
    expect(replies.filter(toldAlreadyAnswered)).toHaveLength(19);
    const set = onlySet(world);
    expect(Object.keys(set.answers)).toHaveLength(1);
    const stored = Object.values(set.answers)[0].value;
    expect(textOf(confirmations[0])).toContain(['', '', '', '😐', '🙂', '😀'][stored ?? 0]);
    // The "al beantwoord" replies name the stored answer.
    for (const other of replies.filter(toldAlreadyAnswered))
      expect(textOf(other)).toContain(['', '', '', 'Soms', 'Meestal wel', 'Ja'][stored ?? 0]);
  });

  it('20 parallel submits over two servers sharing the stores: still one confirmation and one stored value', async () => {
    const world = new BotWorld();
    const { bot, card } = await clientAtFirstQuestion(world);
    const second = world.restart().person('client-1', bot.conversationId);
    const submit = (value: number) => ({ value: actionWith(card, { verb: 'answer', value }) });
    const [first, other] = await Promise.all([
      bot.parallel(Array.from({ length: 10 }, () => submit(4))),
      second.parallel(Array.from({ length: 10 }, () => submit(3))),
    ]);
    const all = [...first, ...other];
    expect(all.filter(confirmed)).toHaveLength(1);
    // Every other turn was told: already answered, or (after retries) asked to try again. None confirms.
    for (const replies of all.filter((r) => !confirmed(r))) expect(textOf(replies)).toMatch(/al beantwoord|tegelijk/);
    const set = onlySet(world);
    expect(Object.keys(set.answers)).toHaveLength(1);
    const stored = Object.values(set.answers)[0].value;
    expect(textOf(all.filter(confirmed)[0])).toContain(stored === 4 ? 'Meestal wel' : 'Soms');
  });

  it("two tabs of the same client: the second tab cannot silently replace the first tab's answer", async () => {
    const world = new BotWorld();
    const { bot: tabA, card: cardA } = await clientAtFirstQuestion(world, 'tab-a');
    const tabB = world.person('client-1', 'tab-b');
    await tabB.join();
    const cardB = lastCard(await tabB.click({ verb: 'resume' }));
    expect(textsOf(cardB)[0]).toBe('Vraag 1 van 19');

    const a = await tabA.click(actionWith(cardA, { verb: 'answer', value: 4 }));
    expect(textOf(a)).toContain('Jouw antwoord: 🙂  Meestal wel');
    const b = await tabB.click(actionWith(cardB, { verb: 'answer', value: 3 }));
    expect(textOf(b)).toMatch(/al beantwoord: 🙂 +Meestal wel/);
    expect(textOf(b)).not.toMatch(/Jouw antwoord/);
    expect(textsOf(lastCard(b))[0]).toBe('Vraag 2 van 19');
    const itemId = String(actionWith(cardA, { verb: 'answer', value: 4 }).itemId);
    expect(onlySet(world).answers[itemId].value).toBe(4);

    // An explicit change in tab B (back to question 1, then a tap) is a change, and is confirmed.
    const back = lastCard(await tabB.click(actionWith(lastCard(b), { verb: 'back' })));
    expect(textsOf(back)[0]).toBe('Vraag 1 van 19');
    const changed = await tabB.click(actionWith(back, { verb: 'answer', value: 3 }));
    expect(textOf(changed)).toContain('Jouw antwoord: 😐  Soms');
    expect(onlySet(world).answers[itemId].value).toBe(3);

    // Tab A's old card for question 1 now changes nothing.
    const late = await tabA.click(actionWith(cardA, { verb: 'answer', value: 5 }));
    expect(textOf(late)).toMatch(/al beantwoord: 😐 +Soms/);
    expect(onlySet(world).answers[itemId].value).toBe(3);
  });

  it("both tabs start the client's set at the same moment: one set, attached once", async () => {
    const world = new BotWorld();
    const { code } = await world.roundWithCode();
    const tabA = world.person('client-1', 'tab-a');
    await tabA.join();
    await tabA.say(code);
    await tabA.click({ verb: 'start' });
    const tabB = world.person('client-1', 'tab-b');
    await tabB.join();
    const [a, b] = await Promise.all([
      tabA.click({ verb: 'start' }),
      world.restart().person('client-1', 'tab-b').click({ verb: 'resume' }),
    ]);
    expect(textsOf(lastCard(a))[0]).toBe('Vraag 1 van 19');
    expect(textsOf(lastCard(b))[0]).toBe('Vraag 1 van 19');
    expect(world.responses.sets.size).toBe(1);
    expect(tabB).toBeTruthy();
  });
});

/**
 * A repository whose `update` loses one race, as the PostgreSQL adapter's optimistic write can:
 * `change` runs on the record, another writer's `race` lands first, and `change` runs again on
 * the record as it is then. Only that last run may count.
 */
class RaceLosingResponseSets extends InMemoryResponseSetRepository {
  race: ((current: ResponseSet) => ResponseSet) | null = null;

  override async update(id: string, change: (current: ResponseSet) => ResponseSet): Promise<ResponseSet> {
    const race = this.race;
    this.race = null;
    if (race) {
      const current = await this.get(id);
      if (current) change(current);
      await super.update(id, race);
    }
    return super.update(id, change);
  }
}

describe('a change the repository runs again after a lost race decides on the record as it is then', () => {
  const clock = new FakeClock('2026-12-01T10:00:00Z');
  const sets = new RaceLosingResponseSets();
  const questionnaire = new QuestionnaireService(loadItemBank(DEFAULT_ITEM_BANK_PATH), sets, clock.now, sequentialIds('rs'));
  const start = (): Promise<ResponseSet> => questionnaire.start(CLIENT_SET);

  it('a follow-up another turn claimed meanwhile is not granted twice', async () => {
    const set = await start();
    const itemId = questionnaire.items(set)[0].id;
    sets.race = (current) => ({ ...current, followUpItemIds: [itemId] });
    expect(await questionnaire.claimFollowUp(set.id, itemId)).toBe(false);
    expect((await sets.get(set.id))?.followUpItemIds).toEqual([itemId]);
  });

  it('an answer another submit recorded meanwhile is told as already answered', async () => {
    const set = await start();
    const itemId = questionnaire.items(set)[0].id;
    sets.race = (current) => ({
      ...current,
      answers: { [itemId]: { itemId, value: 5, answeredAt: clock.now().toISOString(), version: versionOf(current) + 1 } },
      version: versionOf(current) + 1,
    });
    const outcome = await questionnaire.answer(set.id, itemId, 3, itemId, { shownAtVersion: versionOf(set), submitId: 'submit-1' });
    expect(outcome).toMatchObject({ kind: 'alreadyAnswered', storedValue: 5 });
  });
});

describe('state is saved with real eTags', () => {
  it('a second writer of the same state read is refused with StateConflictError', async () => {
    const storage = new ETagCheckedStorage(new MemoryStorage());
    const state = new ConversationState(storage);
    const property = state.createProperty<{ n: number }>('p');
    const adapter = new TestAdapter(async () => undefined);
    const activity: Partial<Activity> = {
      type: 'message',
      channelId: 'test',
      conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' },
      from: { id: 'u', name: 'u' },
      recipient: { id: 'b', name: 'b' },
    };
    const first = new TurnContext(adapter, { ...activity });
    await property.set(first, { n: 1 });
    await state.saveChanges(first);
    // Both turns read the same stored state...
    const a = new TurnContext(adapter, { ...activity });
    const b = new TurnContext(adapter, { ...activity });
    await property.set(a, { n: (await property.get(a, { n: 0 })).n + 1 });
    await property.set(b, { n: (await property.get(b, { n: 0 })).n + 10 });
    // ...the first save wins, the second is refused instead of silently overwriting it.
    await state.saveChanges(a);
    await expect(state.saveChanges(b)).rejects.toBeInstanceOf(StateConflictError);
    const check = new TurnContext(adapter, { ...activity });
    expect((await property.get(check, { n: 0 })).n).toBe(2);
  });

  it('a turn whose state write collides runs again on fresh state: its replies are sent once', async () => {
    const inner = new MemoryStorage();
    let meddle = true;
    // Another server writes the conversation state between this turn's read and its write, once.
    const meddling = {
      read: (keys: string[]) => inner.read(keys),
      delete: (keys: string[]) => inner.delete(keys),
      write: async (changes: StoreItems) => {
        const key = Object.keys(changes).find((k) => k.includes('/conversations/'));
        if (meddle && key) {
          meddle = false;
          const current = (await inner.read([key]))[key] as Record<string, unknown>;
          await inner.write({ [key]: { ...current, otherServer: 'was here', eTag: '*' } });
        }
        return inner.write(changes);
      },
    };
    const world = new BotWorld(meddling);
    const { bot, card } = await clientAtFirstQuestion(world);
    meddle = true;
    const replies = await bot.click(actionWith(card, { verb: 'answer', value: 4 }));
    expect(meddle).toBe(false);
    // The rerun recognises the answer its first run stored (same submit): one confirmation, sent once.
    expect(replies.filter((r) => /^Jouw antwoord/.test(r.text ?? ''))).toHaveLength(1);
    expect(textOf(replies)).not.toMatch(/al beantwoord/);
    expect(textsOf(lastCard(replies))[0]).toBe('Vraag 2 van 19');
    expect(Object.values(onlySet(world).answers)[0].value).toBe(4);
    // The other server's write was not overwritten blindly: the rerun started from it.
    const stored = await inner.read([`test/conversations/${bot.conversationId}/`]);
    expect(Object.values(stored)[0]).toMatchObject({ otherServer: 'was here' });
  });
});
