// Test tags (vitest's typed tags): one per documented response and behaviour, plus cost classes.
// `ovc run --tags EXPR` passes EXPR to vitest's tags filter.
import { BEHAVIOUR_ROWS, DELETE_VECTOR_INDEX_RESPONSES } from '../contracts/responses.ts';

export const TAGS: Array<{ name: string; description: string }> = [
  ...DELETE_VECTOR_INDEX_RESPONSES.map((r) => ({ name: r.key, description: r.label })),
  ...BEHAVIOUR_ROWS.map((r) => ({ name: r.key, description: r.label })),
  { name: 'multi-fault', description: 'requests with several faults: any allowed code, precedence recorded' },
  { name: 'index-states', description: 'every index state at delete time, set up and then deleted' },
  { name: 'property', description: 'generated cases (count set by --runs)' },
  { name: 'state-hook', description: 'needs the provider-state hook' },
  { name: 'wire-forms', description: 'the official SDKs\' wire forms' },
  { name: 'coverage', description: 'the coverage phase: one deterministic case per label and boundary' },
];
