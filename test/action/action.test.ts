// The composite GitHub Action (action.yml) and the script it runs (scripts/action-run.sh), run
// locally: the script against the embedded emulator and against a faulty emulator, its input
// checks, the `ovc run` command line it builds (OVC_ACTION_DRY_RUN=1), and action.yml's shape.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'action-run.sh');
const OVC_BIN = `node ${join(ROOT, 'dist', 'cli', 'bin.js')}`;

interface ScriptRun { code: number | null; stdout: string; stderr: string; output: string; summary: string }

const dirs: string[] = [];
const emulators: RunningEmulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ovc-action-'));
  dirs.push(d);
  return d;
}

/** Runs the script as action.yml does: inputs as OVC_ACTION_* variables, in a workspace folder. */
function runScript(inputs: Record<string, string>, extraEnv: Record<string, string> = {}, timeoutMs = 120_000): Promise<ScriptRun & { workspace: string }> {
  const workspace = tempDir();
  const outputFile = join(workspace, 'github-output');
  const summaryFile = join(workspace, 'step-summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  // Nothing of the calling environment's own OSS/OVC/GitHub settings leaks into the run.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(OSS_|OVC_|GITHUB_|INPUT_)/.test(k)));
  const env: Record<string, string> = {
    ...base as Record<string, string>,
    PACT_DO_NOT_TRACK: 'true',
    OVC_BIN,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ACTIONS: '',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`OVC_ACTION_${k.toUpperCase().replace(/-/g, '_')}`, v])),
    ...extraEnv,
  };
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`action-run.sh timed out\n${stderr}`)); }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, workspace, output: readFileSync(outputFile, 'utf8'), summary: readFileSync(summaryFile, 'utf8') });
    });
  });
}

const REPORTS = ['results.jsonl', 'junit.xml', 'summary.md', 'summary.json', 'report.html'];

describe('scripts/action-run.sh', () => {
  it('embedded emulator (endpoint empty), runs 3: exit 0, reports in the out folder, exit-code=0 recorded, job summary written', async () => {
    const r = await runScript({ endpoint: '', runs: '3', strict: 'false', out: 'ovc-reports' });
    expect(r.code, `${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`).toBe(0);
    for (const f of REPORTS) expect(existsSync(join(r.workspace, 'ovc-reports', f)), f).toBe(true);
    expect(r.output).toBe('exit-code=0\n');
    // ovc itself appends summary.md to $GITHUB_STEP_SUMMARY; the action adds no step for it.
    expect(r.summary.length).toBeGreaterThan(0);
    expect(r.summary).toContain(readFileSync(join(r.workspace, 'ovc-reports', 'summary.md'), 'utf8').split('\n')[0]!);
  }, 150_000);

  it('an empty out input falls back to ovc-reports (the folder action.yml uploads)', async () => {
    const r = await runScript({ out: '', runs: '1' }, { OVC_ACTION_DRY_RUN: '1' });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').slice(-2)).toEqual(['--out', 'ovc-reports']);
  });

  it.each([
    [{ runs: 'abc' }, /^ovc-action: input 'runs' must be a whole number, got 'abc'$/],
    [{ runs: '-3' }, /^ovc-action: input 'runs' must be a whole number, got '-3'$/],
    [{ runs: '3', strict: 'yes' }, /^ovc-action: input 'strict' must be 'true' or 'false', got 'yes'$/],
  ])('bad input %j: one clear line, exit 2, exit-code=2 recorded, ovc never started', async (inputs, message) => {
    // OVC_BIN leaves a mark if it is ever run.
    const mark = join(tempDir(), 'started');
    const r = await runScript(inputs, { OVC_BIN: `touch ${mark}` });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.output).toBe('exit-code=2\n');
    expect(existsSync(mark)).toBe(false);
    expect(existsSync(join(r.workspace, 'ovc-reports'))).toBe(false);
  });

  it('builds the command line: every non-empty input as its flag, --strict only for true (dry run)', async () => {
    const full = {
      endpoint: 'https://cn-hangzhou.oss-vectors.aliyuncs.com', bucket: 'my-bucket', region: 'cn-hangzhou', 'account-id': '1234567890',
      'state-hook': 'https://hook.example/states', baseline: 'ci/baseline file.yaml', runs: '50', strict: 'true', out: 'reports dir',
    };
    const r = await runScript(full, { OVC_ACTION_DRY_RUN: '1', OVC_BIN: 'npx --no-install ovc' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, -1)).toEqual([
      'npx', '--no-install', 'ovc', 'run',
      '--endpoint', full.endpoint, '--bucket', 'my-bucket', '--region', 'cn-hangzhou', '--account-id', '1234567890',
      '--state-hook', full['state-hook'], '--baseline', 'ci/baseline file.yaml', '--runs', '50', '--strict', '--out', 'reports dir',
    ]);
    expect(r.output).toBe(''); // nothing ran, nothing recorded

    // Empty inputs pass no flag; strict 'false' passes no --strict; the default command is npx --no-install ovc.
    const sparse = await runScript({ ...full, bucket: '', region: '', 'state-hook': '', baseline: '', runs: '', strict: 'false' }, { OVC_ACTION_DRY_RUN: '1', OVC_BIN: '' });
    expect(sparse.code, sparse.stderr).toBe(0);
    expect(sparse.stdout.split('\n').slice(0, -1)).toEqual([
      'npx', '--no-install', 'ovc', 'run', '--endpoint', full.endpoint, '--account-id', '1234567890', '--out', 'reports dir',
    ]);

    const none = await runScript({}, { OVC_ACTION_DRY_RUN: '1' });
    expect(none.stdout.split('\n').slice(0, -1)).toEqual([...OVC_BIN.split(' '), 'run', '--out', 'ovc-reports']);
  });

  it('a faulty target (status-200-on-delete) through endpoint, state hook and credentials from env: exit 1, exit-code=1 recorded', async () => {
    const emu = await startEmulator({ fault: 'status-200-on-delete', identities: [{ accessKeyId: 'k1', accessKeySecret: 's1-secret-value' }], stateHook: true });
    emulators.push(emu);
    const r = await runScript(
      { endpoint: emu.url, 'state-hook': emu.stateHookUrl!, runs: '3', strict: 'false' },
      { OSS_ACCESS_KEY_ID: 'k1', OSS_ACCESS_KEY_SECRET: 's1-secret-value' },
      180_000,
    );
    expect(r.code, `${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`).toBe(1);
    expect(r.output).toBe('exit-code=1\n');
    const results = readFileSync(join(r.workspace, 'ovc-reports', 'results.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { outcome: string });
    expect(results.some((x) => x.outcome === 'fail')).toBe(true);
    // The secret went in through the environment only and is in no report or log.
    expect(r.stdout + r.stderr + r.summary).not.toContain('s1-secret-value');
  }, 200_000);
});

interface Step { name?: string; id?: string; uses?: string; run?: string; if?: string; shell?: string; with?: Record<string, string>; env?: Record<string, string>; 'continue-on-error'?: boolean }
interface ActionYml { runs: { using: string; steps: Step[] }; inputs: Record<string, { default?: string; description?: string }>; outputs: Record<string, { value: string }> }

describe('scripts/action-run.sh install (the action\'s install step)', () => {
  const install = (env: Record<string, string>): Promise<ScriptRun & { workspace: string }> => new Promise((resolve, reject) => {
    const workspace = tempDir();
    const output = join(workspace, 'github-output');
    writeFileSync(output, '');
    const child = spawn('bash', [SCRIPT, 'install'], { cwd: workspace, env: { PATH: process.env.PATH ?? '', RUNNER_TEMP: workspace, GITHUB_OUTPUT: output, OVC_ACTION_DRY_RUN: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, workspace, output: readFileSync(output, 'utf8'), summary: '' }));
  });

  it('without a version: packs the action\'s checkout and installs the tarball into a folder of its own — never the sources (dry run)', async () => {
    const r = await install({ OVC_ACTION_PATH: '/action' });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^npm ci --prefix \/action /);
    expect(lines).toContain(`npm pack /action --ignore-scripts --pack-destination ${r.workspace}/ovc-pack`);
    expect(lines.at(-1)).toBe(`npm install --prefix ${r.workspace}/ovc-install --no-save --no-audit --no-fund --loglevel error ${r.workspace}/ovc-pack/oss-vectors-conformance-VERSION.tgz`);
    expect(r.output).toBe(`bin=${r.workspace}/ovc-install/node_modules/.bin/ovc\n`);
  });

  it('with a version: installs that npm spec (a bare version becomes oss-vectors-conformance@version) (dry run)', async () => {
    const r = await install({ OVC_ACTION_VERSION: '0.1.0' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/ oss-vectors-conformance@0\.1\.0$/);
    expect(r.stdout).not.toContain('npm pack');
  });
});

describe('action.yml', () => {
  const text = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  const action = parse(text) as ActionYml;
  const steps = action.runs.steps;

  it('is a composite action declaring every input of the issue (and no credential input)', () => {
    expect(action.runs.using).toBe('composite');
    const inputs = Object.keys(action.inputs);
    for (const name of ['endpoint', 'bucket', 'region', 'account-id', 'state-hook', 'baseline', 'runs', 'strict', 'out', 'version']) expect(inputs, name).toContain(name);
    for (const name of inputs) expect(name, `input '${name}' looks like a credential`).not.toMatch(/key|secret|token|password|credential/i);
    expect(action.inputs.endpoint!.default).toBe('');
    expect(action.inputs.strict!.default).toBe('false');
    expect(action.inputs.out!.default).toBe('ovc-reports');
    expect(action.outputs['exit-code']!.value).toBe('${{ steps.run.outputs.exit-code }}');
  });

  it('runs the script with every input as an OVC_ACTION_* variable (never interpolated into the script text)', () => {
    const run = steps.find((s) => s.id === 'run')!;
    expect(run.run).toContain('scripts/action-run.sh');
    expect(run.run).not.toMatch(/\$\{\{/);
    expect(run['continue-on-error']).toBe(true);
    for (const name of ['endpoint', 'bucket', 'region', 'account-id', 'state-hook', 'baseline', 'runs', 'strict', 'out']) {
      expect(run.env![`OVC_ACTION_${name.toUpperCase().replace(/-/g, '_')}`], name).toBe(`\${{ inputs.${name} }}`);
    }
    // No step's script text holds an expression: inputs reach shell code through env only.
    for (const s of steps) if (s.run) expect(s.run, s.name).not.toMatch(/\$\{\{/);
  });

  it('sets up node by a major tag, uploads the reports with if: always(), then fails the job on a non-zero exit code', () => {
    const setup = steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!;
    expect(setup.uses).toBe('actions/setup-node@v4');
    const runIdx = steps.findIndex((s) => s.id === 'run');
    const uploadIdx = steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(uploadIdx).toBeGreaterThan(runIdx);
    const upload = steps[uploadIdx]!;
    expect(upload.uses).toBe('actions/upload-artifact@v4');
    expect(upload.if).toBe('always()');
    expect(upload.with!.path).toContain('inputs.out');
    const last = steps[steps.length - 1]!;
    expect(steps.indexOf(last)).toBeGreaterThan(uploadIdx);
    expect(last.if).toBe('always()');
    expect(last.env!.OVC_EXIT_CODE).toBe('${{ steps.run.outputs.exit-code }}');
    for (const s of steps) if (s.run) expect(s.shell, s.name).toBe('bash');
  });

  it('the final step exits with the recorded code: 0 passes, 1 and 2 (and a missing code) fail', async () => {
    const last = steps[steps.length - 1]!;
    const cases: Array<[string, number]> = [['0', 0], ['1', 1], ['2', 2], ['', 2]];
    for (const [code, want] of cases) {
      const got = await new Promise<number | null>((resolve) => {
        const child = spawn('bash', ['-e', '-c', last.run!], { env: { PATH: process.env.PATH ?? '', OVC_EXIT_CODE: code }, stdio: 'ignore' });
        child.on('close', resolve);
      });
      expect(got, `exit-code '${code}'`).toBe(want);
    }
  });
});
