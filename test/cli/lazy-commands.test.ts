// `ovc` loads only the subcommand it runs; the help listing shows the others from SUBCOMMANDS.
// These checks keep that listing equal to the real commands and prove `--help` loads none of them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageVersion, SUBCOMMANDS } from '../../cli/main.ts';

const OVC = fileURLToPath(new URL('../../cli/bin/ovc.mjs', import.meta.url));

describe('lazy subcommands', () => {
  for (const [name, sub] of Object.entries(SUBCOMMANDS)) {
    it(`the help line of '${name}' is the real command's description`, async () => {
      const real = await sub.load(() => {});
      expect(real.name()).toBe(name);
      expect(sub.description).toBe(real.description());
    });
  }

  it('--version prints the package version', () => {
    const r = spawnSync(process.execPath, [OVC, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(packageVersion());
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--help lists every subcommand; `help run` shows run\'s own flags', () => {
    const top = spawnSync(process.execPath, [OVC, '--help'], { encoding: 'utf8' });
    expect(top.status).toBe(0);
    for (const name of Object.keys(SUBCOMMANDS)) expect(top.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const run = spawnSync(process.execPath, [OVC, 'help', 'run'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--endpoint <url>');
    const serve = spawnSync(process.execPath, [OVC, 'serve', '--help'], { encoding: 'utf8' });
    expect(serve.stdout).toContain('--port');
  });
});
