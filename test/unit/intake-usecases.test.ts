/**
 * The intake use cases against a real (local) DynamoDB, with Scheduler and Step Functions faked: exactly-once
 * orders, carts an old order must not close, salvaged withdrawals, the profile size limit, concurrent votes,
 * erasure tombstones, and replays that leave every table as it was.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { OnceStore } from '../../functions/adapters/once.js';
import type { RejectedEvent } from '../../functions/adapters/rejected.js';
import { type Deps, makeDeps } from '../../functions/app/deps.js';
import { toHandler, type UseCase } from '../../functions/app/lambda.js';
import { PROFILE_SIZE_LIMIT_BYTES, profileSizeBytes } from '../../functions/domain/events.js';
import { messageIdFor, triggerKeys } from '../../functions/domain/ids.js';
import type { LinkKeys } from '../../functions/domain/links.js';
import { SALVAGED_WITHDRAWAL_SOURCE } from '../../functions/domain/profile.js';
import { cartIntake } from '../../functions/usecases/cart-intake.js';
import { catalogueIntake } from '../../functions/usecases/catalogue-intake.js';
import { feedbackIntake } from '../../functions/usecases/feedback-intake.js';
import { isErased, writeTombstone } from '../../functions/usecases/intake.js';
import { orderIntake, orderKey } from '../../functions/usecases/order-intake.js';
import { profileIntake } from '../../functions/usecases/profile-intake.js';
import { LOCAL_REGION, type LocalDynamo, startDynamo } from '../../local/dynamo.js';

const KEYS: LinkKeys = { current: 'k1', keys: { k1: 'k'.repeat(32) } };
const STATE_MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:wf';

let dynamo: LocalDynamo;
let deps: Deps;
let now = new Date('2026-12-01T12:00:00.000Z');
const sfn = new SFNClient({ region: LOCAL_REGION });
const scheduler = new SchedulerClient({ region: LOCAL_REGION });
const sfnMock = mockClient(sfn);
const schedulerMock = mockClient(scheduler);
/** The fake Scheduler's schedules: name -> input. */
const schedules = new Map<string, string>();

function fakeServices(): void {
  sfnMock.reset();
  schedulerMock.reset();
  schedules.clear();
  sfnMock
    .on(StartExecutionCommand)
    .callsFake(() => ({ executionArn: `${STATE_MACHINE}:run`, startDate: now }));
  schedulerMock.on(CreateScheduleCommand).callsFake((input) => {
    if (schedules.has(input.Name)) throw Object.assign(new Error('exists'), { name: 'ConflictException' });
    schedules.set(input.Name, input.Target.Input);
    return { ScheduleArn: input.Name };
  });
  schedulerMock.on(UpdateScheduleCommand).callsFake((input) => {
    schedules.set(input.Name, input.Target.Input);
    return { ScheduleArn: input.Name };
  });
  schedulerMock.on(DeleteScheduleCommand).callsFake((input) => {
    if (!schedules.delete(input.Name))
      throw Object.assign(new Error('none'), { name: 'ResourceNotFoundException' });
    return {};
  });
}

beforeAll(async () => {
  dynamo = await startDynamo('intake-');
  const t = dynamo.tableNames;
  deps = makeDeps({
    env: {
      PROFILES_TABLE: t.profiles,
      CARTS_TABLE: t.carts,
      MESSAGES_TABLE: t.messages,
      PRODUCTS_TABLE: t.products,
      REJECTED_TABLE: t.rejected,
      REPUTATION_TABLE: t.reputation,
      STATS_TABLE: t.stats,
      CODES_TABLE: t.codes,
      IDEMPOTENCY_TABLE: t.idempotency,
      STATE_MACHINE_ARN: STATE_MACHINE,
      SCHEDULE_GROUP: 'reciprocity',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/sched',
      AWS_REGION: LOCAL_REGION,
      LINK_KEYS: JSON.stringify(KEYS),
      RECIPROCITY_CONFIG: JSON.stringify({ cartDelayMinutes: 60 }),
    },
    clients: { dynamodb: dynamo.client, scheduler, sfn },
    clock: () => now,
    needs: [
      ...new Set([
        ...profileIntake.needs,
        ...cartIntake.needs,
        ...orderIntake.needs,
        ...catalogueIntake.needs,
        ...feedbackIntake.needs,
      ]),
    ],
  });
});
afterAll(async () => {
  await dynamo?.close();
});
beforeEach(() => {
  now = new Date('2026-12-01T12:00:00.000Z');
  fakeServices();
});

let seq = 0;
const uniq = (prefix: string) => `${prefix}-${++seq}`;

function envelope(detailType: string, detail: object, time: string, id = uniq('ev')) {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source: 'shop',
    account: '1',
    time,
    region: 'us-east-1',
    resources: [],
    detail,
  };
}
const run = <O>(uc: UseCase<unknown, O>, event: unknown): Promise<O> =>
  toHandler(uc, deps)(event, { awsRequestId: uniq('req') });
const upsert = (customerId: string, time: string, extra: object = {}, id?: string) =>
  envelope(
    'customer.upserted',
    { customerId, email: `${customerId}@example.com`, consent: { email: 'opted_in' }, ...extra },
    time,
    id,
  );
const item = (sku: string, category = 'tea') => ({
  sku,
  name: `Item ${sku}`,
  price: 5,
  quantity: 2,
  category,
});
const cart = (customerId: string, cartId: string, time: string, items = [item('S1')]) =>
  envelope('cart.updated', { customerId, cartId, items, currency: 'EUR', total: 10 }, time);
const order = (customerId: string, orderId: string, time: string, extra: object = {}, id?: string) =>
  envelope(
    'order.placed',
    { customerId, orderId, items: [item('S1'), item('S2', 'cups')], currency: 'EUR', total: 20, ...extra },
    time,
    id,
  );

async function scan(table: string): Promise<Record<string, unknown>[]> {
  const out = await documentClient(deps.dynamodb).send(new ScanCommand({ TableName: table }));
  const key = (i: Record<string, unknown>) =>
    JSON.stringify(Object.entries(i).sort(([a], [b]) => a.localeCompare(b)));
  return (out.Items ?? []).sort((a, b) => key(a).localeCompare(key(b)));
}
const rejectsOf = async (eventId: string) =>
  (await deps.stores.rejected.all()).filter((r: RejectedEvent) => r.eventId === eventId);

describe('Use case: order intake', () => {
  it('handles an order once: again under a new event id or the same one counts nothing and starts nothing', async () => {
    const c = uniq('C');
    await run(profileIntake, upsert(c, '2026-12-01T09:00:00Z'));
    const orderId = uniq('O');
    const first = order(c, orderId, '2026-12-01T10:00:00Z');
    const again = { ...first, id: uniq('ev') };

    const results = [
      await run(orderIntake, first),
      await run(orderIntake, again),
      await run(orderIntake, first),
    ];

    expect(results[0]).toMatchObject({ outcome: 'order_recorded' });
    expect(results.slice(1)).toEqual([{ outcome: 'duplicate' }, { outcome: 'duplicate' }]);
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(1);
    const profile = await deps.stores.profiles.get(c);
    expect(profile?.purchasedCategories).toEqual({ tea: 1, cups: 1 });
    expect(profile?.recentPurchases).toEqual(['S1', 'S2']);
    expect(profile?.recentOrderTimes).toEqual(['2026-12-01T10:00:00.000Z']);
    const [s1] = await deps.stores.products.getMany(['S1'], { withCoBought: true });
    // One order holding it (its line's 2 units are not 2 orders).
    expect(s1).toMatchObject({ orderCount: 1, coBought: { S2: 1 } });
    const records = (await scan(dynamo.tableNames.idempotency!)).filter((r) => r.id === orderKey(c, orderId));
    expect(records).toHaveLength(1);
    // Remembered for 90 days on the use case's clock, with no personal data in the key.
    expect(records[0]).toMatchObject({ status: 'done' });
    expect(Number(records[0]!.expiration)).toBe(Math.ceil(deps.clock().getTime() / 1000) + 90 * 86_400);
    expect(String(records[0]!.id)).not.toContain(c);
  });

  it('a retry after a failure part-way skips the steps already done: the catalogue counts the order once', async () => {
    const c = uniq('C');
    await run(profileIntake, upsert(c, '2026-12-01T09:00:00Z'));
    const event = order(c, uniq('O'), '2026-12-01T10:00:00Z');
    const [before] = await deps.stores.products.getMany(['S1'], { withCoBought: true });
    // The profile write fails once (after the catalogue counted the order), as a throttled write would.
    const profiles = deps.stores.profiles;
    const write = profiles.patchIfUnchanged.bind(profiles);
    let failures = 0;
    profiles.patchIfUnchanged = async (...args) => {
      if (failures++ === 0) throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
      return write(...args);
    };
    try {
      await expect(run(orderIntake, event)).rejects.toMatchObject({ name: 'TransientError' });
      expect(await run(orderIntake, event)).toMatchObject({ outcome: 'order_recorded' });
    } finally {
      profiles.patchIfUnchanged = write;
    }
    const [after] = await deps.stores.products.getMany(['S1'], { withCoBought: true });
    expect((after?.orderCount ?? 0) - (before?.orderCount ?? 0)).toBe(1); // one order (2 x S1), counted once
    expect((await deps.stores.profiles.get(c))?.recentOrderTimes).toEqual(['2026-12-01T10:00:00.000Z']);
    expect(await run(orderIntake, { ...event, id: uniq('ev') })).toEqual({ outcome: 'duplicate' });
  });

  it('a late redelivery of an old order closes the carts updated before it, never a newer one', async () => {
    const c = uniq('C');
    const [older, newer] = [uniq('K'), uniq('K')];
    await run(profileIntake, upsert(c, '2026-12-01T08:00:00Z'));
    await run(cartIntake, cart(c, older, '2026-12-01T09:00:00Z'));
    await run(cartIntake, cart(c, newer, '2026-12-01T11:00:00Z'));
    expect(schedules.size).toBe(2);

    const result = await run(orderIntake, order(c, uniq('O'), '2026-12-01T10:00:00Z', { cartId: newer }));

    expect(result).toMatchObject({ outcome: 'order_recorded', cancelledCarts: [older] });
    expect(await deps.stores.carts.get(newer)).toMatchObject({
      status: 'open',
      updatedAt: '2026-12-01T11:00:00.000Z',
    });
    expect(await deps.stores.carts.get(older)).toMatchObject({ status: 'ordered' });
    expect([...schedules.keys()]).toEqual([`cart-${newer}`]);
    expect(await deps.stores.ledger.get(messageIdFor(triggerKeys.cartReminder(newer)))).toBeUndefined();
    expect(await deps.stores.ledger.get(messageIdFor(triggerKeys.cartReminder(older)))).toMatchObject({
      decision: 'cancelled',
      reason: 'order_placed',
    });
  });
});

describe('Use case: profile intake', () => {
  it('applies the opt-out of an otherwise invalid upsert (a "constructor" attribute) and keeps it as rejected', async () => {
    const c = uniq('C');
    await run(profileIntake, upsert(c, '2026-12-01T08:00:00Z', { firstName: 'Ada' }));
    const bad = upsert(c, '2026-12-01T10:00:00Z', {
      firstName: 'Mallory',
      consent: { email: 'opted_out', topics: { birthday: false } },
      attributes: { constructor: 'x' },
    });

    const result = await run(profileIntake, bad);

    expect(result).toMatchObject({ outcome: 'rejected' });
    const profile = await deps.stores.profiles.get(c);
    expect(profile?.consent).toMatchObject({
      email: 'opted_out',
      topics: { birthday: false },
      source: SALVAGED_WITHDRAWAL_SOURCE,
      updatedAt: '2026-12-01T10:00:00.000Z',
    });
    expect(profile?.firstName).toBe('Ada');
    expect(profile?.attributes).toBeUndefined();
    const [kept] = await rejectsOf(bad.id);
    expect(kept?.error).toContain('attributes.constructor: reserved name');
    expect(kept?.error).toContain(
      'its consent withdrawal was applied: email opted out; topics off: birthday',
    );
  });

  it('says so when a salvaged withdrawal has no profile to apply to, and creates none', async () => {
    const c = uniq('C');
    const bad = upsert(c, '2026-12-01T10:00:00Z', {
      consent: { email: 'opted_out' },
      attributes: { __proto__x: 1 },
    });
    await run(profileIntake, bad);
    expect(await deps.stores.profiles.get(c)).toBeUndefined();
    expect((await rejectsOf(bad.id))[0]?.error).toContain('was not applied: there is no profile');
  });

  it('rejects an upsert that would grow the profile past the size limit, and writes none of it', async () => {
    const c = uniq('C');
    const big = (n: number) =>
      Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${n}_${i}`, 'x'.repeat(1000)]));
    const outcomes: string[] = [];
    for (let n = 0; n < 8; n++) {
      const result = await run(profileIntake, upsert(c, `2026-12-01T10:0${n}:00Z`, { attributes: big(n) }));
      outcomes.push(result.outcome === 'rejected' ? result.error.split(':')[0]! : result.outcome);
    }
    const profile = await deps.stores.profiles.get(c);
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('profile_updated'));
    expect(outcomes.slice(5)).toEqual(Array(3).fill('profile_too_large'));
    expect(profileSizeBytes(profile!)).toBeLessThanOrEqual(PROFILE_SIZE_LIMIT_BYTES);
    expect(Object.keys(profile!.attributes!)).toHaveLength(250);
    expect(profile?.updatedAt).toBe('2026-12-01T10:04:00.000Z');
  });

  it('rejects bad input and misrouted events with a reason, never throwing', async () => {
    const garbage = { id: uniq('ev'), 'detail-type': 'customer.upserted', detail: 'nope' };
    expect(await run(profileIntake, garbage)).toMatchObject({ outcome: 'rejected' });
    const misrouted = order('C-x', 'O-x', '2026-12-01T10:00:00Z');
    expect(await run(cartIntake, misrouted)).toEqual({
      outcome: 'rejected',
      error: 'misrouted: order.placed is handled by order-intake, not cart-intake',
    });
    expect((await rejectsOf(misrouted.id))[0]?.error).toMatch(/^misrouted/);
    expect(await run(profileIntake, null)).toMatchObject({ outcome: 'rejected' });
  });
});

describe('Use case: feedback intake', () => {
  it('keeps every one of three concurrent votes of one customer', async () => {
    const c = uniq('C');
    await run(profileIntake, upsert(c, '2026-12-01T08:00:00Z'));
    const votes = ['S1', 'S2', 'S3'].map((sku, i) =>
      envelope(
        'feedback.given',
        { customerId: c, sku, vote: i === 1 ? 'down' : 'up' },
        `2026-12-01T10:0${i}:00Z`,
      ),
    );

    const results = await Promise.all(votes.map((v) => run(feedbackIntake, v)));

    expect(results.map((r) => r.outcome)).toEqual([
      'feedback_recorded',
      'feedback_recorded',
      'feedback_recorded',
    ]);
    const profile = await deps.stores.profiles.get(c);
    expect(profile?.feedback?.map((v) => [v.target.id, v.vote])).toEqual([
      ['S1', 'up'],
      ['S2', 'down'],
      ['S3', 'up'],
    ]);
  });
});

describe('Erasure tombstone', () => {
  it("rejects an erased customer's later events with reason erased and creates nothing", async () => {
    const c = uniq('C');
    const k = uniq('K');
    await run(profileIntake, upsert(c, '2026-12-01T08:00:00Z'));
    await deps.stores.profiles.delete(c);
    await writeTombstone(deps, c, now);
    expect(await isErased(deps, c)).toBe(true);
    expect(await isErased(deps, uniq('C'))).toBe(false);

    const late = cart(c, k, '2026-12-01T13:00:00Z');
    const results = [
      await run(cartIntake, late),
      await run(profileIntake, upsert(c, '2026-12-01T13:00:00Z')),
      await run(orderIntake, order(c, uniq('O'), '2026-12-01T13:00:00Z')),
      await run(
        feedbackIntake,
        envelope('feedback.given', { customerId: c, sku: 'S1', vote: 'up' }, '2026-12-01T13:00:00Z'),
      ),
    ];

    expect(results).toEqual(Array(4).fill({ outcome: 'rejected', error: 'erased' }));
    expect(await deps.stores.carts.get(k)).toBeUndefined();
    expect(await deps.stores.profiles.get(c)).toBeUndefined();
    expect(schedules.size).toBe(0);
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect((await rejectsOf(late.id)).map((r) => r.error)).toEqual(['erased']);
  });

  it('stores no personal data: the tombstone is a keyed hash, and it stops counting when it expires', async () => {
    const c = uniq('Customer-With-A-Name');
    await writeTombstone(deps, c, now);
    const items = await scan(dynamo.tableNames.profiles!);
    const tombstones = items.filter((i) => String(i.customerId).startsWith('erased#'));
    expect(JSON.stringify(tombstones)).not.toContain(c);
    now = new Date(now.getTime() + 91 * 86_400_000);
    expect(await isErased(deps, c)).toBe(false);
  });
});

describe('Replays', () => {
  it('every event delivered three times, under the same and new ids, leaves every table as once', async () => {
    const c = uniq('C');
    const k = uniq('K');
    const events = [
      envelope(
        'product.upserted',
        { sku: 'S1', name: 'Sencha', category: 'tea', price: 5, inStock: true },
        '2026-12-01T07:00:00Z',
      ),
      upsert(c, '2026-12-01T08:00:00Z', {
        firstName: 'Ada',
        attributes: { tier: 'gold' },
        consent: { email: 'opted_in', topics: { birthday: true } },
      }),
      envelope('customer.activity', { customerId: c, kind: 'page_view' }, '2026-12-01T08:30:00Z'),
      cart(c, k, '2026-12-01T09:00:00Z'),
      envelope('feedback.given', { customerId: c, sku: 'S2', vote: 'down' }, '2026-12-01T09:30:00Z'),
      order(c, uniq('O'), '2026-12-01T10:00:00Z', { cartId: k }),
    ];
    const intakeOf = (e: { 'detail-type': string }) =>
      ({
        'product.upserted': catalogueIntake,
        'customer.upserted': profileIntake,
        'customer.activity': profileIntake,
        'cart.updated': cartIntake,
        'feedback.given': feedbackIntake,
        'order.placed': orderIntake,
      })[e['detail-type']] as UseCase<unknown, unknown>;
    const tables = ['profiles', 'carts', 'products', 'messages', 'rejected', 'reputation', 'idempotency'];
    const snapshot = async () =>
      Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await scan(dynamo.tableNames[t]!)])));
    const calls = () => [sfnMock.calls().length, schedulerMock.calls().length];

    for (const e of events) await run(intakeOf(e), e);
    const once = await snapshot();
    const callsOnce = calls();
    // Each event again right away (same id, then a new one), then the whole sequence twice more.
    for (const e of events) {
      await run(intakeOf(e), e);
      await run(intakeOf(e), { ...e, id: uniq('ev') });
    }
    for (let round = 0; round < 2; round++)
      for (const e of events) await run(intakeOf(e), { ...e, id: uniq('ev') });

    expect(await snapshot()).toEqual(once);
    expect(calls()).toEqual(callsOnce);
  });
});

describe('Errors', () => {
  it('a delivery of an order another delivery is still handling is retryable, and does nothing', async () => {
    const c = uniq('C');
    const o = uniq('O');
    // Another delivery claimed it a moment ago (on the clock the use case reads) and is still at work.
    await new OnceStore(documentClient(deps.dynamodb), dynamo.tableNames.idempotency ?? '').claim(
      orderKey(c, o),
      deps.clock(),
      60_000,
    );
    await expect(run(orderIntake, order(c, o, '2026-12-01T10:00:00Z'))).rejects.toMatchObject({
      name: 'TransientError',
    });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(await deps.stores.profiles.get(c)).toBeUndefined();
  });

  it('DynamoDB throttling is not swallowed: the event fails as retryable', async () => {
    const throttled = new DynamoDBClient({
      region: LOCAL_REGION,
      endpoint: dynamo.endpoint,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    throttled.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'ProvisionedThroughputExceededException',
          $metadata: { httpStatusCode: 400 },
        });
      },
      { step: 'initialize' },
    );
    const t = dynamo.tableNames;
    const slow = makeDeps({
      env: {
        PROFILES_TABLE: t.profiles,
        CARTS_TABLE: t.carts,
        REJECTED_TABLE: t.rejected,
        AWS_REGION: LOCAL_REGION,
        LINK_KEYS: JSON.stringify(KEYS),
      },
      clients: { dynamodb: throttled },
      clock: () => now,
    });
    const k = uniq('K');
    await expect(
      toHandler(cartIntake, slow)(cart(uniq('C'), k, '2026-12-01T10:00:00Z')),
    ).rejects.toMatchObject({
      name: 'TransientError',
    });
    expect(await deps.stores.carts.get(k)).toBeUndefined();
  });
});

describe("Use case: order intake, the outcomes of a customer's recent messages", () => {
  const rowOf = async (journey: string, variant: string, day: string) =>
    (await deps.stores.stats.all()).find(
      (r) => r.journey === journey && r.variant === variant && r.day === day,
    )?.counts ?? {};

  it('credits a click-attributed order to the message, converts and retains sent and held-out exposures once', async () => {
    const c = uniq('C');
    await run(profileIntake, upsert(c, '2026-12-01T09:00:00Z'));
    const { ledger } = deps.stores;
    // A thank-you that went out (variant B), clicked by a person; a win-back the customer was held out of.
    const sentKey = {
      messageId: uniq('M'),
      customerId: c,
      journey: 'order_followup',
      triggerKey: uniq('t'),
    } as const;
    await ledger.decide(
      sentKey,
      'sending',
      '2026-12-01T10:00:00.000Z',
      { variant: 'B', templateVersion: 'v000002' },
      { claim: 'x#1' },
    );
    await ledger.decide(sentKey, 'sent', '2026-12-01T10:00:00.000Z', {}, { claim: 'x#1' });
    await ledger.addEvent(sentKey.messageId, 'delivered', '2026-12-01T10:00:02.000Z');
    await ledger.addEvent(sentKey.messageId, 'clicked', '2026-12-02T08:00:00.000Z');
    const heldKey = {
      messageId: uniq('M'),
      customerId: c,
      journey: 'winback',
      triggerKey: uniq('t'),
    } as const;
    await ledger.decide(heldKey, 'skipped', '2026-12-01T11:00:00.000Z', { reason: 'holdout' });
    expect(await rowOf('order_followup', 'B', '2026-12-01')).toMatchObject({ triggered: 1, sent: 1 });
    expect(await rowOf('winback', '-', '2026-12-01')).toMatchObject({
      triggered: 1,
      skipped: 1,
      skipped_holdout: 1,
    });

    // Two orders within the windows: the second adds revenue, never a second conversion of the same exposure.
    now = new Date('2026-12-03T12:00:00.000Z');
    await run(orderIntake, order(c, uniq('O'), '2026-12-03T12:00:00Z', { total: 30 }));
    await run(orderIntake, order(c, uniq('O'), '2026-12-04T12:00:00Z', { total: 20 }));

    expect(await rowOf('order_followup', 'B', '2026-12-01')).toMatchObject({
      orders_click: 2,
      revenue_click: 50,
      exposed_converted_treated: 1,
      exposed_revenue_treated: 50,
      retained30_treated: 1,
      retained60_treated: 1,
      retained90_treated: 1,
    });
    expect(await rowOf('winback', '-', '2026-12-01')).toMatchObject({
      exposed_converted_holdout: 1,
      exposed_revenue_holdout: 50,
      retained30_holdout: 1,
    });
    expect((await ledger.get(sentKey.messageId))?.events).toMatchObject({
      ordered: '2026-12-03T12:00:00.000Z',
      exposed_converted: '2026-12-03T12:00:00.000Z',
      retained30: '2026-12-03T12:00:00.000Z',
    });
    // A held-out customer's order is never credited as the message's own conversion: it was not sent.
    expect((await rowOf('winback', '-', '2026-12-01')).orders_click).toBeUndefined();
  });
});
