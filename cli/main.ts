// The `ovc` command: run, diff, serve, pact, report (docs/design.md, CLI contract).
// Subcommands are imported lazily: only the one named on the command line is loaded (`ovc --help`
// loads none of them), so a start-up does not pay for undici, the reports or vitest it won't use.
import { Command, CommanderError } from 'commander';
import { PathRefused } from '../files/gate.ts';
import { ReportInputError } from '../reports/errors.ts';
import { UsageError } from './errors.ts';
import { packageVersion } from './package-files.ts';

export { packageVersion };

export { UsageError };

export const EXIT = { conformant: 0, nonConformant: 1, couldNotRun: 2 } as const;

type SetExit = (code: number) => void;

/**
 * Every subcommand: its one-line description (shown by `ovc --help` without loading it; a test
 * checks it equals the real command's) and how to build the real command.
 */
export const SUBCOMMANDS: Record<string, { description: string; load: (setExit: SetExit) => Promise<Command> }> = {
  run: {
    description: 'assert every documented DeleteVectorIndex response against a target (default: the embedded emulator)',
    load: async (setExit) => (await import('./run.ts')).runCommand(setExit),
  },
  diff: {
    description: 'run the same cases against two targets and compare their answers (default target: the embedded emulator)',
    load: async (setExit) => (await import('./diff.ts')).diffCommand(setExit),
  },
  serve: {
    description: 'Run the reference OSS Vectors emulator (stateful, strict, with the provider-state hook)',
    load: async (setExit) => (await import('./serve.ts')).serveCommand(setExit),
  },
  pact: {
    description: 'Pact V4 contracts: generate the consumer pact and the OpenAPI document, verify the pact against a target, publish verified pacts and the provider contract',
    load: async (setExit) => (await import('./pact.ts')).pactCommand(setExit),
  },
  report: {
    description: 're-render, merge (shards or targets) and baseline the reports of ovc runs',
    load: async (setExit) => (await import('./report.ts')).reportCommand(setExit),
  },
  cleanup: {
    description: 'list (and with --yes delete) the indexes stopped ovc runs left on a target',
    load: async (setExit) => (await import('./cleanup.ts')).cleanupCommand(setExit),
  },
  'sdk-test': {
    description: "run an official SDK's own vectors integration tests (unchanged) against ovc serve on loopback and print test → pass/fail → why",
    load: async (setExit) => (await import('./sdk-test.ts')).sdkTestCommand(setExit),
  },
  sign: {
    description: 'print V4 signing headers for a request (used by the curl lines of failing cases)',
    load: async () => (await import('./sign.ts')).signCommand(),
  },
};

/** The subcommand the arguments name (`ovc help X` names X), or null. */
function named(argv: readonly string[]): string | null {
  const args = argv.slice(2);
  const first = args.find((a) => !a.startsWith('-'));
  if (first === 'help') {
    const second = args.slice(args.indexOf('help') + 1).find((a) => !a.startsWith('-'));
    return second && second in SUBCOMMANDS ? second : null;
  }
  return first && first in SUBCOMMANDS ? first : null;
}

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.conformant;
  const program = new Command('ovc')
    .description('Conformance and contract suite for OSS Vectors DeleteVectorIndex')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const setExit = (code: number): void => { exitCode = code; };
  const wanted = named(argv);
  for (const [name, sub] of Object.entries(SUBCOMMANDS)) {
    // The named subcommand is built for real; the others only need to show in the help listing.
    program.addCommand(name === wanted ? await sub.load(setExit) : new Command(name).description(sub.description));
  }
  // addCommand does not pass these settings down: every command must throw instead of exiting.
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return EXIT.conformant;
      return EXIT.couldNotRun;
    }
    if (e instanceof UsageError || e instanceof PathRefused || e instanceof ReportInputError) {
      process.stderr.write(`ovc: ${e.message}\n`);
      return EXIT.couldNotRun;
    }
    throw e;
  }
  return exitCode;
}
