/**
 * @packageDocumentation
 * The embedded stores: one partitioned JSON file store under `DATA_DIR/records`, with the domain
 * repositories and botbuilder's state storage on top of it.
 */
import path from 'node:path';
import type { Logger } from '../logging/logger';
import { FileConversationReferenceRepository } from '../storage/fileConversationReferenceRepository';
import { FileProfessionalRepository } from '../storage/fileProfessionalRepository';
import { FileResponseSetRepository } from '../storage/fileResponseSetRepository';
import { FileRoundRepository } from '../storage/fileRoundRepository';
import { FileStateStorage } from '../storage/fileStateStorage';
import { JsonFileStore } from '../storage/jsonFileStore';
import type { BotStores } from './buildBot';

export interface FileStores {
  store: JsonFileStore;
  stores: BotStores;
}

/** Opens the store and reports corrupt files (left untouched) in the log. */
export async function openFileStores(dataDir: string, log: Logger): Promise<FileStores> {
  const store = new JsonFileStore(path.join(dataDir, 'records'));
  const corrupt = await store.scanForCorruption();
  for (const file of corrupt) {
    log.error('storage_corrupt_file', { file: file.filePath, problem: file.problem.slice(0, 200) });
  }
  if (corrupt.length > 0) {
    log.error('storage_corrupt_summary', {
      count: corrupt.length,
      advice:
        'These files were left untouched. Restore them from a backup or remove them; until then the records in them cannot be read or changed.',
    });
  }
  return {
    store,
    stores: {
      responseSets: new FileResponseSetRepository(store),
      rounds: new FileRoundRepository(store),
      professionals: new FileProfessionalRepository(store),
      references: new FileConversationReferenceRepository(store),
      state: new FileStateStorage(store),
    },
  };
}
