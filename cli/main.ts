// The `ovc` command: run, diff, serve, pact, report (DESIGN.md, CLI contract).
import { Command, CommanderError } from 'commander';
import { ReportInputError } from '../reports/errors.ts';
import { diffCommand } from './diff.ts';
import { UsageError } from './errors.ts';
import { pactCommand } from './pact.ts';
import { reportCommand } from './report.ts';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';
import { signCommand } from './sign.ts';

export { UsageError };

export const EXIT = { conformant: 0, nonConformant: 1, couldNotRun: 2 } as const;


export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.conformant;
  const program = new Command('ovc')
    .description('Conformance and contract suite for OSS Vectors DeleteVectorIndex')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const setExit = (code: number): void => { exitCode = code; };
  program.addCommand(runCommand(setExit));
  program.addCommand(diffCommand(setExit));
  program.addCommand(serveCommand(setExit));
  program.addCommand(pactCommand(setExit));
  program.addCommand(reportCommand(setExit));
  program.addCommand(signCommand());
  // addCommand does not pass these settings down: every command must throw instead of exiting.
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return EXIT.conformant;
      return EXIT.couldNotRun;
    }
    if (e instanceof UsageError || e instanceof ReportInputError) {
      process.stderr.write(`ovc: ${e.message}\n`);
      return EXIT.couldNotRun;
    }
    throw e;
  }
  return exitCode;
}
