// The lifecycle model alone, its sequences side by side, catches the emulator's lifecycle fault
// profiles: `ovc run --tags lifecycle` at the default size (20 sequences) fails on lifecycle
// sequences for each profile a command sequence can see, and passes against the faithful emulator.
// Transitions are immediate here, so a second is a generous settle bound (the default for an
// endpoint is a minute, which a never-gone index would wait out per delete), and --max-indexes 100
// holds every sequence's share at once (deleted indexes that never go keep their slots, and the
// sequences waiting for one would wait out the budget's bound). The emulator here has no rate limit
// and the model's verdicts do not depend on pacing, so PutVectorIndex goes unpaced (--put-index-rps
// 0; at the documented 5/s a run waited ~8 of its ~9 s on the pacer).
// (The other suites catch the same profiles with fixed cases: test/selftest/fault-profiles.test.ts;
// the model's odds per profile: test/generators/lifecycle.test.ts.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { runOvc } from './run-cli.ts';

const CREDS = { OSS_ACCESS_KEY_ID: 'selftest-key', OSS_ACCESS_KEY_SECRET: 'selftest-secret-value' };
const IDENTITIES = [{ accessKeyId: CREDS.OSS_ACCESS_KEY_ID, accessKeySecret: CREDS.OSS_ACCESS_KEY_SECRET }];
const BUCKETS = ['ovc-conformance', 'ovc-other'];
const SEQUENCE = 'delete-vector-index/lifecycle/sequence#';

const running: RunningEmulator[] = [];
afterAll(async () => { await Promise.all(running.map((e) => e.close())); });

async function lifecycleRun(fault: string | null): Promise<Awaited<ReturnType<typeof runOvc>>> {
  const emu = await startEmulator({ fault, identities: IDENTITIES, stateHook: true, buckets: BUCKETS });
  running.push(emu);
  const out = mkdtempSync(join(tmpdir(), `ovc-lifecycle-${fault ?? 'clean'}-`));
  return runOvc(['run', '--endpoint', emu.url, '--state-hook', emu.stateHookUrl!, '--other-bucket', BUCKETS[1]!, '--tags', 'lifecycle', '--runs', '500', '--seed', '7', '--settle-ms', '1000', '--max-indexes', '100', '--put-index-rps', '0', '--quiet', '--out', out], CREDS, 170_000);
}

describe('self-test: the lifecycle model, sequences side by side', () => {
  it.concurrent('the faithful emulator passes all 20 sequences', { timeout: 180_000 }, async () => {
    const r = await lifecycleRun(null);
    const seqs = r.results.filter((x) => x.id.startsWith(SEQUENCE));
    expect(seqs.length).toBe(20);
    expect(seqs.filter((x) => x.outcome === 'fail' || x.outcome === 'error').map((x) => `${x.id}: ${x.reason}`)).toEqual([]);
    expect(r.code).toBe(0);
  });

  for (const fault of ['status-enabled-literal', 'vectors-survive-delete', 'deleted-index-visible', 'delete-by-prefix', 'delete-in-all-buckets']) {
    it.concurrent(`fault profile '${fault}' makes lifecycle sequences disagree with the model (exit 1)`, { timeout: 180_000 }, async () => {
      const r = await lifecycleRun(fault);
      const failing = r.results.filter((x) => x.id.startsWith(SEQUENCE) && x.outcome === 'fail');
      expect(failing.length, r.stderr.slice(-600)).toBeGreaterThan(0);
      expect(failing[0]!.reason).toMatch(/disagreed with the model/);
      expect(r.code).toBe(1);
    });
  }
});
