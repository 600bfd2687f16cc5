// The last process of a run whose parent died (kill -9, a CI runner's hard timeout): it gets the run
// from the suite child over IPC, deletes what the run's ledger holds until its deadline, removes the
// work folder, and exits — by the deadline, done or not. What it could not delete stays in the
// ledger, in the state folder, for the next run against the target (safety/leftovers.ts).
import { TargetClient, Pacer } from '../client/client.ts';
import type { RunChannel } from '../client/config.ts';
import { configureTls } from '../client/http.ts';
import { cleanup } from '../safety/removeCreated.ts';
import { closeRunLedger } from '../safety/leftovers.ts';
import { Ledger } from '../safety/ledger.ts';
import { stateHookOf } from '../scenario/hookClient.ts';
import { removeWorkFolder } from './workfolder.ts';
import { keepBaselineWasm } from '../client/wasm-tiers.ts';

keepBaselineWasm();

export interface CleanerMessage { channel: RunChannel; deadline: number }

const msg = await new Promise<CleanerMessage>((resolve) => process.once('message', (m) => resolve(m as CleanerMessage)));
process.disconnect?.();
const { target, run, identities } = msg.channel;
const ledger = new Ledger(run.ledgerDir, run.prefix);

/** Leaves nothing of the run but a ledger that still holds something (for the next run). */
function finish(): never {
  try { if (run.ledgerDir !== run.workDir) closeRunLedger(ledger); } catch { /* kept for the next run */ }
  removeWorkFolder(run.workDir);
  process.exit(0);
}

// Gone by the deadline, whatever a slow target does.
setTimeout(finish, Math.max(0, msg.deadline - Date.now()) + 300).unref();
try {
  configureTls(target.tls);
  // One short timeout for everything the cleaner sends (target and hook alike): it has 1.5 s in all.
  const brief = { ...target, timeoutMs: Math.min(target.timeoutMs, 1000) };
  const client = new TargetClient(brief, identities, Pacer.unpaced());
  // A create in flight when the parent died may land after its name read absent: with no time to
  // look again, such names stay in the ledger for the next run (the grace exceeds the deadline).
  await cleanup(client, ledger, { hook: stateHookOf(brief), deadline: () => msg.deadline, inFlightGraceMs: 2000 });
} finally {
  finish();
}
