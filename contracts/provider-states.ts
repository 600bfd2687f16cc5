// Provider-state names and params of docs/provider-states.md (protocol v2: v1 plus the two
// named transitional states, so a stub that matches on the state name alone can serve the 409s).
import type { IndexState } from './limits.ts';

export const PROVIDER_STATE_PATH = '/_ovc/provider-states';

export const STATES = {
  bucketExists: 'a vector bucket exists',
  noBucket: 'no vector bucket exists',
  indexExists: 'a vector index exists',
  noIndex: 'no vector index exists',
  /** v2: as `a vector index exists` with status `creating`. */
  indexCreating: 'a vector index in creating exists',
  /** v2: as `a vector index exists` with status `deleting`. */
  indexDeleting: 'a vector index in deleting exists',
} as const;

export const PROVIDER_STATE_PROTOCOL_VERSION = 2;

/** The status each v2 named state fixes (the `status` param of `a vector index exists` does the same in v1). */
export const STATE_STATUS: Readonly<Partial<Record<StateName, IndexState>>> = {
  [STATES.indexCreating]: 'creating',
  [STATES.indexDeleting]: 'deleting',
};

export type StateName = (typeof STATES)[keyof typeof STATES];

export interface StateParams {
  bucket?: string;
  indexName?: string;
  status?: IndexState;
  dimension?: number;
  distanceMetric?: 'cosine' | 'euclidean';
  vectorCount?: number;
}

export interface StateRequest {
  action?: 'setup' | 'teardown';
  state: StateName;
  params?: StateParams;
}

export const STATE_DEFAULTS = { status: 'enable', dimension: 4, distanceMetric: 'cosine', vectorCount: 0 } as const;
