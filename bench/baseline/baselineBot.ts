/**
 * @packageDocumentation
 * The baseline the answer turn is measured against: a bare botbuilder bot as the samples write it.
 * `CloudAdapter` on restify, `ConversationState` and `UserState`, and per message one Adaptive Card
 * reply (a question with five answer buttons). Nothing of this project's own turn machinery.
 *
 * `BASELINE_STORE=memory` keeps state in botbuilder's `MemoryStorage` (what the issue measured);
 * `BASELINE_STORE=file` keeps it in the project's durable file storage, one fsynced file per state
 * key, so the difference to the real bot is the turn's work and not the price of durability.
 * Runs as its own process; the bench compiles it (`bench/baseline/tsconfig.json`) and starts
 * `build/baseline/bench/baseline/baselineBot.js`. By hand: `PORT=3979 npx ts-node --transpile-only bench/baseline/baselineBot.ts`.
 */
import path from 'node:path';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
  Storage,
  TurnContext,
  UserState,
} from 'botbuilder';
import restify from 'restify';
import { FileStateStorage } from '../../storage/fileStateStorage';
import { JsonFileStore } from '../../storage/jsonFileStore';

interface TurnCount {
  turns: number;
}

interface LastSeen {
  at: string;
}

function baselineStorage(): Storage {
  if (process.env.BASELINE_STORE !== 'file') return new MemoryStorage();
  const dataDir = process.env.DATA_DIR;
  if (!dataDir) throw new Error('BASELINE_STORE=file needs DATA_DIR');
  return new FileStateStorage(new JsonFileStore(path.join(dataDir, 'records')));
}

function questionCard(turn: number): Record<string, unknown> {
  const labels = ['Nooit', 'Zelden', 'Soms', 'Vaak', 'Altijd'];
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: `Vraag ${(turn % 19) + 1} van 19`, isSubtle: true, size: 'Small' },
      { type: 'TextBlock', text: 'Ik kan zeggen wat ik echt denk.', wrap: true, weight: 'Bolder' },
    ],
    actions: labels.map((title, index) => ({
      type: 'Action.Submit',
      title,
      data: { verb: 'answer', itemId: `item-${turn % 19}`, value: index + 1 },
    })),
  };
}

async function main(): Promise<void> {
  const storage = baselineStorage();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const turnCount = conversationState.createProperty<TurnCount>('turnCount');
  const lastSeen = userState.createProperty<LastSeen>('lastSeen');
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));

  const runTurn = async (context: TurnContext): Promise<void> => {
    const count = await turnCount.get(context, { turns: 0 });
    count.turns += 1;
    await lastSeen.set(context, { at: new Date().toISOString() });
    if (context.activity.type === 'message' || context.activity.type === 'conversationUpdate') {
      await context.sendActivity({
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: questionCard(count.turns) }],
      });
    }
    await conversationState.saveChanges(context, false);
    await userState.saveChanges(context, false);
  };

  const server = restify.createServer({ name: 'baseline-bot' });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, runTurn);
  });
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  server.listen(Number(process.env.PORT ?? 3979), '127.0.0.1');
  // Nothing to flush: memory goes, and the file store has fsynced every write before the reply.
  process.on('SIGTERM', () => process.exit(0));
}

void main();
