// How to start this `ovc` again, found from this module. The package's own files (its version, the
// shipped pact and OpenAPI document) are found by contracts/packageFiles.ts, re-exported here for
// the commands.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { packageFile, packageVersion } from '../contracts/packageFiles.ts';

const HERE = fileURLToPath(import.meta.url);

/**
 * How to start this `ovc` again as a child process (`ovc diff` runs its two sides this way): the
 * compiled entry dist/cli/bin.js beside this module when it runs compiled, the development entry
 * cli/bin/ovc.mjs (tsx) when it runs from the sources.
 */
export function ovcEntry(): string {
  return HERE.endsWith('.ts') ? join(dirname(HERE), 'bin', 'ovc.mjs') : join(dirname(HERE), 'bin.js');
}
