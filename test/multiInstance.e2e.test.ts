/**
 * Several bot processes on one PostgreSQL database, as behind a load balancer: every deadline
 * summary goes out exactly once although all instances tick, an instance killed in the middle of
 * sending leaves its jobs to the others (after the lease), and a round whose professional and client
 * talk to different instances ends in one summary.
 *
 * The bots run as real processes (`dist/index.js`, built first if stale) in local mode with
 * `ALLOW_LOCAL_EMULATOR`, so `/api/messages` takes activities whose `serviceUrl` is the fake
 * connector in this test process; every reply and proactive message lands there.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strings } from '../cards/strings';
import { formatDay } from '../services/dates';
import { professionalReferenceKey } from '../services/conversations/conversationReferenceRepository';
import { ProfessionalDirectory } from '../services/professionals/professionalDirectory';
import type { Round } from '../services/rounds/round';
import { RoundService } from '../services/rounds/roundService';
import { PostgresConversationReferenceRepository } from '../storage/postgres/postgresConversationReferenceRepository';
import { PostgresProfessionalRepository } from '../storage/postgres/postgresProfessionalRepository';
import { PostgresRoundRepository } from '../storage/postgres/postgresRoundRepository';
import { buildOnce, freePort, startProcess } from './helpers/botProcess';
import { cardSays, playRoundWith } from './helpers/chatRound';
import { defined } from './helpers/defined';
import { BOT_ID, ConnectorChat, FakeConnector } from './helpers/fakeConnector';
import { describeOnPostgres, TestDatabase } from './helpers/testDatabase';

const ROUNDS = 200;
/** Long enough that the victim is killed while its leases still run, short enough for a quick test. */
const LEASE_SECONDS = 10;
/** The bot's own default: how many sends one instance has in flight at once (`RoundProgress`). */
const SENDS_IN_FLIGHT = 4;
const DAY_MS = 86_400_000;

interface Instance {
  child: ChildProcess;
  origin: string;
}

const until = async (condition: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describeOnPostgres('several instances on one database', () => {
  let database: TestDatabase;
  let connector: FakeConnector;
  const running: Instance[] = [];
  /** Every process started, up or not yet, so none outlives the tests. */
  const spawned: ChildProcess[] = [];
  const dataDirs: string[] = [];

  const startInstance = async (): Promise<Instance> => {
    const port = await freePort();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'multi-instance-'));
    dataDirs.push(dataDir);
    const child = await startProcess(port, dataDir, {
      entry: 'built',
      env: {
        DATABASE_URL: database.url,
        ALLOW_LOCAL_EMULATOR: 'true',
        SCHEDULER_INTERVAL_SECONDS: '1',
        JOB_LEASE_SECONDS: String(LEASE_SECONDS),
        RETENTION_DAYS: '0',
      },
      onSpawn: (started) => spawned.push(started),
    });
    const instance = { child, origin: `http://127.0.0.1:${port}` };
    running.push(instance);
    return instance;
  };

  beforeAll(async () => {
    buildOnce();
    database = await TestDatabase.create();
    connector = await FakeConnector.start();
  }, 120000);

  afterAll(async () => {
    for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await connector?.stop();
    await database?.drop();
    for (const dir of dataDirs) await fs.rm(dir, { recursive: true, force: true });
  });

  /** 200 professionals, each with one round past its deadline and a conversation at the fake connector. */
  async function seedDueRounds(): Promise<Map<string, Round>> {
    const pool = database.pool();
    const professionals = new ProfessionalDirectory(new PostgresProfessionalRepository(pool), () => new Date(), randomUUID, randomBytes);
    const references = new PostgresConversationReferenceRepository(pool);
    // Made ten days ago for an appointment yesterday: the deadline (the day before) has passed.
    const rounds = new RoundService({
      rounds: new PostgresRoundRepository(pool),
      now: () => new Date(Date.now() - 10 * DAY_MS),
      newId: randomUUID,
      random: randomBytes,
      invitationTtlDays: 14,
    });
    const appointmentDate = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
    const byConversation = new Map<string, Round>();
    const seedOne = async (index: number): Promise<void> => {
      const { professional } = await professionals.addWithAccessLink(`Pro ${index}`);
      const conversationId = `summary-${index}`;
      await references.save(professionalReferenceKey(professional.id), {
        bot: { id: BOT_ID, role: 'bot' },
        conversation: { id: conversationId },
        channelId: 'directline',
        serviceUrl: connector.url,
        user: { id: `pro-user-${index}`, role: 'user' },
        locale: 'nl',
      });
      const { round } = await rounds.create({
        professionalId: professional.id,
        clientLabel: `K-${index}`,
        domain: null,
        form: 'short',
        appointmentDate,
      });
      byConversation.set(conversationId, round);
    };
    for (let start = 0; start < ROUNDS; start += 20) {
      await Promise.all(Array.from({ length: Math.min(20, ROUNDS - start) }, (_, offset) => seedOne(start + offset)));
    }
    return byConversation;
  }

  it('sends each of 200 due summaries exactly once over three instances, one killed with SIGKILL mid-send', async () => {
    const due = await seedDueRounds();
    const repository = new PostgresRoundRepository(database.pool());
    const intro = (round: Round): string =>
      strings('nl').summaryIntro(round.clientLabel, formatDay(round.appointmentDate, 'nl'), 'deadline');
    const intros = (conversationId: string): number =>
      connector.deliveredTo(conversationId).filter((activity) => activity.text === intro(defined(due.get(conversationId)))).length;

    // The victim starts alone and every request is held: it claims its first sends and hangs in them.
    connector.hold = () => true;
    const victim = await startInstance();
    await until(() => connector.held.length >= SENDS_IN_FLIGHT, 'the victim to be in the middle of its sends', 15000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const victimKey = connector.held[0].authorization;
    const heldConversations = [...new Set(connector.held.map((entry) => entry.conversationId))];
    expect(connector.held.every((entry) => entry.authorization === victimKey)).toBe(true);
    expect(heldConversations).toHaveLength(SENDS_IN_FLIGHT);
    // Its claims are leases on the rounds, not "sent": nothing was acknowledged.
    const leases = await Promise.all(
      heldConversations.map(async (id) => defined(await repository.get(defined(due.get(id)).id), 'a held round')),
    );
    for (const round of leases) {
      expect(round.summarySentAt).toBeNull();
      expect(round.jobLeases?.summary).toBeDefined();
    }
    const leaseEnds = Math.min(...leases.map((round) => Date.parse(defined(round.jobLeases?.summary).expiresAt)));

    // From now on only the victim's requests are held. Two more instances start, and while they do,
    // the victim dies holding its leases (killed at once, so well before they expire however slowly
    // the others start on a busy machine).
    connector.hold = (entry) => entry.authorization === victimKey;
    const survivors = Promise.all([startInstance(), startInstance()]);
    await until(() => spawned.length === 3, 'the other two processes to be spawned', 5000);
    victim.child.kill('SIGKILL');
    await until(() => victim.child.signalCode !== null, 'the victim to die', 5000);
    expect(Date.now()).toBeLessThan(leaseEnds);
    await survivors;

    await until(() => [...due.keys()].every((id) => intros(id) > 0), 'every summary to arrive', 45000);
    // Ticks go on every second on both survivors: a second copy would show up within a few.
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const counts = [...due.keys()].map(intros);
    expect(counts.filter((count) => count !== 1)).toEqual([]);
    for (const id of heldConversations) {
      const delivered = connector.delivered.filter((entry) => entry.conversationId === id);
      // Delivered by a survivor, only after the dead instance's lease ran out.
      expect(delivered.every((entry) => entry.authorization !== victimKey && entry.at >= leaseEnds)).toBe(true);
    }
    const stored = await Promise.all([...due.values()].map(async (round) => defined(await repository.get(round.id), round.id)));
    expect(stored.filter((round) => round.summarySentAt === null || round.jobLeases?.summary !== undefined)).toEqual([]);
  }, 90000);

  it('completes a round whose professional and client talk to different instances, with one summary', async () => {
    while (running.filter(({ child }) => child.exitCode === null && child.signalCode === null).length < 2) await startInstance();
    const [first, second] = running.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    connector.hold = () => false;
    const { secret } = await new ProfessionalDirectory(
      new PostgresProfessionalRepository(database.pool()),
      () => new Date(),
      randomUUID,
      randomBytes,
    ).addWithAccessLink('Sam');

    const played = await playRoundWith(
      {
        pro: () => ConnectorChat.open(connector, first.origin, 'pro'),
        client: () => ConnectorChat.open(connector, second.origin, 'client'),
      },
      secret,
      { clientLabel: 'K-12', professionalAnswers: true },
    );
    await played.pro.waitFor(cardSays(/Per onderdeel/), 'the summary card', 10000);
    // Both instances' schedulers tick every second and see the complete round: none may send it again.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const summaries = connector
      .deliveredTo(played.pro.conversationId)
      .filter((activity) => activity.text?.startsWith('Jullie zijn allebei klaar met de monitor voor K-12'));
    expect(summaries).toHaveLength(1);
    const round = defined(await new PostgresRoundRepository(database.pool()).get(played.roundId), played.roundId);
    expect(round.status).toBe('complete');
    expect(round.summarySentAt).not.toBeNull();
  }, 60000);
});
