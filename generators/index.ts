// The generators: fast-check arbitraries for DeleteVectorIndex cases, each labelled with what is
// wrong with it, and the oracle from labels to the documented response.
export type { SigningContext, WireRequest } from '../protocol/wire.ts';
export * from './labels.ts';
export * from './indexName.ts';
export * from './body.ts';
export * from './malformedJson.ts';
export * from './signatureFault.ts';
export * from './indexState.ts';
export * from './oracle.ts';
export * from './lifecycle.ts';
