/**
 * @packageDocumentation
 * The embedded stores: one partitioned JSON file store under `DATA_DIR/records` (a turn's writes
 * journalled in `records/.journal` first, `storage/writeAheadJournal.ts`), with the domain
 * repositories and botbuilder's state storage on top of it, the access log under
 * `DATA_DIR/access-log`, the web-token key under `DATA_DIR/secrets`, and in memory the code-attempt
 * limiter, the used tab links and the token endpoint's rate limits. For one instance; `postgresStores.ts` is for several.
 */
import path from 'node:path';
import type { Logger } from '../logging/logger';
import { TokenSigner } from '../server/tokenSigner';
import { inMemoryTokenRateLimiters, type TokenRateLimiters } from '../server/webChatTokens';
import type { AccessLog } from '../services/access/accessLog';
import { InMemorySingleUseLinks } from '../services/professionals/inMemorySingleUseLinks';
import type { SingleUseLinks } from '../services/professionals/singleUseLinks';
import { InMemoryAttemptLimiter } from '../services/rounds/inMemoryAttemptLimiter';
import { accessLogDir, FileAccessLog } from '../storage/fileAccessLog';
import { FileConversationReferenceRepository } from '../storage/fileConversationReferenceRepository';
import { FileProfessionalRepository } from '../storage/fileProfessionalRepository';
import { FileResponseSetRepository } from '../storage/fileResponseSetRepository';
import { FileRoundRepository } from '../storage/fileRoundRepository';
import { DeferredDurability } from '../storage/deferredDurability';
import { FileStateStorage } from '../storage/fileStateStorage';
import { type CorruptFile, JsonFileStore, looselyProtectedFolders } from '../storage/jsonFileStore';
import { WriteAheadJournal } from '../storage/writeAheadJournal';
import type { BotStores } from './buildBot';

export interface FileStores {
  store: JsonFileStore;
  /** The local Direct Line's transcripts, in the same folder (see `openTranscriptStore`). */
  transcriptStore: JsonFileStore;
  stores: BotStores;
  accessLog: AccessLog;
  signer: TokenSigner;
  usedLinks: SingleUseLinks;
  tokenLimiters: TokenRateLimiters;
}

export interface FileStoreOptions {
  retentionDays: number;
  now: () => Date;
}

/**
 * Opens the store and warns about data folders others can read. It reads no records, so start-up
 * takes the same time at 10 or 100,000 rounds: a corrupt file (left untouched) is logged when a read
 * first meets it, and `npm run admin -- check-store` reads them all.
 */
export async function openFileStores(dataDir: string, log: Logger, options: FileStoreOptions): Promise<FileStores> {
  const recordsDir = path.join(dataDir, 'records');
  for (const loose of await looselyProtectedFolders([dataDir, recordsDir, path.join(dataDir, 'secrets')])) {
    log.warn('data_dir_permissions', {
      folder: loose.dir,
      mode: loose.mode,
      advice: `Other local accounts can read this folder. Run: chmod -R go-rwx ${loose.dir}`,
    });
  }
  // Before anything reads a record: a crash may have left turn writes that are only in the journal.
  const { journal, recovery } = await WriteAheadJournal.open(recordsDir);
  if (recovery.generations > 0) log.info('journal_recovered', { ...recovery });
  if (recovery.superseded > 0)
    log.warn('journal_superseded', {
      records: recovery.superseded,
      advice: 'Records changed by another process (an admin command) after the bot last wrote them were left as that process left them.',
    });
  const turnWrites = new DeferredDurability();
  const store = new JsonFileStore(recordsDir, undefined, logCorruptFile(log), turnWrites, journal);
  const rounds = new FileRoundRepository(store);
  if (!(await rounds.dueIndexReady())) {
    log.warn('round_due_index_missing', {
      advice:
        'Rounds stored before this version are not in the due-time index yet, so every scheduler tick reads all rounds. Stop the bot and run: npm run admin -- check-store',
    });
  }
  return {
    store,
    transcriptStore: openTranscriptStore(recordsDir, log),
    stores: {
      responseSets: new FileResponseSetRepository(store),
      rounds,
      professionals: new FileProfessionalRepository(store),
      references: new FileConversationReferenceRepository(store),
      state: new FileStateStorage(store),
      attempts: new InMemoryAttemptLimiter({ now: options.now }),
      turnWrites,
    },
    accessLog: new FileAccessLog(accessLogDir(dataDir), options.retentionDays, options.now),
    signer: await TokenSigner.fromDataDir(dataDir),
    usedLinks: new InMemorySingleUseLinks(options.now),
    tokenLimiters: inMemoryTokenRateLimiters(),
  };
}

/** Tells the log about a record file that does not parse, and what to do about it. */
export function logCorruptFile(log: Logger): (file: CorruptFile) => void {
  return (file) =>
    log.error('storage_corrupt_file', {
      file: file.filePath,
      problem: file.problem.slice(0, 200),
      advice: 'The file was left untouched. Restore it from a backup or remove it; until then its record cannot be read or changed.',
    });
}

/**
 * The store the local Direct Line writes its transcripts through: the records folder, without a
 * cache. The transcripts are held in memory already; through the shared store each segment would be
 * cached a second time (as much heap again) and push the bot's own records out of its cache.
 */
export function openTranscriptStore(recordsDir: string, log: Logger): JsonFileStore {
  return new JsonFileStore(recordsDir, 0, logCorruptFile(log));
}
