/**
 * Property, through the real flow in embedded mode: for any sequence of consent changes and orders (with
 * quiet-hour deferrals in between), no email goes out without valid consent at the moment it is sent, and no
 * customer ever exceeds the frequency caps. One runtime serves every generated case, each with its own
 * customer and its own stretch of simulated time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customer, deliver, emailsTo, order, shopEvent, useEmbedded } from './helpers.js';

type Action = { kind: 'order' } | { kind: 'opt_out' } | { kind: 'opt_in' } | { kind: 'topic'; on: boolean };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'order' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'opt_out' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'opt_in' as const }) },
  { weight: 1, arbitrary: fc.boolean().map((on) => ({ kind: 'topic' as const, on })) },
);
// Distinct minutes within a 3-day stretch, so no two actions tie.
const plan = fc.uniqueArray(fc.record({ minute: fc.integer({ min: 0, max: 3 * 24 * 60 - 1 }), action }), {
  minLength: 1,
  maxLength: 10,
  selector: (step) => step.minute,
});

const DAY = 86_400_000;
const START = Date.parse('2027-01-01T00:00:00Z');

describe('Property: consent and caps hold for any event sequence', () => {
  const embedded = useEmbedded({ start: new Date(START), templatesDir: 'templates' });

  it('never sends without consent at send time, never beyond 1 a day and 3 a week', async () => {
    let run = 0;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(plan, fc.boolean(), async (steps, startsOptedIn) => {
        run++;
        const id = `PROP${run}`;
        const base = START + run * 5 * DAY; // each case gets its own 5 days (3 of actions, 2 to settle)
        const iso = (ms: number) => new Date(ms).toISOString();
        const sorted = [...steps].sort((a, b) => a.minute - b.minute);
        const events = [
          shopEvent(
            'customer.upserted',
            iso(base),
            customer(id, {
              timeZone: 'UTC',
              consent: startsOptedIn ? { email: 'opted_in' } : { email: 'opted_out' },
            }),
          ),
          ...sorted.map(({ minute, action: a }, i) => {
            const at = iso(base + (minute + 1) * 60_000);
            if (a.kind === 'order') return shopEvent('order.placed', at, order(id, `${id}-O${i}`));
            const consent =
              a.kind === 'topic'
                ? { topics: { order_followups: a.on } }
                : { email: a.kind === 'opt_in' ? 'opted_in' : 'opted_out' };
            return shopEvent('customer.upserted', at, {
              customerId: id,
              email: `${id.toLowerCase()}@customers.example`,
              consent,
            });
          }),
        ];
        await deliver(embedded, iso(base + 5 * DAY - 1), ...events);

        // The consent in force at any instant, replayed from the actions.
        const consentAt = (t: number) => {
          let email = startsOptedIn;
          let topic = true;
          for (const { minute, action: a } of sorted) {
            if (base + (minute + 1) * 60_000 > t) break;
            if (a.kind === 'opt_in') email = true;
            if (a.kind === 'opt_out') email = false;
            if (a.kind === 'topic') topic = a.on;
          }
          return email && topic;
        };
        const sentAt = (await emailsTo(embedded, id)).map((e) => Date.parse(e.sentAt)).sort((a, b) => a - b);
        sent += sentAt.length;
        for (const t of sentAt) {
          expect(consentAt(t), `${id}: email at ${iso(t)} without consent`).toBe(true);
          expect(
            sentAt.filter((u) => u > t - DAY && u <= t).length,
            `${id}: over 1 per 24 h`,
          ).toBeLessThanOrEqual(1);
          expect(
            sentAt.filter((u) => u > t - 7 * DAY && u <= t).length,
            `${id}: over 3 per week`,
          ).toBeLessThanOrEqual(3);
        }
      }),
      { numRuns: 12, seed: 20261125, endOnFailure: true },
    );
    // Not vacuous: the generated cases did send mail (and, by the checks above, only when allowed).
    expect(sent).toBeGreaterThan(3);
  }, 120_000);
});
