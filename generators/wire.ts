// The request shape the generators build and the signature faults transform (defined in protocol/).
export type { SigningContext, WireRequest } from '../protocol/wire.ts';
