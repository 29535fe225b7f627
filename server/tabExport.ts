import type { ItemBank } from '../services/questionnaire/itemBank';
import { ExportFormat, writeRoundExport } from '../services/export/roundExport';
import { Pseudonymiser } from '../services/export/pseudonymiser';
import type { RoundAnswers } from '../services/rounds/roundAnswers';
import type { Round } from '../services/rounds/round';

/** One round's download from the tab: a self-contained FHIR Bundle, or the research CSV without comments. */
export interface RoundExportFile {
  body: string;
  contentType: string;
  fileName: string;
}

export async function roundExportFile(
  bank: ItemBank,
  answers: RoundAnswers,
  format: ExportFormat,
  getRound: (id: string) => Promise<Round | undefined>,
  now: () => Date,
): Promise<RoundExportFile> {
  let body = '';
  async function* only(): AsyncIterable<Round> {
    yield answers.round;
  }
  await writeRoundExport(
    { bank, rounds: only(), loadAnswers: async () => answers, getRound, now },
    {
      format,
      selection: { from: null, to: null, roundId: answers.round.id },
      pseudonymiser: new Pseudonymiser(),
      withComments: false,
    },
    {
      write: async (text) => {
        body += text;
      },
    },
  );
  const day = answers.round.appointmentDate;
  return format === 'fhir'
    ? { body, contentType: 'application/fhir+json; charset=utf-8', fileName: `alliance-round-${day}.fhir.json` }
    : { body, contentType: 'text/csv; charset=utf-8', fileName: `alliance-round-${day}.csv` };
}
