// The index budget when deleted indexes do not go: the cases waiting for a slot look again with
// backoff, sharing one sweep, instead of waking one another into a loop of GetVectorIndex requests.
import { describe, expect, it } from 'vitest';
import type { TargetClient } from '../../client/client.ts';
import { IndexBudget } from '../../safety/budget.ts';

/** A target whose deleted indexes read `enable` until `gone` is set; counts the GetVectorIndex polls. */
function stubbornTarget(): { client: TargetClient; gets: () => number; letGo: () => void } {
  let gets = 0;
  let gone = false;
  const op = async (): Promise<unknown> => {
    gets++;
    return gone
      ? { status: 404, error: { Code: 'NoSuchVectorIndex' }, json: null }
      : { status: 200, error: null, json: { index: { status: 'enable' } } };
  };
  const client = { op, as: () => client } as unknown as TargetClient;
  return { client, gets: () => gets, letGo: () => { gone = true; } };
}

describe('IndexBudget, waiting on indexes that do not go', () => {
  it('five waiters poll with backoff through one shared sweep, and all get a slot once the index is gone', async () => {
    const t = stubbornTarget();
    const budget = new IndexBudget(1, t.client, 60_000);
    await budget.acquire();
    budget.created('b', 'x');
    budget.deleted('b', 'x', false); // 204: the slot stays taken until the index is seen gone
    const got: number[] = [];
    const waiters = Array.from({ length: 5 }, (_, i) => budget.acquire().then(() => { got.push(i); budget.release(); }));
    await new Promise((r) => setTimeout(r, 1000));
    // Backoff 50, 100, 200, 400 ms…: a handful of sweeps in a second, one GET each. The waiters
    // that woke one another polled thousands of times in the same second.
    expect(t.gets()).toBeGreaterThan(0);
    expect(t.gets()).toBeLessThan(30);
    expect(got).toEqual([]);
    t.letGo();
    await Promise.all(waiters);
    expect(got.sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
