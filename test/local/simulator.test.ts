import { describe, expect, it } from 'vitest';
import { SimulationJobError } from '../../local/errors.js';
import { nextBoundary, Simulator } from '../../local/simulator.js';

const iso = (d: Date) => d.toISOString();

describe('Class: Simulator', () => {
  it('runs jobs in time order, ties in insertion order, with the clock at each job time', async () => {
    // Prepare
    const sim = new Simulator({ start: new Date('2026-03-01T00:00:00Z') });
    const seen: string[] = [];
    const log = (label: string) => () => {
      seen.push(`${label}@${iso(sim.clock())}`);
    };
    sim.at(new Date('2026-03-01T02:00:00Z'), 'c', log('c'));
    sim.at(new Date('2026-03-01T01:00:00Z'), 'a', log('a'));
    sim.at(new Date('2026-03-01T01:00:00Z'), 'b', log('b'));

    // Act
    await sim.runUntil(new Date('2026-03-01T01:30:00Z'));
    const mid = iso(sim.clock());
    await sim.runUntil(new Date('2026-03-01T03:00:00Z'));

    // Assess
    expect(seen).toEqual([
      'a@2026-03-01T01:00:00.000Z',
      'b@2026-03-01T01:00:00.000Z',
      'c@2026-03-01T02:00:00.000Z',
    ]);
    expect(mid).toBe('2026-03-01T01:30:00.000Z');
    expect(iso(sim.clock())).toBe('2026-03-01T03:00:00.000Z');
  });

  it('runs work started by a job at the same instant, before later jobs', async () => {
    // Prepare
    const sim = new Simulator({ start: new Date('2026-03-01T00:00:00Z') });
    const seen: string[] = [];
    sim.at(new Date('2026-03-01T01:00:00Z'), 'event', () => {
      seen.push('event');
      sim.now('execution', () => {
        seen.push(`execution@${iso(sim.clock())}`);
      });
    });
    sim.at(new Date('2026-03-01T01:00:01Z'), 'later', () => {
      seen.push('later');
    });

    // Act
    await sim.runUntil(new Date('2026-03-02T00:00:00Z'));

    // Assess
    expect(seen).toEqual(['event', 'execution@2026-03-01T01:00:00.000Z', 'later']);
  });

  it('fires the hourly sweep at minute 0 and the daily one at 00:05 UTC, after the start', async () => {
    // Prepare
    const hourly: string[] = [];
    const daily: string[] = [];
    const sim = new Simulator({
      start: new Date('2026-02-28T22:30:00Z'),
      hourly: (now) => {
        hourly.push(iso(now));
      },
      daily: (now) => {
        daily.push(iso(now));
      },
    });

    // Act
    await sim.runUntil(new Date('2026-03-01T01:00:00Z'));

    // Assess: 2026 is no leap year; the boundary at `until` itself is included.
    expect(hourly).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
      '2026-03-01T01:00:00.000Z',
    ]);
    expect(daily).toEqual(['2026-03-01T00:05:00.000Z']);
    expect(iso(nextBoundary(new Date('2026-03-01T00:05:00Z'), 86_400_000, 300_000))).toBe(
      '2026-03-02T00:05:00.000Z',
    );
  });

  it('fires a timed source at its own time, and a past time at the current instant', async () => {
    // Prepare
    const due = [new Date('2026-03-01T05:00:00Z'), new Date('2026-02-01T00:00:00Z')];
    const fired: string[] = [];
    const sim = new Simulator({ start: new Date('2026-03-01T00:00:00Z') });
    sim.addSource({
      nextTime: () => due.reduce<Date | undefined>((min, d) => (!min || d < min ? d : min), undefined),
      fire: async (now) => {
        fired.push(iso(now));
        for (const d of due.filter((x) => x <= now)) due.splice(due.indexOf(d), 1);
      },
    });

    // Act
    await sim.runUntil(new Date('2026-03-02T00:00:00Z'));

    // Assess
    expect(fired).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-01T05:00:00.000Z']);
  });

  it('is deterministic: the same jobs give the same trace', async () => {
    const trace = async () => {
      const sim = new Simulator({ start: new Date('2026-03-01T00:00:00Z'), hourly: () => {} });
      const out: string[] = [];
      for (let i = 0; i < 50; i++) {
        sim.at(new Date(Date.UTC(2026, 2, 1, i % 5, (i * 7) % 60)), `j${i}`, () => {
          out.push(`j${i}@${iso(sim.clock())}`);
        });
      }
      await sim.runUntil(new Date('2026-03-01T06:00:00Z'), (p) => out.push(p.label));
      return out;
    };
    expect(await trace()).toEqual(await trace());
  });

  it('stops with a named error when a job throws', async () => {
    // Prepare
    const sim = new Simulator({ start: new Date('2026-03-01T00:00:00Z') });
    sim.at(new Date('2026-03-01T01:00:00Z'), 'boom', () => {
      throw new Error('boom');
    });

    // Act + Assess
    await expect(sim.runUntil(new Date('2026-03-01T02:00:00Z'))).rejects.toBeInstanceOf(SimulationJobError);
  });
});
