// vitest setup file used by bench/suite-profile.ts: profiles each suite file from its first
// beforeAll to its last afterAll with the inspector (the worker threads are terminated, so
// --cpu-prof never gets to write their profiles) and writes one .cpuprofile per file.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll } from 'vitest';

const dir = process.env.OVC_PROFILE_DIR;
const session = new Session();

beforeAll(async () => {
  if (!dir) return;
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
});

afterAll(async () => {
  if (!dir) return;
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(join(dir, `suite-${process.pid}-${threadId}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  session.disconnect();
});
