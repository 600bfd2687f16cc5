// The bounds on what a run keeps as evidence, and how the reports say what was not kept. The
// budget that applies them lives with the run (run/evidence.ts); the reports only print them.

/** Largest part of one body kept as evidence (the service's answers are a few KiB). */
export const EVIDENCE_BODY_BYTES = 64 * 1024;
/** Largest total of bodies one run keeps as evidence, as serialised into results.jsonl. */
export const EVIDENCE_RUN_BYTES = 4 * 2 ** 20;

/** Bodies (and their bytes as received) that were not kept because the run's bound was spent. */
export interface EvidenceNotKept { bodies: number; bytes: number }

export const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
