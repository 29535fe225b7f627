import { randomBytes } from 'node:crypto';
import { Activity, ActivityTypes, ConversationState, MemoryStorage, Storage, TestAdapter, UserState } from 'botbuilder';
import { AllianceBot } from '../../bots/allianceBot';
import { buildBot } from '../../composition/buildBot';
import { parseConfig } from '../../config';
import { ReplyInterpreter } from '../../services/replies/replyInterpreter';
import type { ProfessionalDirectory } from '../../services/professionals/professionalDirectory';
import { DEFAULT_ITEM_BANK_PATH, loadItemBank } from '../../services/questionnaire/itemBank';
import type { QuestionnaireService } from '../../services/questionnaire/questionnaireService';
import type { RoundNotifier } from '../../services/rounds/roundNotifier';
import type { RoundProgress, RoundProgressDeps } from '../../services/rounds/roundProgress';
import type { RoundAnswers } from '../../services/rounds/roundAnswers';
import type { RoundService } from '../../services/rounds/roundService';
import type { Round } from '../../services/rounds/round';
import { AccessRecorder } from '../../services/access/accessRecorder';
import { InMemoryAttemptLimiter } from '../../services/rounds/inMemoryAttemptLimiter';
import { FakeClock, sequentialIds } from '../fakes/clock';
import { InMemoryAccessLog } from '../fakes/inMemoryAccessLog';
import { InMemoryConversationReferenceRepository } from '../fakes/inMemoryConversationReferenceRepository';
import { InMemoryProfessionalRepository } from '../fakes/inMemoryProfessionalRepository';
import { InMemoryRoundRepository } from '../fakes/inMemoryRoundRepository';
import { InMemoryResponseSetRepository } from '../fakes/inMemoryResponseSetRepository';
import { actionsOf, CardContent, textsOf } from './directLineClient';

const bank = loadItemBank(DEFAULT_ITEM_BANK_PATH);
const interpreter = new ReplyInterpreter();
/** The tenant the harness's Teams users come from. */
export const TEST_TENANT_ID = '11111111-2222-3333-4444-555555555555';

/** Records what would have been sent proactively. */
export class RecordingNotifier implements RoundNotifier {
  readonly summaries: { round: Round; answers: RoundAnswers; reason: string }[] = [];
  readonly reminders: Round[] = [];
  async sendSummary(
    round: Round,
    answers: RoundAnswers,
    _previous: RoundAnswers | null,
    reason: 'bothDone' | 'deadline',
  ): Promise<boolean> {
    this.summaries.push({ round, answers, reason });
    return true;
  }
  async sendReminder(round: Round): Promise<boolean> {
    this.reminders.push(round);
    return true;
  }
  readonly professionalReminders: Round[] = [];
  async sendProfessionalReminder(round: Round): Promise<boolean> {
    this.professionalReminders.push(round);
    return true;
  }
}

/**
 * Everything the bot stands on, in memory: state storage, response sets, rounds, professionals.
 * A new `BotWorld` over the same stores is a restart.
 */
export class BotWorld {
  /** Tells worlds over the same stores (a restart, a second server) apart in activity ids. */
  readonly id = Math.random().toString(36).slice(2, 6);
  readonly clock = new FakeClock('2026-11-29T10:00:00Z');
  readonly questionnaire: QuestionnaireService;
  readonly rounds: RoundService;
  readonly professionals: ProfessionalDirectory;
  readonly progress: RoundProgress;
  readonly notifier = new RecordingNotifier();
  readonly accessLog = new InMemoryAccessLog();
  readonly bot: AllianceBot;
  readonly conversationState: ConversationState;
  readonly userState: UserState;

  constructor(
    readonly storage: Storage = new MemoryStorage(),
    readonly responses = new InMemoryResponseSetRepository(),
    readonly roundRepository = new InMemoryRoundRepository(),
    readonly professionalRepository = new InMemoryProfessionalRepository(),
    readonly references = new InMemoryConversationReferenceRepository(),
    options: { clientSeesSummary?: boolean; mode?: 'local' | 'production' } = {},
  ) {
    const settings = { ...parseConfig({ PUBLIC_URL: 'https://bot.example.org', ALLOWED_TENANT_IDS: TEST_TENANT_ID, RETENTION_DAYS: '0' }) };
    settings.clientSeesSummary = options.clientSeesSummary ?? false;
    // Production mode without Azure credentials: only what the bot itself does differently.
    settings.mode = options.mode ?? settings.mode;
    const built = buildBot(
      settings,
      {
        responseSets: responses,
        rounds: roundRepository,
        professionals: professionalRepository,
        references,
        state: storage,
        attempts: new InMemoryAttemptLimiter({ now: this.clock.now }),
      },
      {
        itemBank: bank,
        notifier: this.notifier,
        now: this.clock.now,
        // A fresh prefix per world, so a restarted world never reuses an id.
        newId: sequentialIds(`id${Math.random().toString(36).slice(2, 6)}`),
        random: randomBytes,
        interpreter,
        access: new AccessRecorder(this.accessLog, this.clock.now, (error) => {
          throw error;
        }),
        overviewLink: async (professionalId) => `https://bot.example.org/tab?link=test-${professionalId}`,
      },
    );
    ({
      bot: this.bot,
      questionnaire: this.questionnaire,
      rounds: this.rounds,
      professionals: this.professionals,
      progress: this.progress,
      conversationState: this.conversationState,
      userState: this.userState,
    } = built);
  }

  /** What this world's `progress` was built from, for a test that builds its own `RoundProgress`. */
  progressDeps(): RoundProgressDeps {
    return { rounds: this.rounds, questionnaire: this.questionnaire, notifier: this.notifier, now: this.clock.now, reminderDaysBefore: 2 };
  }

  /** The same stores, fresh objects: what a process restart leaves. */
  restart(): BotWorld {
    return new BotWorld(this.storage, this.responses, this.roundRepository, this.professionalRepository, this.references);
  }

  person(userId: string, conversationId = `conversation-${userId}`, channelId = 'test'): BotHarness {
    return new BotHarness(this, userId, conversationId, channelId);
  }

  /** A professional with a round, and its invitation code. */
  async roundWithCode(
    form: 'full' | 'short' = 'full',
    domain: Round['domain'] = null,
  ): Promise<{ professionalId: string; secret: string; round: Round; code: string; linkToken: string }> {
    const { professional, secret } = await this.professionals.addWithAccessLink('Sam');
    const created = await this.rounds.create({
      professionalId: professional.id,
      clientLabel: 'K-12',
      domain,
      form,
      appointmentDate: '2026-12-10',
    });
    return { professionalId: professional.id, secret, ...created };
  }

  get itemBank() {
    return bank;
  }
}

/** One person in one conversation, on botbuilder's TestAdapter: send a turn, get the replies. */
export class BotHarness {
  readonly adapter: TestAdapter;
  private counter = 0;

  constructor(
    readonly world: BotWorld,
    readonly userId: string,
    readonly conversationId: string,
    readonly channelId: string,
  ) {
    this.adapter = new TestAdapter(async (context) => world.bot.run(context));
  }

  get itemBank() {
    return bank;
  }

  get responses(): InMemoryResponseSetRepository {
    return this.world.responses;
  }

  /** One turn; returns the bot's replies to it. */
  async turn(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    this.adapter.activeQueue.splice(0);
    await this.adapter.processActivity(this.incoming(activity));
    return this.adapter.activeQueue.splice(0);
  }

  /**
   * Several turns at the same moment, as a channel may deliver them (double taps, retries): returns
   * each turn's replies, matched by `replyToId`.
   */
  async parallel(activities: Partial<Activity>[]): Promise<Partial<Activity>[][]> {
    this.adapter.activeQueue.splice(0);
    const incoming = activities.map((activity) => this.incoming(activity));
    await Promise.all(incoming.map((activity) => this.adapter.processActivity(activity)));
    const replies = this.adapter.activeQueue.splice(0);
    return incoming.map((activity) => replies.filter((reply) => reply.replyToId === activity.id));
  }

  private incoming(activity: Partial<Activity>): Partial<Activity> {
    this.counter += 1;
    return {
      type: ActivityTypes.Message,
      channelId: this.channelId,
      from: { id: this.userId, name: 'user' },
      recipient: { id: 'bot', name: 'bot' },
      conversation: { id: this.conversationId, isGroup: false, conversationType: 'personal', name: '' },
      locale: 'nl-NL',
      id: `${this.conversationId}-${this.world.id}-a${this.counter}`,
      ...activity,
    };
  }

  join(): Promise<Partial<Activity>[]> {
    return this.turn({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: this.userId, name: 'user' }] });
  }

  say(text: string): Promise<Partial<Activity>[]> {
    return this.turn({ text });
  }

  click(value: object): Promise<Partial<Activity>[]> {
    return this.turn({ value });
  }

  event(name: string, value: object): Promise<Partial<Activity>[]> {
    return this.turn({ type: ActivityTypes.Event, name, value });
  }
}

export function cardsIn(replies: Partial<Activity>[]): CardContent[] {
  return replies.flatMap((reply) =>
    (reply.attachments ?? [])
      .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
      .map((a) => a.content as CardContent),
  );
}

export function lastCard(replies: Partial<Activity>[]): CardContent {
  const cards = cardsIn(replies);
  if (cards.length === 0) throw new Error(`no card in replies: ${replies.map((r) => r.text).join(' | ')}`);
  return cards[cards.length - 1];
}

export function textOf(replies: Partial<Activity>[]): string {
  return replies.map((reply) => reply.text ?? '').join('\n');
}

export function actionWith(card: CardContent, match: Record<string, unknown>): Record<string, unknown> {
  const found = actionsOf(card).find((action) => Object.entries(match).every(([key, value]) => action[key] === value));
  if (!found) throw new Error(`no action ${JSON.stringify(match)} in card: ${textsOf(card).slice(0, 3).join(' / ')}`);
  return found;
}

export { actionsOf, textsOf };

/** A client who joined a round with its code and is at the first question card (four turns). */
export async function clientAtFirstQuestion(world = new BotWorld()): Promise<{ bot: BotHarness; card: CardContent; world: BotWorld }> {
  const { code } = await world.roundWithCode();
  const bot = world.person('client-1');
  await bot.join();
  await bot.say(code);
  await bot.click({ verb: 'start' });
  const card = lastCard(await bot.click({ verb: 'start' }));
  return { bot, card, world };
}

/**
 * Clicks an answer on `card`; when "what would help?" follows (its own step since issue 10), taps
 * "No, go on" and returns those replies, so the next question is the last card.
 */
export async function answerAndGoOn(bot: BotHarness, card: CardContent, value: number | null): Promise<Partial<Activity>[]> {
  const replies = await bot.click(actionWith(card, { verb: 'answer', value }));
  const prompt = cardsIn(replies).find((c) => actionsOf(c).some((a) => a.verb === 'skipComment'));
  return prompt ? bot.click(actionWith(prompt, { verb: 'skipComment' })) : replies;
}
