// Small helpers shared by the per-response suites.
import { responseByKey, type DocumentedResponse } from '../contracts/responses.ts';
import { codeOf } from '../target/client.ts';
import { createIndex, SetupError, type CaseSpec } from './harness.ts';

export function caseSpec(responseKey: string, behaviour: string, labels: readonly string[], extra: Partial<CaseSpec> = {}): CaseSpec {
  const r: DocumentedResponse = responseByKey(responseKey);
  return {
    id: `delete-vector-index/${r.key}/${behaviour}`,
    response: r.label,
    labels,
    expected: { status: r.status, code: r.code },
    cites: r.doc.says,
    tags: r.key,
    ...extra,
  };
}

export async function mustCreate(name: string, dimension = 4): Promise<void> {
  const res = await createIndex(name, dimension);
  if (res.status !== 200) throw new SetupError(`could not create index ${name}: ${res.status} ${codeOf(res) ?? ''}`);
}
