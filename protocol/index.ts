export * from './signer.ts';
export * from './verify.ts';
export * from './md5.ts';
export * from './addressing.ts';
export * from './envelope.ts';
export * from './wire.ts';
