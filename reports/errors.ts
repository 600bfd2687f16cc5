/**
 * A report input that cannot be used (unreadable results.jsonl, bad baseline, missing summary):
 * one sentence naming the file. The CLI turns it into exit status 2.
 */
export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
}
