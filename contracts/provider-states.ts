// Provider-state names and params of spec/provider-states.md (protocol v2).
import type { IndexState } from './limits.ts';

export const PROVIDER_STATE_PATH = '/_ovc/provider-states';

export const STATES = {
  bucketExists: 'a vector bucket exists',
  noBucket: 'no vector bucket exists',
  indexExists: 'a vector index exists',
  noIndex: 'no vector index exists',
  /** v2: as `a vector index exists` with status `creating` (a stub can select it by name alone). */
  indexCreating: 'a vector index in creating exists',
  /** v2: as `a vector index exists` with status `deleting`. */
  indexDeleting: 'a vector index in deleting exists',
} as const;

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
