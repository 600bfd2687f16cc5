import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Store } from '../../emulator/store.ts';
import { fillDeterministic, VectorData } from '../../emulator/vectorData.ts';

describe('VectorData', () => {
  it('100,000 × 128 vectors use less than 1.3× the raw float32 bytes', () => {
    const v = new VectorData(128);
    const row = new Float32Array(128);
    for (let i = 0; i < 100_000; i++) {
      row[0] = i;
      row[1] = 1;
      v.put(`key${i}`, row);
    }
    const raw = 100_000 * 128 * 4;
    expect(v.size).toBe(100_000);
    expect(v.typedArrayBytes()).toBeGreaterThanOrEqual(raw);
    expect(v.typedArrayBytes() / raw).toBeLessThan(1.3);
    expect(v.values('key99999')![0]).toBe(99_999);
  });

  it('growth through puts stays within 1.2× the raw bytes once past one block, and a large index spans blocks', () => {
    const v = new VectorData(128);
    const row = new Float32Array(128);
    for (let i = 0; i < 100_000; i++) v.put(`k${i}`, row);
    expect(v.typedArrayBytes() / (100_000 * 128 * 4)).toBeLessThan(1.2);
    expect(v.blockAt(0)).not.toBe(v.blockAt(99_999));
  });

  it('behaves like a Map of key → values under random puts and deletes (swap-remove keeps slots dense)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 30 }), fc.float({ noNaN: true })), { maxLength: 300 }), (ops) => {
      const v = new VectorData(2);
      const model = new Map<string, number[]>();
      for (const [isPut, k, x] of ops) {
        const key = `k${k}`;
        if (isPut) {
          v.put(key, [x, k], k % 3 === 0 ? { n: String(k) } : undefined);
          model.set(key, [Math.fround(x), k]);
        } else {
          expect(v.delete(key)).toBe(model.delete(key));
        }
      }
      expect(v.size).toBe(model.size);
      expect(v.sortedKeys()).toEqual([...model.keys()].sort());
      for (const [key, vals] of model) {
        expect(Array.from(v.values(key)!)).toEqual(vals);
        expect(v.metadataOf(key)).toEqual(Number(key.slice(1)) % 3 === 0 ? { n: key.slice(1) } : undefined);
      }
      for (let s = 0; s < v.size; s++) expect(model.has(v.keyAt(s))).toBe(true);
    }));
  });

  it('fillDeterministic gives the same non-zero data every time', () => {
    const a = new VectorData(8);
    const b = new VectorData(8);
    fillDeterministic(a, 50);
    fillDeterministic(b, 50);
    expect(a.size).toBe(50);
    expect(a.typedArrayBytes()).toBe(50 * 8 * 4);
    expect(Array.from(a.values('k49')!)).toEqual(Array.from(b.values('k49')!));
    expect(Array.from(a.values('k0')!).every((x) => x !== 0)).toBe(true);
  });
});

describe('Store', () => {
  it('deleting an index drops its storage without touching other indexes; typedArrayBytes follows', () => {
    const store = new Store({ now: () => new Date(), creatingMs: 0, deletingMs: 0 });
    const b = store.createBucket('b');
    const big = store.createIndex(b, { name: 'big', dimension: 16, distanceMetric: 'cosine' });
    const small = store.createIndex(b, { name: 'small', dimension: 16, distanceMetric: 'cosine' });
    fillDeterministic(big.vectors, 1000);
    fillDeterministic(small.vectors, 10);
    const before = store.typedArrayBytes();
    store.deleteIndex(b, big);
    expect(b.indexes.has('big')).toBe(false);
    expect(store.typedArrayBytes()).toBe(before - 1000 * 16 * 4);
    expect(small.vectors.size).toBe(10);
    store.close();
  });

  it('timers: creating → enable after creatingMs; close() cancels pending transitions', async () => {
    const store = new Store({ now: () => new Date(), creatingMs: 20, deletingMs: 20 });
    const b = store.createBucket('b');
    const i = store.createIndex(b, { name: 'i', dimension: 1, distanceMetric: 'euclidean' });
    expect(i.status).toBe('creating');
    await new Promise((r) => setTimeout(r, 50));
    expect(i.status).toBe('enable');
    const j = store.createIndex(b, { name: 'j', dimension: 1, distanceMetric: 'euclidean' });
    store.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(j.status).toBe('creating');
  });
});
