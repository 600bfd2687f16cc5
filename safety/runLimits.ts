// The constants of the safety gates that the commands need before any of the gates' own code:
// `ovc run` bounds its --deadline by the longest run, and names the state folder, before it loads
// the client (safety/deleteGate.ts and safety/leftovers.ts import it, ~150 ms of start-up).
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The longest a run is taken to last (the default run deadline is below it): an index whose run started
 *  less long ago may belong to a live run; one created later than this after its run started is not the run's. */
export const LONGEST_RUN_MS = 6 * 3600_000;

/** Where the ledgers of runs against remote targets are kept: $OVC_STATE_DIR, else $XDG_STATE_HOME/ovc, else ~/.local/state/ovc. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OVC_STATE_DIR) return env.OVC_STATE_DIR;
  const xdg = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(xdg, 'ovc');
}
