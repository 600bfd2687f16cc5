// The case recorder's interim flush (run/recorder.ts): a timer writes what a worker recorded twice a
// second. When the run's work folder is already gone (the parent removed it: the run is over), that
// flush must not end the worker with an uncaught exception (vitest: "unhandled error", the run broken).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => { vi.useRealTimers(); vi.resetModules(); });

describe('the recorder\'s timer flush', () => {
  it('writes pending records, and does not throw once the work folder is gone', async () => {
    vi.useFakeTimers();
    vi.resetModules();
    const recorder = await import('../../run/recorder.ts');
    const { readCaseRecords } = await import('../../run/workfolder.ts');
    const dir = mkdtempSync(join(tmpdir(), 'ovc-recorder-'));
    const workDir = join(dir, '.work');
    mkdirSync(workDir);
    recorder.bindRecorder({ workDir, workers: 1, stats: () => ({ requests: 0 }) as never });
    recorder.recordCase(`${JSON.stringify({ id: 'rec/one', outcome: 'pass' })}\n`, []);
    vi.advanceTimersByTime(600);
    expect(readCaseRecords(workDir).map((r) => r.id)).toEqual(['rec/one']);
    rmSync(dir, { recursive: true, force: true });
    recorder.recordCase(`${JSON.stringify({ id: 'rec/two', outcome: 'pass' })}\n`, []);
    expect(() => vi.advanceTimersByTime(600)).not.toThrow();
  });
});
