// Deletes what the run created (and only that), reporting failures on their own.
import { codeOf, type TargetClient } from './client.ts';
import type { Ledger } from './ledger.ts';

export interface CleanupReport { deleted: number; failures: string[] }

export async function cleanup(client: TargetClient, ledger: Ledger): Promise<CleanupReport> {
  const report: CleanupReport = { deleted: 0, failures: [] };
  for (const { bucket, name } of ledger.outstanding()) {
    if (!name.startsWith(ledger.prefix)) continue; // never touch what the run did not create
    try {
      const res = await client.op('DeleteVectorIndex', { indexName: name }, { bucket });
      if (res.status === 204 || codeOf(res) === 'NoSuchVectorIndex' || codeOf(res) === 'NoSuchBucket') {
        report.deleted += res.status === 204 ? 1 : 0;
        ledger.deleted(bucket, name);
      } else {
        report.failures.push(`${bucket}/${name}: ${res.status} ${codeOf(res) ?? ''}`.trim());
      }
    } catch (e) {
      report.failures.push(`${bucket}/${name}: ${(e as Error).message}`);
    }
  }
  return report;
}
