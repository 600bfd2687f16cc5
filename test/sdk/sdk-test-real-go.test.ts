// `ovc sdk-test go` with the real Go toolchain (skipped where there is none) on a small stand-in
// SDK whose integration test imports a module and calls the emulator: built with the module
// downloaded from a module proxy this test serves on the outer loopback (unreachable from the
// namespace the tests run in), and offline from a local Go source tree whose module has no go.mod.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import type { SdkTestReport } from '../../cli/sdk-test.ts';
import { namespacesAvailable } from '../../cli/sdk-test/isolation.ts';
import { startGoProxy } from './goproxy.ts';

const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'ovc-sdk-real-go-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The source tree: example.com/dep (no go.mod, as some of Debian's packages). */
function gocode(): string {
  const tree = join(dir, 'gocode');
  mkdirSync(join(tree, 'example.com/dep'), { recursive: true });
  writeFileSync(join(tree, 'example.com/dep/dep.go'), 'package dep\n\n// Want is the status an unsigned request gets.\nfunc Want() int { return 403 }\n');
  return tree;
}

function checkout(name: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'oss/vectors'), { recursive: true });
  writeFileSync(join(root, 'go.mod'), 'module example.com/sdk\n\ngo 1.18\n\nrequire example.com/dep v1.0.0\n');
  writeFileSync(join(root, 'oss/version.go'), 'package oss\n\nconst (\n\tmajor = "0"\n\tminor = "0"\n\tpatch = "1"\n)\n');
  writeFileSync(join(root, 'oss/vectors/vectors.go'), 'package vectors\n');
  writeFileSync(join(root, 'oss/vectors/client_integration_test.go'), `//go:build integration

package vectors

import (
\t"net/http"
\t"os"
\t"testing"

\t"example.com/dep"
)

func TestReachesEmulator(t *testing.T) {
\tres, err := http.Get(os.Getenv("OSS_TEST_VECTORS_ENDPOINT") + "/")
\tif err != nil {
\t\tt.Fatal(err)
\t}
\tif res.StatusCode != dep.Want() {
\t\tt.Fatalf("status %d", res.StatusCode)
\t}
}
`);
  return root;
}

async function ovc(...args: string[]): Promise<{ status: number | null; stderr: string }> {
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr += String(s); return true; });
  try {
    return { status: await main(['node', 'ovc', 'sdk-test', ...args]), stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe.skipIf(!hasGo)('ovc sdk-test go with the real Go toolchain', () => {
  it.skipIf(!namespacesAvailable())('networked: the module comes from the module proxy before the namespace; the test binary passes inside it', async () => {
    const proxy = await startGoProxy(gocode(), { 'example.com/dep': 'v1.0.0' });
    vi.stubEnv('GOPROXY', proxy.url);
    vi.stubEnv('GOSUMDB', 'off');
    vi.stubEnv('GOFLAGS', '-mod=mod');
    vi.stubEnv('GOMODCACHE', join(dir, 'modcache'));
    try {
      const json = join(dir, 'net.json');
      const r = await ovc('go', checkout('net'), '--isolation', 'netns', '--json', json);
      expect(r.stderr).toContain('modules from the module proxy (GOPROXY)');
      expect(proxy.hits.some((h) => h === '/example.com/dep/@v/v1.0.0.zip')).toBe(true);
      const report = JSON.parse(readFileSync(json, 'utf8')) as SdkTestReport;
      expect(report.tests).toEqual([{ name: 'TestReachesEmulator', status: 'pass', why: '' }]);
      expect(r.status).toBe(0);
    } finally {
      vi.unstubAllEnvs();
      proxy.close();
    }
  }, 240_000);

  it('offline: --gocode builds the replacement itself, the module without go.mod given one', async () => {
    vi.stubEnv('GOPROXY', 'off');
    vi.stubEnv('GOMODCACHE', join(dir, 'modcache-offline'));
    try {
      const json = join(dir, 'offline.json');
      const r = await ovc('go', checkout('offline'), '--gocode', gocode(), '--isolation', 'none', '--json', json);
      expect(r.stderr).toContain('(example.com/dep)');
      const report = JSON.parse(readFileSync(json, 'utf8')) as SdkTestReport;
      expect(report.tests).toEqual([{ name: 'TestReachesEmulator', status: 'pass', why: '' }]);
    } finally {
      vi.unstubAllEnvs();
    }
  }, 240_000);
});
