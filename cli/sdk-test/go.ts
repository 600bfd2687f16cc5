// The Go SDK's vectors integration tests: built outside the isolated namespace (where the module
// proxy is reachable, or from a local Go source tree offline), run inside it as a test binary.
//
// Build: `go test -c -tags integration -o <scratch>/vectors.test ./oss/vectors`. With the network
// the toolchain downloads the SDK's modules as usual. Offline (`--gocode DIR`, or when the download
// fails and /usr/share/gocode/src exists), a go.mod of our own in the scratch folder (`-modfile`,
// the checkout untouched) `replace`s each required module — and those their go.mod files require —
// by its folder under DIR (Debian's layout: DIR/<module path>); a folder without go.mod is copied
// and given a minimal one. Run: `go tool test2json` around the binary, one run per test (a panic
// ends the binary: it cannot hide the other tests).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scratch } from './scratch.ts';
import { run } from './exec.ts';
import { oneLine, parseGoTestJson, type SdkTestResult } from './results.ts';

export const GO_TEST_FILE = 'oss/vectors/client_integration_test.go';
export const DEBIAN_GOCODE = '/usr/share/gocode/src';

/** The top-level tests of the Go SDK's vectors integration test file. */
export function goIntegrationTests(source: string): string[] {
  return [...source.matchAll(/^func (Test\w*)\(t \*testing\.T\)/gm)].map((m) => m[1]!);
}

/** The module paths a go.mod requires (single-line and block form, direct and indirect). */
export function goModRequires(goMod: string): string[] {
  const out: string[] = [];
  const clean = goMod.replace(/\/\/.*$/gm, '');
  for (const m of clean.matchAll(/^\s*require\s+([^\s(]+)\s+\S+/gm)) out.push(m[1]!.replace(/^"|"$/g, ''));
  for (const block of clean.matchAll(/^\s*require\s*\(([\s\S]*?)\)/gm)) {
    for (const line of block[1]!.split('\n')) {
      const m = /^\s*(\S+)\s+v\S+/.exec(line);
      if (m) out.push(m[1]!.replace(/^"|"$/g, ''));
    }
  }
  return [...new Set(out)];
}

export interface GoReplacement { modfile: string; replaced: string[]; missing: string[] }

/**
 * A go.mod for `-modfile`: the checkout's own, plus a `replace` of every module of its graph found
 * under `gocode` (folders without go.mod copied into the scratch folder with a minimal one).
 */
export function gocodeModfile(root: string, gocode: string, scratch: Scratch): GoReplacement {
  const own = readFileSync(join(root, 'go.mod'), 'utf8');
  const queue = goModRequires(own);
  const seen = new Set<string>();
  const replace: string[] = [];
  const missing: string[] = [];
  while (queue.length > 0) {
    const mod = queue.shift()!;
    if (seen.has(mod)) continue;
    seen.add(mod);
    const dir = join(gocode, mod);
    if (!existsSync(dir)) { missing.push(mod); continue; }
    let target = dir;
    if (existsSync(join(dir, 'go.mod'))) queue.push(...goModRequires(readFileSync(join(dir, 'go.mod'), 'utf8')));
    else {
      target = scratch.copy(dir, join('gocode', mod));
      scratch.write(join('gocode', mod, 'go.mod'), `module ${mod}\n\ngo 1.12\n`);
    }
    replace.push(`replace ${mod} => ${target}`);
  }
  const modfile = scratch.write('gomod/go.mod', `${own.trimEnd()}\n\n// ovc sdk-test: modules from ${gocode}\n${replace.join('\n')}\n`);
  return { modfile, replaced: replace.map((r) => r.split(' ')[1]!), missing };
}

export interface GoBuild { binary?: string; error?: string; modules: 'network' | 'gocode'; note: string; /** Why the module download failed before the offline build. */ downloadError?: string }

const MODULE_FETCH_FAILURE = /dial tcp|lookup \S+|no such host|connection refused|module lookup disabled|GOPROXY=off|GOFLAGS=-mod=mod|missing go\.sum entry|i\/o timeout|proxyconnect/;

/** Compiles the test binary; `gocode` undefined: the network first, DEBIAN_GOCODE when that fails. */
export async function buildGoTests(o: { root: string; go: string; gocode?: string; env: NodeJS.ProcessEnv; scratch: Scratch; timeoutMs: number }): Promise<GoBuild> {
  const binary = join(o.scratch.dir, 'vectors.test');
  // The package by its directory (a rooted path is a file-system package path to go, like ./oss/vectors).
  const args = ['test', '-c', '-tags', 'integration', '-o', binary, join(o.root, 'oss', 'vectors')];
  const attempt = async (env: NodeJS.ProcessEnv): Promise<string | undefined> => {
    const r = await run(o.go, args, { cwd: o.root, env, timeoutMs: o.timeoutMs });
    return r.code === 0 && existsSync(binary) ? undefined : (r.stderr || r.stdout || `exit ${r.code}`);
  };
  const offline = async (gocode: string, why: string): Promise<GoBuild> => {
    const rep = gocodeModfile(o.root, gocode, o.scratch);
    const note = `${why}modules from ${gocode} (${rep.replaced.join(', ') || 'none'}${rep.missing.length ? `; not there: ${rep.missing.join(', ')}` : ''})`;
    const failed = await attempt({ ...o.env, GOFLAGS: `-modfile=${rep.modfile} -mod=mod`, GOPROXY: 'off', GOSUMDB: 'off' });
    return failed ? { error: firstCause(failed), modules: 'gocode', note } : { binary, modules: 'gocode', note };
  };
  if (o.gocode !== undefined) return offline(o.gocode, '');
  const failed = await attempt(o.env);
  if (!failed) return { binary, modules: 'network', note: 'modules from the module proxy (GOPROXY)' };
  if (MODULE_FETCH_FAILURE.test(failed) && existsSync(DEBIAN_GOCODE)) {
    return { ...await offline(DEBIAN_GOCODE, 'the module download failed; '), downloadError: firstCause(failed) };
  }
  return { error: firstCause(failed), modules: 'network', note: 'modules from the module proxy (GOPROXY)' };
}

function firstCause(out: string): string {
  const fetch = out.split('\n').find((l) => MODULE_FETCH_FAILURE.test(l));
  if (fetch) return oneLine(fetch);
  return oneLine(/\S+\.go:\d+:\d+: .*|go: .*|cannot find.*|package .*/.exec(out)?.[0] ?? out);
}

/** Runs each test of the built binary (in the package folder, as go test does). */
export async function runGoTests(o: { root: string; go: string; build: GoBuild; names: readonly string[]; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<SdkTestResult[]> {
  const out: SdkTestResult[] = [];
  for (const name of o.names) {
    if (!o.build.binary) { out.push({ name, status: 'error', why: `the test binary did not build: ${o.build.error ?? 'unknown'}` }); continue; }
    const r = await run(o.go, ['tool', 'test2json', '-t', '-p', 'oss/vectors', o.build.binary, '-test.v', '-test.run', `^${name}$`, '-test.timeout', `${Math.ceil(o.timeoutMs / 1000)}s`],
      { cwd: join(o.root, 'oss', 'vectors'), env: o.env, timeoutMs: o.timeoutMs + 5000 });
    out.push(parseGoTestJson(r.stdout, name, r.stderr));
  }
  return out;
}
