/**
 * Bounded co-purchase counts (Space-Saving): heavy partners survive any flood, counts never under the truth,
 * and the guaranteed counts (count - inherited error) never over it.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../functions/domain/bandit.js';
import {
  CO_PARTNERS_KEPT,
  type CoPurchases,
  CoPurchaseTally,
  countCoPurchases,
  guaranteedCounts,
  packCoPurchases,
  unpackCoPurchases,
} from '../../functions/domain/co-purchase.js';

const empty = (): CoPurchases => ({ counts: {}, errors: {} });

describe('countCoPurchases', () => {
  it('counts exactly while the partners fit', () => {
    let co = empty();
    co = countCoPurchases(co, ['A', 'B', 'B']);
    co = countCoPurchases(co, ['A']);
    expect(co).toEqual({ counts: { A: 2, B: 1 }, errors: {} });
    expect(guaranteedCounts(co)).toEqual({ A: 2, B: 1 });
  });

  it('keeps at most the bound, and a partner bought often survives a flood of one-off partners', () => {
    let co = empty();
    const truth = new Map<string, number>();
    for (let order = 0; order < 2000; order++) {
      // Twenty one-off partners per order, and one bought in every third order: 1/61 of all partners counted,
      // above Space-Saving's 1/64 guarantee.
      const partners = Array.from({ length: 20 }, (_, i) => `X${order}-${i}`);
      if (order % 3 === 0) partners.push('HEAVY');
      for (const p of partners) truth.set(p, (truth.get(p) ?? 0) + 1);
      co = countCoPurchases(co, partners);
      expect(Object.keys(co.counts).length).toBeLessThanOrEqual(CO_PARTNERS_KEPT);
    }
    const heavy = truth.get('HEAVY') ?? 0;
    expect(co.counts.HEAVY).toBeGreaterThanOrEqual(heavy);
    const ranked = Object.entries(co.counts).sort((a, b) => b[1] - a[1]);
    expect(ranked[0]?.[0]).toBe('HEAVY');
    // Guaranteed counts bracket the truth from below: HEAVY keeps most of its count, a one-off at most its 1.
    const sure = guaranteedCounts(co);
    for (const [sku, n] of Object.entries(sure)) expect(n).toBeLessThanOrEqual(truth.get(sku) ?? 0);
    expect(sure.HEAVY).toBeGreaterThan(heavy / 2);
    expect(
      Object.entries(sure)
        .filter(([sku]) => sku !== 'HEAVY')
        .every(([, n]) => n === 1),
    ).toBe(true);
    // Raw counts: the one-offs sit at the floor they inherited, far above their 1.
    expect(Math.min(...Object.values(co.counts))).toBeGreaterThan(10);
  });

  it('records the count a partner inherited, and readers get count minus it', () => {
    const full = { counts: { A: 5, B: 2 }, errors: {} };
    const co = countCoPurchases(full, ['C'], 2);
    // C replaced B (the weakest, 2): count 3, of which 2 inherited.
    expect(co).toEqual({ counts: { A: 5, C: 3 }, errors: { C: 2 } });
    expect(guaranteedCounts(co)).toEqual({ A: 5, C: 1 });
    // Counted again, its error stays what it inherited.
    expect(countCoPurchases(co, ['C'], 2)).toEqual({ counts: { A: 5, C: 4 }, errors: { C: 2 } });
  });

  it('is deterministic and cuts an oversized map to its strongest', () => {
    const big = {
      counts: Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`S${String(i).padStart(2, '0')}`, i + 1]),
      ),
      errors: {},
    };
    const cut = countCoPurchases(big, [], 10);
    expect(Object.keys(cut.counts).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `S${30 + i}`));
    expect(countCoPurchases(big, ['N'], 10)).toEqual(countCoPurchases(big, ['N'], 10));
    // The new partner replaces the weakest (S30, count 31) with 32: never under its true count.
    expect(countCoPurchases(big, ['N'], 10).counts).toMatchObject({ N: 32 });
    expect(countCoPurchases(big, ['N'], 10).counts).not.toHaveProperty('S30');
  });

  it('keeps errors within their counts, and drops errors of partners it does not hold', () => {
    const co = countCoPurchases({ counts: { A: 2 }, errors: { A: 9, Z: 4 } }, []);
    expect(co).toEqual({ counts: { A: 2 }, errors: { A: 2 } });
    expect(guaranteedCounts(co)).toEqual({});
  });
});

describe('Class: CoPurchaseTally', () => {
  it('counts many orders in place exactly as countCoPurchases does order by order', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const orders = Array.from({ length: 500 }, () =>
      Array.from({ length: 1 + Math.floor(rand() * 30) }, () => `P${Math.floor(rand() ** 2 * 300)}`),
    );
    let stepwise = empty();
    const tally = new CoPurchaseTally();
    for (const order of orders) {
      stepwise = countCoPurchases(stepwise, order);
      tally.add(order);
    }
    expect(tally.state()).toEqual(stepwise);
    expect(Object.keys(stepwise.errors).length).toBeGreaterThan(0);
  });
  it('evicts exactly the partner a scan of all partners picks (least count, then greatest sku)', () => {
    /** Space-Saving as first written: every eviction scans the whole map for its weakest partner. */
    const byScan = (co: CoPurchases, orders: readonly string[][], keep: number): CoPurchases => {
      const entries = new Map<string, { count: number; error: number }>();
      for (const [sku, count] of Object.entries(co.counts))
        entries.set(sku, { count, error: Math.min(count, Math.max(0, co.errors[sku] ?? 0)) });
      const weakest = () => {
        let out: string | undefined;
        let min = Number.POSITIVE_INFINITY;
        for (const [sku, { count }] of entries)
          if (count < min || (count === min && out !== undefined && sku > out)) [out, min] = [sku, count];
        return out as string;
      };
      while (entries.size > keep) entries.delete(weakest());
      for (const order of orders)
        for (const partner of new Set(order)) {
          const known = entries.get(partner);
          if (known) known.count += 1;
          else if (entries.size < keep) entries.set(partner, { count: 1, error: 0 });
          else {
            const evicted = weakest();
            const floor = entries.get(evicted)?.count ?? 0;
            entries.delete(evicted);
            entries.set(partner, { count: floor + 1, error: floor });
          }
        }
      const out: CoPurchases = { counts: {}, errors: {} };
      for (const [sku, { count, error }] of entries) {
        out.counts[sku] = count;
        if (error > 0) out.errors[sku] = error;
      }
      return out;
    };
    const rand = seededRandom('co-purchase.test.ts 11');
    // Skus of both kinds (integer-like ones order first in an object), heavy and one-off partners, small
    // and real bounds, starting empty and from an oversized map with inherited errors.
    const sku = () =>
      rand() < 0.5 ? `${20000 + Math.floor(rand() ** 3 * 900)}` : `P${Math.floor(rand() * 900)}`;
    const oversized: CoPurchases = { counts: {}, errors: {} };
    for (let i = 0; i < 90; i++) {
      const s = sku();
      oversized.counts[s] = 1 + Math.floor(rand() * 6);
      if (rand() < 0.4) oversized.errors[s] = Math.floor(rand() * 8);
    }
    let evictions = 0;
    for (const keep of [1, 3, 8, CO_PARTNERS_KEPT])
      for (const start of [empty(), oversized]) {
        const orders = Array.from({ length: 300 }, () =>
          Array.from({ length: Math.floor(rand() * 25) }, sku),
        );
        const tally = new CoPurchaseTally(start, keep);
        const expected = byScan(start, [], keep);
        expect(tally.state()).toEqual(expected);
        // Order by order, so a partner let in while there is room and evictions interleave.
        for (let i = 0; i < orders.length; i++) {
          tally.add(orders[i]!);
          if (i % 25 === 0 || i === orders.length - 1)
            expect(tally.state()).toEqual(byScan(start, orders.slice(0, i + 1), keep));
        }
        evictions += Object.keys(tally.state().errors).length;
      }
    expect(evictions).toBeGreaterThan(50);
  });
});

describe('packCoPurchases', () => {
  /** A popular product's full map: a few real partners, the rest one-offs that inherited the floor. */
  function fullMap(): CoPurchases {
    const tally = new CoPurchaseTally();
    for (let order = 0; order < 400; order++) {
      const partners = Array.from({ length: 20 }, (_, i) => `${20000 + ((order * 20 + i) % 5000)}`);
      if (order % 3 === 0) partners.push('85123A');
      if (order % 5 === 0) partners.push('POST');
      tally.add(partners);
    }
    return tally.state();
  }

  it('reads back exactly what it packed, errors and all', () => {
    const co = fullMap();
    expect(Object.keys(co.counts)).toHaveLength(CO_PARTNERS_KEPT);
    expect(Object.keys(co.errors).length).toBeGreaterThan(0);
    expect(unpackCoPurchases(packCoPurchases(co))).toEqual(co);
    expect(unpackCoPurchases(packCoPurchases(empty()))).toEqual(empty());
  });

  it('groups partners by inherited count and leaves out a sure count of 1', () => {
    const co = { counts: { A: 4, B: 1, C: 32, D: 33 }, errors: { C: 31, D: 31 } };
    expect(packCoPurchases(co)).toBe('0 A:4 B|31 C D:2');
  });

  it('keeps 64 partners of five-character skus in under 600 bytes, half of the JSON form', () => {
    const co = fullMap();
    const json = JSON.stringify(
      Object.entries(co.counts).map(([sku, n]) => (co.errors[sku] ? [sku, n, co.errors[sku]] : [sku, n])),
    );
    expect(packCoPurchases(co).length).toBeLessThan(600);
    expect(packCoPurchases(co).length).toBeLessThan(json.length / 2 + 50);
  });

  it('still reads the JSON form stored before, and leaves out what is damaged', () => {
    expect(unpackCoPurchases('[["A",4,3],["B",2]]')).toEqual({ counts: { A: 4, B: 2 }, errors: { A: 3 } });
    expect(unpackCoPurchases('[["A",2],["B"],[3,4],"C",["D",1,0]]')).toEqual({
      counts: { A: 2, D: 1 },
      errors: {},
    });
    expect(unpackCoPurchases('not json [')).toEqual({ counts: {}, errors: {} });
    expect(unpackCoPurchases('0 A:4 B:x :3|x C|2 D')).toEqual({ counts: { A: 4, D: 3 }, errors: { D: 2 } });
  });

  it('stores a state whose skus hold a separator, or whose counts are not whole, as JSON', () => {
    const states: CoPurchases[] = [
      { counts: { 'A B': 2, 'C|D': 1, 'E:F': 3 }, errors: { 'A B': 1 } },
      { counts: { A: 2.5 }, errors: {} },
    ];
    for (const co of states) {
      const packed = packCoPurchases(co);
      expect(packed.startsWith('[')).toBe(true);
      expect(unpackCoPurchases(packed)).toEqual(co);
    }
  });
});

describe('the packed state read and written without objects in between', () => {
  /** States a real shop stores: numeric skus (an object lists them first, in numeric order) and named ones. */
  function states(): string[] {
    const rand = seededRandom('co-purchase.test.ts 5');
    const sku = () =>
      rand() < 0.6
        ? `${20000 + Math.floor(rand() ** 2 * 3000)}`
        : `${84000 + Math.floor(rand() * 99)}${'ABC'[Math.floor(rand() * 3)]}`;
    const out: string[] = [
      '',
      '0 A:4 B|31 C D:2',
      '0 A:4 B:x :3|x C|2 D',
      '0 B A 7 0 10|3 A:2',
      '[["A",4,3],["B",2]]',
    ];
    for (let product = 0; product < 40; product++) {
      const tally = new CoPurchaseTally();
      for (let order = 0; order < 20 + product * 8; order++)
        tally.add(Array.from({ length: 1 + Math.floor(rand() * 30) }, sku));
      out.push(packCoPurchases(tally.state()));
    }
    return out;
  }

  it('reads and packs the same partners, in the same order, as the state objects do', () => {
    const orders = [['20001', '85123A', '0', 'NEW'], Array.from({ length: 25 }, (_, i) => `${23000 + i}`)];
    const same = (direct: CoPurchaseTally, viaState: CoPurchaseTally) => {
      // JSON of the objects: the order a reader iterates them in.
      expect(JSON.stringify(direct.state())).toBe(JSON.stringify(viaState.state()));
      const stored = packCoPurchases(viaState.state());
      expect(JSON.stringify(unpackCoPurchases(direct.packed()))).toBe(
        JSON.stringify(unpackCoPurchases(stored)),
      );
      expect(direct.packed().length).toBe(stored.length);
    };
    for (const packed of states()) {
      // The counts each partner certainly reached, as first computed from the state's objects.
      const co = unpackCoPurchases(packed);
      const sure: Record<string, number> = {};
      for (const [sku, count] of Object.entries(co.counts))
        if (count - Math.max(0, co.errors[sku] ?? 0) > 0)
          sure[sku] = count - Math.max(0, co.errors[sku] ?? 0);
      expect(JSON.stringify(guaranteedCounts(packed))).toBe(JSON.stringify(sure));
      expect(JSON.stringify(guaranteedCounts(co))).toBe(JSON.stringify(sure));
      for (const keep of [4, CO_PARTNERS_KEPT]) {
        const direct = new CoPurchaseTally(packed, keep);
        const viaState = new CoPurchaseTally(unpackCoPurchases(packed), keep);
        same(direct, viaState);
        for (const order of orders) {
          direct.add(order);
          viaState.add(order);
          same(direct, viaState);
        }
      }
    }
  });

  it('falls back to the JSON form when a sku holds a separator', () => {
    const tally = new CoPurchaseTally('0 A:2');
    tally.add(['B C']);
    expect(tally.packed()).toBe(packCoPurchases(tally.state()));
    expect(tally.packed().startsWith('[')).toBe(true);
  });
});
