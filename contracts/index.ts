export * from './limits.ts';
export * from './errors.ts';
export * from './responses.ts';
export * from './provider-states.ts';
export * from './operations.ts';
export * from './envelope.ts';
