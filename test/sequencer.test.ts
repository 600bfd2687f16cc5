// The project's tests start longest first (test/sequencer.ts): every file the order names exists,
// so a renamed or removed file cannot silently fall back to vitest's order.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONGEST_FIRST } from './sequencer.ts';
import { ROOT } from './selftest/run-cli.ts';

describe('the order the project\'s test files start in', () => {
  it('names only files that exist, each once', () => {
    expect(LONGEST_FIRST.filter((f) => !existsSync(join(ROOT, f)))).toEqual([]);
    expect(new Set(LONGEST_FIRST).size).toBe(LONGEST_FIRST.length);
  });
});
