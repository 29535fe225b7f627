import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { ProfessionalDirectory } from '../../services/professionals/professionalDirectory';
import type { ProfessionalRepository } from '../../services/professionals/professionalRepository';
import { RoundService } from '../../services/rounds/roundService';
import type { Form } from '../../services/vocabulary';
import { FileProfessionalRepository } from '../../storage/fileProfessionalRepository';
import { FileRoundRepository } from '../../storage/fileRoundRepository';
import { JsonFileStore } from '../../storage/jsonFileStore';

/**
 * Creates a professional (as `npm run admin -- add-professional` does) and, if asked, a round, in
 * a data folder, from outside the running bot.
 */
export async function seedProfessional(
  dataDir: string,
  name = 'Sam',
): Promise<{ professionalId: string; secret: string; store: JsonFileStore }> {
  const store = new JsonFileStore(path.join(dataDir, 'records'));
  return { ...(await seedProfessionalIn(new FileProfessionalRepository(store), name)), store };
}

/** The same, into any professional repository (the PostgreSQL one, for a bot on a database). */
export async function seedProfessionalIn(
  repository: ProfessionalRepository,
  name = 'Sam',
): Promise<{ professionalId: string; secret: string }> {
  const directory = new ProfessionalDirectory(
    repository,
    () => new Date(),
    () => randomUUID(),
    randomBytes,
  );
  const { professional, secret } = await directory.addWithAccessLink(name);
  return { professionalId: professional.id, secret };
}

export async function seedRound(
  dataDir: string,
  form: Form = 'short',
): Promise<{ professionalId: string; secret: string; code: string; linkToken: string; roundId: string }> {
  const { professionalId, secret, store } = await seedProfessional(dataDir);
  const rounds = new RoundService({
    rounds: new FileRoundRepository(store),
    now: () => new Date(),
    newId: () => randomUUID(),
    random: randomBytes,
    invitationTtlDays: 14,
  });
  const inTenDays = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
  const created = await rounds.create({ professionalId, clientLabel: 'K-12', domain: null, form, appointmentDate: inTenDays });
  return { professionalId, secret, code: created.code, linkToken: created.linkToken, roundId: created.round.id };
}
