// The checked-in pact file must be what the consumer definitions produce today.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePact, normalisePact } from '../../pact/generate.ts';
import { PACT_DIR, PACT_FILE_NAME } from '../../pact/interactions.ts';

describe('contracts/pacts', () => {
  it('holds the current pact file (regenerate with `ovc pact generate` when this fails)', async () => {
    const committed = join(PACT_DIR, PACT_FILE_NAME);
    expect(existsSync(committed), `${committed} is missing: run ovc pact generate`).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'ovc-pact-stale-'));
    try {
      const fresh = readFileSync(await generatePact(dir), 'utf8');
      expect(normalisePact(readFileSync(committed, 'utf8')), `${committed} is stale: run ovc pact generate`).toEqual(normalisePact(fresh));
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
