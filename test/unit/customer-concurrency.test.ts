import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamo.js';
import type { Deps } from '../../functions/app/deps.js';
import { toHandler } from '../../functions/app/lambda.js';
import type { FeedbackVote } from '../../functions/domain/feedback.js';
import { type LinkClaims, type LinkKeys, signLink } from '../../functions/domain/links.js';
import type { Profile } from '../../functions/domain/model.js';
import { customerHttp } from '../../functions/usecases/customer-http.js';
import { isErased } from '../../functions/usecases/intake.js';
import { type LocalDynamo, startDynamo } from '../../local/dynamo.js';
import { depsOver } from './local-deps.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const KEYS: LinkKeys = { current: 'k1', keys: { k1: 'x'.repeat(32) } };
const EXP = Math.floor(NOW.getTime() / 1000) + 86_400;

let dynamo: LocalDynamo;
let deps: Deps;
let http: (event: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
let seq = 0;
let customerId: string;

beforeAll(async () => {
  dynamo = await startDynamo('customer-');
  deps = depsOver(dynamo, {
    env: { LINK_KEYS: JSON.stringify(KEYS) },
    clock: () => NOW,
    needs: customerHttp.needs,
  });
  http = toHandler(customerHttp, deps);
});
afterAll(async () => {
  deps?.dynamodb.destroy();
  await dynamo?.close();
});

beforeEach(async () => {
  customerId = `C-${++seq}`;
  const profile: Profile = {
    customerId,
    email: `${customerId}@example.com`,
    consent: { email: 'opted_in', topics: { birthday: true, winback: true }, source: 'checkout' },
    createdAt: '2026-11-01T00:00:00Z',
  };
  await documentClient(deps.dynamodb).send(
    new PutCommand({ TableName: dynamo.tableNames.profiles, Item: profile }),
  );
});

const token = (claims: Omit<LinkClaims, 'customerId' | 'exp'>) =>
  signLink({ customerId, exp: EXP, ...claims }, KEYS);
const post = (rawPath: string, body = '') =>
  http({
    rawPath,
    rawQueryString: '',
    headers: { host: 'localhost:8787', 'content-type': 'application/x-www-form-urlencoded' },
    requestContext: { http: { method: 'POST' } },
    body,
    isBase64Encoded: false,
  });
const profile = async () => (await deps.stores.profiles.get(customerId)) as Profile;
const vote = (sku: string): FeedbackVote => ({
  target: { kind: 'sku', id: sku },
  vote: 'down',
  at: '2026-11-20T10:00:00.000Z',
  source: 'email',
});

describe('Use case: customerHttp, concurrent changes of one customer', () => {
  it('keeps all three votes posted at the same moment from one email', async () => {
    // Prepare
    const links = ['S-1', 'S-2', 'S-3'].map(
      (sku) => `/f/${token({ purpose: 'feedback', data: { sku, vote: 'up' } })}`,
    );

    // Act
    const responses = await Promise.all(links.map((link) => post(link)));

    // Assess
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const votes = (await profile()).feedback ?? [];
    expect(votes.map((v) => v.target.id).sort()).toEqual(['S-1', 'S-2', 'S-3']);
    expect(votes.every((v) => v.vote === 'up' && v.source === 'email')).toBe(true);
  });

  it('applies three undos posted at once from the preference center', async () => {
    // Prepare
    await deps.stores.profiles.patch(customerId, { feedback: ['S-1', 'S-2', 'S-3', 'S-4'].map(vote) });
    const center = `/p/${token({ purpose: 'preferences' })}`;

    // Act
    const responses = await Promise.all(
      ['S-1', 'S-2', 'S-3'].map((id) => post(`${center}/vote`, `kind=sku&id=${id}`)),
    );

    // Assess
    expect(responses.map((r) => [r.statusCode, r.headers?.location])).toEqual(
      Array(3).fill([303, `${center}?saved=vote`]),
    );
    expect((await profile()).feedback?.map((v) => v.target.id)).toEqual(['S-4']);
  });

  it('keeps a one-click unsubscribe that lands while the topics form is saved', async () => {
    // Prepare: the topics form says nothing about email, so it must not bring the opt-in back
    const topics = `/p/${token({ purpose: 'preferences' })}/topics`;
    const unsubscribe = `/u/${token({ purpose: 'unsubscribe' })}`;

    // Act
    const [saved, unsubscribed] = await Promise.all([post(topics, 'topic=birthday'), post(unsubscribe)]);

    // Assess
    expect([saved.statusCode, unsubscribed.statusCode]).toEqual([303, 200]);
    const { consent } = await profile();
    expect(consent?.email).toBe('opted_out');
    expect(consent?.topics).toEqual({
      birthday: true,
      winback: false,
      cart_reminders: false,
      order_followups: false,
    });
  });

  it('refuses an undo of an answer another tab already undid, and changes nothing', async () => {
    // Prepare
    await deps.stores.profiles.patch(customerId, { feedback: [vote('S-1'), vote('S-2')] });
    const center = `/p/${token({ purpose: 'preferences' })}`;

    // Act: the same undo twice at once
    const responses = await Promise.all([1, 2].map(() => post(`${center}/vote`, 'kind=sku&id=S-1')));

    // Assess: one saved, the other shown the page with its notice
    expect(responses.map((r) => r.statusCode).sort()).toEqual([303, 400]);
    expect((await profile()).feedback?.map((v) => v.target.id)).toEqual(['S-2']);
  });

  it('keeps a vote from an email that lands while a detail is deleted in the preference center', async () => {
    // Prepare
    await deps.stores.profiles.patch(customerId, { attributes: { tier: 'gold', size: 38 } });
    const field = `/p/${token({ purpose: 'preferences' })}/field`;
    const link = `/f/${token({ purpose: 'feedback', data: { sku: 'S-9', vote: 'down' } })}`;

    // Act
    const [deleted, voted] = await Promise.all([
      post(field, 'field=attributes.tier&action=delete'),
      post(link),
    ]);

    // Assess
    expect([deleted.statusCode, voted.statusCode]).toEqual([303, 200]);
    const stored = await profile();
    expect(stored.attributes).toEqual({ size: 38 });
    expect(stored.feedback?.map((v) => [v.target.id, v.vote])).toEqual([['S-9', 'down']]);
  });

  it('erases the profile, leaves a tombstone that refuses later events, and the link then refuses', async () => {
    // Prepare
    const center = `/p/${token({ purpose: 'preferences' })}`;

    // Act
    const erased = await post(`${center}/erase`, 'confirm=yes');
    const after = await post(`${center}/topics`, 'topic=birthday');

    // Assess
    expect(erased.statusCode).toBe(200);
    expect(await deps.stores.profiles.get(customerId)).toBeUndefined();
    expect(await isErased(deps, customerId)).toBe(true);
    expect(after.statusCode).toBe(400);
  });
});
