// The one gate for files: every file or folder ovc writes, appends to, renames or removes goes
// through files/ (a test fails when a runtime source outside it calls such a `node:fs` function),
// and every file a user names is read with a size bound. This folder is the bottom layer: it
// imports nothing of ovc's. docs/safety.md ("Files") states the rules, the mark and the bounds.
export { claimOutputs, isOurFolder, type OutputRequest } from './claim.ts';
export { LOCK_FILE, pidIsOvc, pidNamespace, pidVisibleHere } from './lock.ts';
export { fileMarkPath, OUTPUT_MARK } from './marks.ts';
export { checkInputDir, checkInputFile, INPUT_BOUNDS, readAppended, readBounded, readTextBounded } from './read.ts';
export { describeFsError, PathRefused } from './refusal.ts';
export { appendStream, appendText, copyTreeInto, makeFolder, makeTempFolder, makeWorkFolder, removeOurs, sweepStaleWorkFolders, writeFileAtomic, writeOutputFile } from './write.ts';
