/**
 * Job claims on PostgreSQL, between instances: each `RoundService` here has its own connection pool,
 * as two bot processes would, and only the row lock of the repository's `update` decides.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { RoundService } from '../services/rounds/roundService';
import { PostgresRoundRepository } from '../storage/postgres/postgresRoundRepository';
import { defined } from './helpers/defined';
import { describeOnPostgres, TestDatabase } from './helpers/testDatabase';

const START = new Date('2026-12-01T09:00:00.000Z');

describeOnPostgres('round job claims across instances (PostgreSQL)', () => {
  let database: TestDatabase;
  const instance = (name: string): RoundService =>
    new RoundService({
      rounds: new PostgresRoundRepository(database.newPool(5)),
      now: () => START,
      newId: randomUUID,
      random: randomBytes,
      invitationTtlDays: 14,
      instanceId: name,
    });

  beforeAll(async () => {
    database = await TestDatabase.create();
  }, 30000);

  afterAll(async () => {
    await database?.drop();
  });

  it('grants each job to exactly one of many claims racing from three instances', async () => {
    const instances = [instance('a'), instance('b'), instance('c')];
    const rounds = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        instances[0].create({ professionalId: 'pro', clientLabel: `K-${i}`, domain: null, form: 'short', appointmentDate: '2026-12-10' }),
      ),
    );
    const at = new Date('2026-12-09T00:01:00.000Z');
    for (const { round } of rounds) {
      const claims = await Promise.all(instances.flatMap((service) => [1, 2, 3].map(() => service.claimJob(round.id, 'summary', at))));
      expect(claims.filter(Boolean)).toHaveLength(1);
    }
  });

  it("lets another instance take an expired lease, and keeps the dead one's confirmation from being lost", async () => {
    const [dead, alive] = [instance('dead'), instance('alive')];
    const { round } = await dead.create({
      professionalId: 'pro',
      clientLabel: 'K-1',
      domain: null,
      form: 'short',
      appointmentDate: '2026-12-10',
    });
    const first = defined(await dead.claimJob(round.id, 'summary', new Date('2026-12-09T00:00:00.000Z')), 'first claim');
    expect(await alive.claimJob(round.id, 'summary', new Date('2026-12-09T00:04:00.000Z'))).toBeNull();
    const second = defined(await alive.claimJob(round.id, 'summary', new Date('2026-12-09T00:05:00.000Z')), 'second claim');
    const stored = defined(await new PostgresRoundRepository(database.pool()).get(round.id), round.id);
    expect(stored.jobLeases?.summary?.holder).toBe('alive');
    expect(stored.summarySentAt).toBeNull();
    // The slow first holder's send did go out after all: recorded, and the second sees it is done.
    await dead.confirmSent(first, new Date('2026-12-09T00:05:01.000Z'));
    await alive.confirmSent(second, new Date('2026-12-09T00:05:02.000Z'));
    const done = defined(await new PostgresRoundRepository(database.pool()).get(round.id), round.id);
    expect(done.summarySentAt).toBe('2026-12-09T00:05:01.000Z');
    const due = await alive.dueForDeadlineSummary(new Date('2026-12-09T01:00:00.000Z'));
    expect(due.map((r) => r.id)).not.toContain(round.id);
  });
});
