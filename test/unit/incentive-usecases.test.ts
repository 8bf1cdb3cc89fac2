/**
 * Incentives through the use cases, against a real local DynamoDB (dynalite), Step Functions faked: a code
 * claimed per message (generated or from the pool; none when the pool is empty), given back by Record when the
 * message ends unsent (never when a twin run sent it), and redeemed by an order once, however often the order
 * arrives: on the message's ledger entry, in its counters, in the KPIs, with the counters check exact.
 */
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkCounters } from '../../cli/counters-check.js';
import type { Deps } from '../../functions/app/deps.js';
import { toHandler, type UseCase } from '../../functions/app/lambda.js';
import { messageIdFor, triggerKeys } from '../../functions/domain/ids.js';
import { codeSecret, generatedCode } from '../../functions/domain/incentives.js';
import { kpiReport } from '../../functions/domain/kpis.js';
import type { MessageRequest, WorkflowState } from '../../functions/domain/model.js';
import type { Journey } from '../../functions/domain/names.js';
import { cartIntake } from '../../functions/usecases/cart-intake.js';
import { claimIncentive, reclaimUnsent } from '../../functions/usecases/incentive.js';
import { orderIntake } from '../../functions/usecases/order-intake.js';
import { record } from '../../functions/usecases/record.js';
import { LOCAL_REGION, type LocalDynamo, startDynamo } from '../../local/dynamo.js';
import { depsOver } from './local-deps.js';

const STATE_MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:wf';
const INCENTIVES = {
  birthday: { kind: 'percent', value: 15, validDays: 30, source: 'generated', prefix: 'BDAY-' },
  winback: { kind: 'amount', value: 10, minOrder: 40, source: 'pool' },
  cart_reminder: { kind: 'free_shipping', source: 'pool' },
};
let dynamo: LocalDynamo;
let deps: Deps;
let now = new Date('2026-12-01T09:00:00.000Z');
const sfn = new SFNClient({ region: LOCAL_REGION });
const sfnMock = mockClient(sfn);
const scheduler = new SchedulerClient({ region: LOCAL_REGION });
const schedulerMock = mockClient(scheduler);
const warnings: string[] = [];

beforeAll(async () => {
  dynamo = await startDynamo('incentive-');
  deps = depsOver(dynamo, {
    clock: () => now,
    needs: [...new Set([...orderIntake.needs, ...record.needs, ...cartIntake.needs, 'codes' as const])],
    env: {
      RECIPROCITY_CONFIG: JSON.stringify({ incentives: INCENTIVES }),
      STATE_MACHINE_ARN: STATE_MACHINE,
      SCHEDULE_GROUP: 'reciprocity',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/sched',
    },
    clients: { sfn, scheduler },
  });
  const warn = deps.logger.warn.bind(deps.logger);
  deps.logger.warn = (message: unknown, ...rest: unknown[]) => {
    warnings.push(String(message));
    (warn as (...args: unknown[]) => void)(message, ...rest);
  };
});
afterAll(async () => {
  await dynamo?.close();
});
beforeEach(() => {
  now = new Date('2026-12-01T09:00:00.000Z');
  sfnMock.reset();
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE}:run`, startDate: now });
  schedulerMock.reset();
  schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
  // The reminder already fired (and was deferred): its schedule is gone.
  schedulerMock
    .on(DeleteScheduleCommand)
    .rejects(Object.assign(new Error('none'), { name: 'ResourceNotFoundException' }));
});

let seq = 0;
const uniq = (prefix: string) => `${prefix}-${++seq}`;
const run = <O>(uc: UseCase<unknown, O>, event: unknown): Promise<O> =>
  toHandler(uc, deps)(event, { awsRequestId: uniq('req') });

function request(journey: Journey, customerId = uniq('C')): MessageRequest {
  const triggerKey = `${journey}:${customerId}:${uniq('t')}`;
  return {
    v: 1,
    journey,
    customerId,
    triggerKey,
    messageId: messageIdFor(triggerKey),
    triggeredAt: now.toISOString(),
    context: {},
  };
}

/** The ledger as Send leaves it for a sent message. */
async function sent(req: MessageRequest): Promise<void> {
  const base = { ...req };
  const at = now.toISOString();
  await deps.stores.ledger.decide(base, 'sending', at, { templateVersion: 'v000001' }, { claim: 'x#1' });
  await deps.stores.ledger.decide(
    base,
    'sent',
    at,
    { sesMessageId: uniq('ses') },
    { claim: 'x#1', required: true },
  );
  await deps.stores.ledger.addEventsOnce(req.messageId, ['delivered'], at);
  await deps.stores.stats.add(
    { journey: req.journey, variant: '-', version: 'v000001', day: at.slice(0, 10) },
    { delivered: 1 },
  );
}

const skip = (req: MessageRequest, reason = 'capped_daily') =>
  run(record, {
    kind: 'skip',
    state: { ...req, decision: { action: 'skip', reason, consent: null } } as WorkflowState,
  });

function orderEvent(customerId: string, orderId: string, codes: string[], id = uniq('ev')) {
  return {
    version: '0',
    id,
    'detail-type': 'order.placed',
    source: 'shop',
    account: '1',
    time: now.toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: {
      customerId,
      orderId,
      items: [{ sku: 'S1', name: 'Sencha', price: 48, quantity: 1, category: 'tea' }],
      currency: 'EUR',
      total: 48,
      discountCodes: codes,
    },
  };
}

describe('claimIncentive', () => {
  it('gives nothing for a journey without an incentive', async () => {
    expect(await claimIncentive(deps, request('order_followup'))).toBeUndefined();
  });

  it('generates the code from the message id, stores it and gives it again on a retry', async () => {
    const req = request('birthday');
    const issued = await claimIncentive(deps, req);
    const expected = generatedCode(codeSecret(await deps.linkKeys()), req.messageId, 'BDAY-');
    expect(issued).toEqual({
      code: expected,
      kind: 'percent',
      value: 15,
      currency: 'EUR',
      expiresAt: '2026-12-31T23:59:59.999Z',
    });
    now = new Date('2026-12-02T09:00:00.000Z');
    expect(await claimIncentive(deps, req)).toEqual(issued);
    expect(await deps.stores.codes.get(expected)).toMatchObject({
      messageId: req.messageId,
      journey: 'birthday',
    });
  });

  it('claims pool codes, one per message, and sends without one (with a warning) once the pool is empty', async () => {
    await deps.stores.codes.importPool('winback', ['WB-ONE', 'WB-TWO'], now.toISOString());
    const [a, b, c] = [request('winback'), request('winback'), request('winback')];
    const got = [await claimIncentive(deps, a), await claimIncentive(deps, b)];
    expect(got.map((g) => g?.code).sort()).toEqual(['WB-ONE', 'WB-TWO']);
    expect(got[0]).toMatchObject({ kind: 'amount', value: 10, minOrder: 40, currency: 'EUR' });
    expect(await claimIncentive(deps, c)).toBeUndefined();
    expect(warnings).toContain('Incentive pool empty: the message goes without a code');
    // A retry of a gets a's code, not c's chance.
    expect(await claimIncentive(deps, a)).toEqual(got[0]);

    // a ends unsent (skipped): its code goes back, and c's later run gets it.
    await skip(a);
    expect((await claimIncentive(deps, c))?.code).toBe(got[0]?.code);
    expect(await claimIncentive(deps, a)).toBeUndefined();
  });
});

describe('Record gives codes back', () => {
  it('not when the skip was refused because a twin run sent the message', async () => {
    await deps.stores.codes.importPool('winback', ['WB-TWIN'], now.toISOString());
    const req = request('winback');
    const issued = await claimIncentive(deps, req);
    expect(issued?.code).toBe('WB-TWIN');
    await sent(req);
    expect(await skip(req)).toMatchObject({ recorded: false });
    expect((await deps.stores.codes.get('WB-TWIN'))?.messageId).toBe(req.messageId);
  });

  it('when the workflow failed before Send claimed; not when Send had claimed (unknown)', async () => {
    await deps.stores.codes.importPool('winback', ['WB-F1', 'WB-F2'], now.toISOString());
    const failed = request('winback');
    const unknown = request('winback');
    const codes = [await claimIncentive(deps, failed), await claimIncentive(deps, unknown)];
    const error = { Error: 'Boom', Cause: 'test' };
    expect(await run(record, { kind: 'failure', state: { ...failed, error } })).toMatchObject({
      decision: 'failed',
    });
    await deps.stores.ledger.decide(unknown, 'sending', now.toISOString(), {}, { claim: 'e#1' });
    expect(await run(record, { kind: 'failure', state: { ...unknown, error } })).toMatchObject({
      decision: 'unknown',
    });
    expect((await deps.stores.codes.get(codes[0]!.code))?.pool).toBe('winback');
    expect((await deps.stores.codes.get(codes[1]!.code))?.messageId).toBe(unknown.messageId);
  });

  it('a generated code of a skipped message is marked released, so it is never exported as issued', async () => {
    const req = request('birthday');
    const issued = await claimIncentive(deps, req);
    await skip(req, 'holdout');
    expect((await deps.stores.codes.get(issued!.code))?.releasedAt).toBeDefined();
  });

  it('when an order cancels a reminder that was personalized and deferred', async () => {
    await deps.stores.codes.importPool('cart_reminder', ['CR-DEFERRED'], now.toISOString());
    const customerId = uniq('C');
    const cartId = uniq('K');
    const cart = {
      customerId,
      cartId,
      items: [{ sku: 'S1', name: 'Sencha', price: 48, quantity: 1 }],
      currency: 'EUR',
      total: 48,
    };
    await run(cartIntake, {
      ...orderEvent(customerId, 'x', []),
      'detail-type': 'cart.updated',
      detail: cart,
    });
    const triggerKey = triggerKeys.cartReminder(cartId);
    const reminder = {
      ...request('cart_reminder', customerId),
      triggerKey,
      messageId: messageIdFor(triggerKey),
    };
    expect((await claimIncentive(deps, reminder))?.code).toBe('CR-DEFERRED');
    await deps.stores.ledger.decide(reminder, 'deferred', now.toISOString(), { reason: 'quiet_hours' });
    now = new Date('2026-12-01T10:00:00.000Z');
    await run(orderIntake, {
      ...orderEvent(customerId, uniq('O'), []),
      detail: { ...orderEvent(customerId, uniq('O'), []).detail, cartId },
    });
    expect((await deps.stores.ledger.get(reminder.messageId))?.decision).toBe('cancelled');
    expect((await deps.stores.codes.get('CR-DEFERRED'))?.pool).toBe('cart_reminder');
  });

  it('reclaim finds codes of messages that ended unsent without passing Record', async () => {
    await deps.stores.codes.importPool('winback', ['WB-SENDSKIP'], now.toISOString());
    const req = request('winback');
    await claimIncentive(deps, req);
    // Send's own re-check skipped it (Send records that itself; the workflow then ends without Record).
    await deps.stores.ledger.decide(req, 'skipped', now.toISOString(), { reason: 'opted_out' });
    const result = await reclaimUnsent(deps);
    expect(result.released).toBeGreaterThanOrEqual(1);
    expect((await deps.stores.codes.get('WB-SENDSKIP'))?.pool).toBe('winback');
  });
});

describe('Redemption in order intake', () => {
  it('records a redeemed code on its message and counts it once, however often the order arrives', async () => {
    const req = request('birthday');
    const issued = await claimIncentive(deps, req);
    await sent(req);
    const orderId = uniq('O');
    const event = orderEvent(req.customerId, orderId, [issued!.code.toLowerCase(), 'SHOP-OWN-10']);
    expect(await run(orderIntake, event)).toMatchObject({ outcome: 'order_recorded' });
    // The same order again under a new event id, and a second order trying the same code.
    expect(await run(orderIntake, { ...event, id: uniq('ev') })).toEqual({ outcome: 'duplicate' });
    await run(orderIntake, orderEvent(req.customerId, uniq('O'), [issued!.code]));

    const entry = await deps.stores.ledger.get(req.messageId);
    expect(entry?.events?.redeemed).toBe(now.toISOString());
    expect(await deps.stores.codes.get(issued!.code)).toMatchObject({ redeemedOrder: orderId });
    const rows = await deps.stores.stats.all();
    const birthday = kpiReport(rows, now).journeys.find((j) => j.journey === 'birthday')!;
    expect(birthday.redemption.rate.count).toBe(1);
    expect(birthday.redemption.revenue).toBe(48);
    expect(birthday.redemption.expired).toBe(0);
    const check = checkCounters(await deps.stores.ledger.all(), rows);
    expect(check.differences.filter((d) => d.counter.startsWith('redeemed'))).toEqual([]);
  });

  it('counts a code redeemed after its expiry, and notes it', async () => {
    const req = request('birthday');
    const issued = await claimIncentive(deps, req);
    await sent(req);
    now = new Date('2027-01-05T10:00:00.000Z');
    await run(orderIntake, orderEvent(req.customerId, uniq('O'), [issued!.code]));
    const entry = await deps.stores.ledger.get(req.messageId);
    expect(entry?.events).toMatchObject({ redeemed: now.toISOString(), redeemed_expired: now.toISOString() });
  });

  it('ignores a code whose message never went out', async () => {
    const req = request('birthday');
    const issued = await claimIncentive(deps, req);
    await skip(req, 'holdout');
    await run(orderIntake, orderEvent(req.customerId, uniq('O'), [issued!.code]));
    expect((await deps.stores.codes.get(issued!.code))?.redeemedAt).toBeUndefined();
    expect((await deps.stores.ledger.get(req.messageId))?.events?.redeemed).toBeUndefined();
  });
});
