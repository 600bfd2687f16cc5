// The CI workflow is part of the product: it parses, and its jobs run what the docs promise.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const WORKFLOW = resolve(import.meta.dirname, '../../.github/workflows/conformance.yml');

interface Step { uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job { needs?: string | string[]; if?: string; steps: Step[]; strategy?: { matrix: Record<string, unknown> }; env?: Record<string, string> }

describe('.github/workflows/conformance.yml', () => {
  const wf = parse(readFileSync(WORKFLOW, 'utf8')) as { on: Record<string, unknown>; env: Record<string, unknown>; jobs: Record<string, Job> };
  const runs = (job: Job): string => job.steps.map((s) => s.run ?? '').join('\n');

  it('runs on push and pull_request with pact tracking off', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    expect(String(wf.env.PACT_DO_NOT_TRACK)).toBe('true');
  });

  it('emulator job: npm ci, ovc run --out out, reports uploaded and JUnit published even on failure', () => {
    const job = wf.jobs.emulator!;
    expect(runs(job)).toContain('npm ci');
    expect(runs(job)).toMatch(/npx ovc run --out out\b/);
    const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload).toMatchObject({ if: 'always()', with: { path: 'out/' } });
    const junit = job.steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report@'))!;
    expect(junit).toMatchObject({ if: 'always()', with: { report_paths: 'out/junit.xml' } });
    expect(job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!.with!['node-version']).toBe(20);
  });

  it('real-region job runs only when credentials are present, with endpoint, bucket, account id and optional baseline', () => {
    const job = wf.jobs['real-region']!;
    expect(job.needs).toBe('credentials');
    expect(job.if).toContain("needs.credentials.outputs.present == 'true'");
    const script = runs(job);
    expect(script).toContain('https://${OSS_VECTORS_REGION}.oss-vectors.aliyuncs.com');
    expect(script).toMatch(/--bucket .*--account-id/);
    expect(script).toContain('baselines/real-region.yaml');
    expect(job.env!.OSS_ACCESS_KEY_SECRET).toBe('${{ secrets.OSS_ACCESS_KEY_SECRET }}');
  });

  it('shards job runs two shards of one seed, and merge combines them', () => {
    const shards = wf.jobs.shards!;
    expect(shards.strategy!.matrix.shard).toEqual([1, 2]);
    expect(runs(shards)).toMatch(/--runs 100000 .*--shard \$\{\{ matrix\.shard \}\}\/2 --out out-\$\{\{ matrix\.shard \}\}/);
    expect(runs(shards)).toContain('--seed');
    const merge = wf.jobs.merge!;
    expect(merge.needs).toBe('shards');
    expect(merge.steps.filter((s) => s.uses?.startsWith('actions/download-artifact@'))).toHaveLength(2);
    expect(runs(merge)).toContain('npx ovc report merge --out merged out-1 out-2');
  });
});
