// Writes the OpenAPI 3.1 document of contracts/openapi.ts into contracts/openapi/ and checks it:
// `npx tsx pact/openapi.ts [DIR]` or `ovc pact openapi`. The document is the provider contract of
// bi-directional contract testing (`ovc pact publish-provider-contract`).
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { claimOutputs, writeFileAtomic } from '../files/gate.ts';
import { packageVersion } from '../contracts/packageFiles.ts';
import { buildOpenApi, OPENAPI_DIR, OPENAPI_FILE_NAME } from '../contracts/openapi.ts';

export const OPENAPI_FILE = join(OPENAPI_DIR, OPENAPI_FILE_NAME);


/** The document's bytes: pretty-printed, newline-terminated, the same for the same contracts. */
export function openApiText(): string {
  return `${JSON.stringify(buildOpenApi(packageVersion()), null, 2)}\n`;
}

/** Problems the OpenAPI 3.1 schema validator finds in a document file (empty: valid). */
export async function validateOpenApi(file: string): Promise<string[]> {
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const validator = new Validator();
  const res = await validator.validate(file);
  if (res.valid) return [];
  return (Array.isArray(res.errors) ? res.errors : [res.errors]).map((e) => JSON.stringify(e));
}

export async function generateOpenApi(outDir: string = OPENAPI_DIR): Promise<string> {
  // The folder is claimed first: new, empty or marked by ovc (files/claim.ts); the file replaced whole.
  const [dir] = claimOutputs([{ flag: '--out', path: outDir, kind: 'folder' }]);
  const file = join(dir!, OPENAPI_FILE_NAME);
  writeFileAtomic(file, openApiText());
  const problems = await validateOpenApi(file);
  if (problems.length) throw new Error(`the generated OpenAPI document is not valid:\n${problems.join('\n')}`);
  return file;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.stdout.write(`wrote ${await generateOpenApi(process.argv[2] ?? OPENAPI_DIR)}\n`);
}
