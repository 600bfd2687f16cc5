// What the generators of checked-in sources share (scripts/suite-tags.mjs, scripts/validators.mjs):
// with `--write` the file is rewritten, with `--check` it is compared (exit 1 when it differs: the
// tests run the check), and without either the text is printed.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Writes, checks or prints `text` as the contents of `file`; `what` says what it holds, `renew` how to renew it. */
export function emitGenerated(file, text, what, renew) {
  const name = relative(ROOT, file);
  if (process.argv.includes('--write')) {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${name}: ${what}\n`);
  } else if (process.argv.includes('--check')) {
    let now = '';
    try { now = readFileSync(file, 'utf8'); } catch { /* missing: out of date */ }
    if (now !== text) {
      process.stdout.write(`${name} is out of date (${renew}); it should hold ${what}:\n${text}`);
      process.exit(1);
    }
    process.stdout.write(`${name} is up to date: ${what}\n`);
  } else {
    process.stdout.write(text);
  }
}
