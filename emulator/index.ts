// The reference OSS Vectors emulator: public API.
export { defaultIdentities, type EmulatorOptions, type Identity } from './options.ts';
export { createEmulatorHandler, createEmulatorInstance, startEmulator, type EmulatorInstance, type RunningEmulator } from './server.ts';
export { FAULT_NAMES, FAULT_PROFILES, isFaultName, type FaultName } from './faults.ts';
export { Store } from './store.ts';
export { VectorData } from './vectorData.ts';
