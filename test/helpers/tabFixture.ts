import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import restify from 'restify';
import { DEFAULT_ITEM_BANK_PATH, ItemBank, loadItemBank } from '../../services/questionnaire/itemBank';
import { ProfessionalDirectory } from '../../services/professionals/professionalDirectory';
import { QuestionnaireService } from '../../services/questionnaire/questionnaireService';
import { RoundService } from '../../services/rounds/roundService';
import { Form, ScaleValue } from '../../services/vocabulary';
import { createLogger } from '../../logging/logger';
import { SsoTokenValidator } from '../../server/ssoTokenValidator';
import { registerTabRoutes } from '../../server/tabApi';
import { InMemorySingleUseLinks } from '../../services/professionals/inMemorySingleUseLinks';
import { TokenSigner } from '../../server/tokenSigner';
import { FileProfessionalRepository } from '../../storage/fileProfessionalRepository';
import { FileResponseSetRepository } from '../../storage/fileResponseSetRepository';
import { FileRoundRepository } from '../../storage/fileRoundRepository';
import { JsonFileStore } from '../../storage/jsonFileStore';
import { AccessRecorder } from '../../services/access/accessRecorder';
import { FakeClock, sequentialIds } from '../fakes/clock';
import { InMemoryAccessLog } from '../fakes/inMemoryAccessLog';

/**
 * The tab's routes on a restify server set up like `createHttpServer` (same body and query parsers,
 * `/assets/*`), with real services on a temporary file store and the shipped item bank.
 */
export interface TabServer {
  origin: string;
  clock: FakeClock;
  bank: ItemBank;
  signer: TokenSigner;
  professionals: ProfessionalDirectory;
  rounds: RoundService;
  questionnaire: QuestionnaireService;
  store: JsonFileStore;
  accessLog: InMemoryAccessLog;
  close(): Promise<void>;
}

export interface TabServerOptions {
  start: string;
  ssoValidator?: SsoTokenValidator | null;
  allowedTenantIds?: string[];
}

export async function startTabServer(options: TabServerOptions): Promise<TabServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tab-'));
  const store = new JsonFileStore(path.join(dataDir, 'records'));
  const clock = new FakeClock(options.start);
  const bank = loadItemBank(DEFAULT_ITEM_BANK_PATH);
  const questionnaire = new QuestionnaireService(bank, new FileResponseSetRepository(store), clock.now, sequentialIds('rs'));
  const professionals = new ProfessionalDirectory(new FileProfessionalRepository(store), clock.now, sequentialIds('pro'), (bytes) =>
    randomBytes(bytes),
  );
  const rounds = new RoundService({
    rounds: new FileRoundRepository(store),
    now: clock.now,
    newId: sequentialIds('round'),
    random: (bytes) => randomBytes(bytes),
    invitationTtlDays: 30,
  });
  const signer = new TokenSigner(randomBytes(32));
  const log = createLogger('silent');
  const accessLog = new InMemoryAccessLog();
  const publicDir = path.resolve(__dirname, '..', '..', 'public');

  // The parts of `createHttpServer` the tab relies on (parsers, /assets/*), without the bot.
  const server = restify.createServer({ name: 'tab-test', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 64 * 1024, rejectUnknown: false }));
  registerTabRoutes(server, {
    rounds,
    professionals,
    questionnaire,
    itemBank: bank,
    signer,
    ssoValidator: options.ssoValidator ?? null,
    allowedTenantIds: options.allowedTenantIds ?? [],
    publicDir,
    now: clock.now,
    log,
    access: new AccessRecorder(accessLog, clock.now, (error) => {
      throw error;
    }),
    usedLinks: new InMemorySingleUseLinks(clock.now),
  });
  server.get('/assets/*', restify.plugins.serveStaticFiles(path.join(publicDir, 'assets')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    origin: `http://127.0.0.1:${port}`,
    clock,
    bank,
    signer,
    professionals,
    rounds,
    questionnaire,
    store,
    accessLog,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.flush();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The raw answer a side gives to an item, by the item's position in its form. */
export type AnswerPlan = (itemIndex: number) => ScaleValue | null;

/**
 * Fills in one side of a round the way the dialog does (one shown item at a time) and links it;
 * `complete: false` leaves the set in progress.
 */
export async function answerSide(
  server: TabServer,
  owner: { professionalId: string; roundId: string },
  side: 'client' | 'professional',
  form: Form,
  plan: AnswerPlan,
  options: { complete?: boolean } = {},
): Promise<string> {
  const { roundId } = owner;
  const round = await server.rounds.getForProfessional(roundId, owner.professionalId);
  if (!round) throw new Error(`no round ${roundId}`);
  const set = await server.questionnaire.start({
    respondentId: side === 'client' ? (round.clientUserId ?? 'client') : round.professionalId,
    perspective: side,
    form,
    locale: 'nl',
    register: 'standard',
    domain: round.domain,
    roundId,
  });
  const items = server.bank.items(form, side);
  for (const [index, item] of items.entries()) {
    const outcome = await server.questionnaire.answer(set.id, item.id, plan(index), item.id);
    if (outcome.kind !== 'recorded') throw new Error(`answer ${item.id} was ${outcome.kind}`);
  }
  if (options.complete !== false) await server.questionnaire.complete(set.id);
  await server.rounds.attachResponseSet(roundId, side, set.id);
  return set.id;
}

/** `fetch` with the tab session as bearer token. */
export function getWithSession(server: TabServer, pathAndQuery: string, token: string | null): Promise<Response> {
  return fetch(`${server.origin}${pathAndQuery}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

export async function exchangeForSession(server: TabServer, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.origin}/api/tab/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
