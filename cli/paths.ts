// Commander parsers for the paths a user names as inputs: each must exist, be of the right kind and
// be readable, checked before anything runs. Outputs are claimed through the file gate
// (files/claim.ts) once all flags are known, so a command claims all its outputs or none.
import { checkInputDir, checkInputFile, claimOutputs } from '../files/gate.ts';

export { checkInputDir, checkInputFile };
export { OUTPUT_MARK } from '../files/gate.ts';

/** Commander parser for a file the command reads: it must exist, be a regular file and be readable. */
export function inputFile(flag: string) {
  return (v: string): string => {
    checkInputFile(`--${flag}`, v);
    return v;
  };
}

/** Commander parser for a folder the command reads. */
export function inputDir(flag: string) {
  return (v: string): string => {
    checkInputDir(`--${flag}`, v);
    return v;
  };
}

/** Claims one output folder (files/claim.ts): new, empty or marked by ovc; refused otherwise. Returns the absolute path. */
export function claimOutputDir(what: string, dir: string): string {
  return claimOutputs([{ flag: what, path: dir, kind: 'folder' }])[0]!;
}
