/**
 * What validating one shop event costs: CPU microseconds to parse a `customer.upserted` event with a time zone
 * (functions/domain/events.ts parseShopEvent, the zod schema every intake runs), median of 7 rounds of 5,000,
 * customers spread over four zones. `npx tsx bench/parse.ts [DIR]` measures the checkout at DIR (default: this
 * one), so an older commit's worktree can be run beside it.
 */
import { cpuMicrosPerCall, moduleOf } from './micro.js';

const ROUNDS = 7;
const PER_ROUND = 5000;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Europe/Paris'];

const { dir, module } = await moduleOf<typeof import('../functions/domain/events.js')>(
  'functions/domain/events.ts',
);
const micros = cpuMicrosPerCall(ROUNDS, PER_ROUND, (i) => {
  const parsed = module.parseShopEvent({
    id: `e${i}`,
    source: 'shop',
    time: '2026-11-25T10:00:00Z',
    'detail-type': 'customer.upserted',
    detail: { customerId: `c${i}`, email: 'a@b.example', timeZone: ZONES[i % ZONES.length] },
  });
  if (!parsed.ok) throw new Error(`a valid event was refused: ${parsed.error}`);
});
console.log(
  `${dir}: ${micros.toFixed(1)} µs CPU to validate one customer.upserted event (median of ${ROUNDS} x ${PER_ROUND})`,
);
