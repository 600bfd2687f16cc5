// The suites' first worker thread, started early by run/suite-pool.ts: vitest's own worker entry
// (from here on the thread answers vitest's pool as any of its threads does), then the modules the
// run's suite files import, loaded ahead of them (the suite files' own imports find them loaded).
// A module that fails to load here fails again, with vitest's report, when its suite file imports it.
import { workerData } from 'node:worker_threads';

const { entry, warm } = workerData as { entry: string; warm: string[] };
await import(entry);
for (const m of warm) {
  try { await import(m); } catch { /* reported by the suite file's own import */ }
}
