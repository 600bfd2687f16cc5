// An emulator on its own port for the pact tests, with the process's credentials pointed at its
// default identity for the duration (and put back afterwards).
import { afterAll, beforeAll } from 'vitest';
import { defaultIdentities, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.ts';

export function separateEmulator(opts: EmulatorOptions): () => RunningEmulator {
  let em: RunningEmulator | undefined;
  const saved = { id: process.env.OSS_ACCESS_KEY_ID, secret: process.env.OSS_ACCESS_KEY_SECRET };
  beforeAll(async () => {
    const identities = defaultIdentities({});
    em = await startEmulator({ identities, ...opts });
    process.env.OSS_ACCESS_KEY_ID = identities[0]!.accessKeyId;
    process.env.OSS_ACCESS_KEY_SECRET = identities[0]!.accessKeySecret;
  });
  afterAll(async () => {
    await em?.close();
    if (saved.id === undefined) delete process.env.OSS_ACCESS_KEY_ID; else process.env.OSS_ACCESS_KEY_ID = saved.id;
    if (saved.secret === undefined) delete process.env.OSS_ACCESS_KEY_SECRET; else process.env.OSS_ACCESS_KEY_SECRET = saved.secret;
  });
  return () => {
    if (!em) throw new Error('the emulator is not started yet');
    return em;
  };
}
