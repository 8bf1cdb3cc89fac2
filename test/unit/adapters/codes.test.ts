/**
 * The codes store against a real local DynamoDB (dynalite): pools imported once, a pool code held by one
 * message at most (retries, duplicate runs and races included), releases that give codes back, generated
 * codes stored for lookup, and redemption once per code. The crash windows of a claim are replayed by writing
 * the items a crashed run leaves behind.
 */
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimItem } from '../../../functions/adapters/codes.js';
import { CodeStore } from '../../../functions/adapters/codes.js';
import { documentClient } from '../../../functions/adapters/dynamo.js';
import { generatedCode, incentiveSchema, issuedCode } from '../../../functions/domain/incentives.js';
import { type LocalDynamo, startDynamo } from '../../../local/dynamo.js';

let dynamo: LocalDynamo;
let table: string;
let store: CodeStore;
const raw = () => documentClient(dynamo.client);
let n = 0;
const AT = '2026-12-01T10:00:00.000Z';
const incentive = incentiveSchema.parse({ kind: 'percent', value: 10, source: 'pool' });
const issue = (code: string) => issuedCode(incentive, code, new Date(AT), 'EUR');

beforeAll(async () => {
  dynamo = await startDynamo('codes-');
  table = dynamo.tableNames.codes!;
  store = new CodeStore(documentClient(dynamo.client), table);
});
afterAll(async () => {
  await dynamo?.close();
});

/** A fresh journey's pool per test: pools are per journey, so codes get unique names instead. */
let prefix = '';
beforeEach(() => {
  n++;
  prefix = `T${n}-`;
});
const codes = (count: number) => Array.from({ length: count }, (_, i) => `${prefix}CODE${i}`);
const claim = (messageId: string) => store.claimFromPool('winback', `${prefix}${messageId}`, issue, AT);

async function drainWinback(): Promise<void> {
  // Earlier tests' free winback codes would be claimable here: take them out of the pool.
  for (const item of await store.codes())
    if (item.pool === 'winback') await store.claimFromPool('winback', `drain-${item.id}`, issue, AT);
}

describe('Class: CodeStore (dynalite)', () => {
  beforeEach(async () => drainWinback());

  it('imports a pool once: codes already stored, in any case, are duplicates and left as they are', async () => {
    const first = await store.importPool('winback', codes(3), AT);
    expect(first).toEqual({ added: 3, duplicates: [] });
    const claimed = await claim('m1');
    const again = await store.importPool(
      'winback',
      [...codes(3).map((c) => c.toLowerCase()), `${prefix}NEW`],
      AT,
    );
    expect(again.added).toBe(1);
    expect(again.duplicates).toHaveLength(3);
    // The claimed code is still the message's: a re-import never frees it.
    expect(claimed.status).toBe('claimed');
    const code = claimed.status === 'claimed' ? claimed.issued.code : '';
    expect((await store.get(code))?.messageId).toBe(`${prefix}m1`);
  });

  it('gives each message its own code, the same one on every retry, and says when the pool is empty', async () => {
    await store.importPool('winback', codes(3), AT);
    const a = await claim('a');
    const b = await claim('b');
    const c = await claim('c');
    const d = await claim('d');
    const got = [a, b, c].map((o) => (o.status === 'claimed' ? o.issued.code : undefined));
    expect(new Set(got).size).toBe(3);
    expect(got.every((code) => code?.startsWith(prefix))).toBe(true);
    expect(d).toEqual({ status: 'empty' });
    expect(await claim('a')).toEqual(a);
  });

  it('never gives one code to two messages, however many claim at once (and each run of a message agrees)', async () => {
    await store.importPool('winback', codes(12), AT);
    const messages = Array.from({ length: 16 }, (_, i) => `race${i}`);
    // Every message twice at once: a duplicate run racing its twin.
    const outcomes = await Promise.all([...messages, ...messages].map((m) => claim(m)));
    const byMessage = new Map<string, Set<string>>();
    outcomes.forEach((o, i) => {
      const m = [...messages, ...messages][i]!;
      const set = byMessage.get(m) ?? new Set();
      set.add(o.status === 'claimed' ? o.issued.code : o.status);
      byMessage.set(m, set);
    });
    for (const [m, set] of byMessage) expect(set.size, m).toBe(1);
    const held = [...byMessage.values()].map((s) => [...s][0]!).filter((c) => c.startsWith(prefix));
    expect(held).toHaveLength(12);
    expect(new Set(held).size).toBe(12);
    for (const code of held) expect((await store.get(code))?.pool).toBeUndefined();
  });

  it('gives a released code back to the pool, and the released message gets none again', async () => {
    await store.importPool('winback', codes(1), AT);
    const first = await claim('gone');
    expect(first.status).toBe('claimed');
    expect(await claim('waiting')).toEqual({ status: 'empty' });
    expect(await store.release(`${prefix}gone`, AT)).toEqual({ code: `${prefix}CODE0`, source: 'pool' });
    expect(await store.release(`${prefix}gone`, AT)).toEqual({ code: `${prefix}CODE0`, source: 'pool' });
    expect(await claim('gone')).toEqual({ status: 'released' });
    const next = await claim('waiting');
    expect(next.status === 'claimed' && next.issued.code).toBe(`${prefix}CODE0`);
    expect(await store.release(`${prefix}never-claimed`, AT)).toBeUndefined();
  });

  it('a run that crashed after writing its intent goes on with the same code', async () => {
    await store.importPool('winback', codes(2), AT);
    const messageId = `${prefix}crash1`;
    const intent: ClaimItem = {
      id: `claim#${messageId}`,
      messageId,
      journey: 'winback',
      source: 'pool',
      codeId: `code#${prefix}CODE1`,
      state: 'pending',
      issued: issue(`${prefix}CODE1`),
      at: AT,
    };
    await raw().send(new PutCommand({ TableName: table, Item: intent }));
    const out = await claim('crash1');
    expect(out.status === 'claimed' && out.issued.code).toBe(`${prefix}CODE1`);
    expect((await store.claimOf(messageId))?.state).toBe('claimed');
  });

  it("a crashed run's intent on a code another message took since moves to a free code", async () => {
    await store.importPool('winback', codes(2), AT);
    const other = await claim('first');
    const taken = other.status === 'claimed' ? other.issued.code : '';
    const messageId = `${prefix}crash2`;
    await raw().send(
      new PutCommand({
        TableName: table,
        Item: {
          id: `claim#${messageId}`,
          messageId,
          journey: 'winback',
          source: 'pool',
          codeId: `code#${taken}`,
          state: 'pending',
          issued: issue(taken),
          at: AT,
        },
      }),
    );
    const out = await claim('crash2');
    expect(out.status).toBe('claimed');
    expect(out.status === 'claimed' && out.issued.code).not.toBe(taken);
    expect((await store.get(taken))?.messageId).toBe(`${prefix}first`);
  });

  it('stores a generated code with its first terms, so a retry gets the same code and expiry', async () => {
    const messageId = `${prefix}gen`;
    const codeFor = (attempt: number) => generatedCode('s'.repeat(32), messageId, 'BDAY-', attempt);
    const first = await store.issueGenerated('birthday', messageId, codeFor, issue, AT);
    const later = (code: string) => issuedCode(incentive, code, new Date('2026-12-03T00:00:00Z'), 'EUR');
    const retry = await store.issueGenerated('birthday', messageId, codeFor, later, AT);
    expect(retry).toEqual(first);
    const code = first.status === 'claimed' ? first.issued.code : '';
    expect(code).toBe(codeFor(0));
    expect(await store.get(code.toLowerCase())).toMatchObject({ messageId, source: 'generated' });
  });

  it('derives another generated code when the first is already held by someone else', async () => {
    const messageId = `${prefix}collide`;
    const codeFor = (attempt: number) => `${prefix}GEN${attempt}`;
    await store.importPool('winback', [`${prefix}GEN0`], AT);
    const out = await store.issueGenerated('birthday', messageId, codeFor, issue, AT);
    expect(out.status === 'claimed' && out.issued.code).toBe(`${prefix}GEN1`);
  });

  it('redeems an issued code once: the same order again is a retry, another order is refused', async () => {
    await store.importPool('winback', codes(2), AT);
    const held = await claim('r');
    const code = held.status === 'claimed' ? held.issued.code : '';
    const first = await store.redeem(code.toLowerCase(), 'O-1', AT);
    expect(first).toMatchObject({ status: 'redeemed', again: false, item: { messageId: `${prefix}r` } });
    expect(await store.redeem(code, 'O-1', '2026-12-02T00:00:00Z')).toMatchObject({
      status: 'redeemed',
      again: true,
      item: { redeemedAt: AT },
    });
    expect(await store.redeem(code, 'O-2', AT)).toMatchObject({ status: 'already_redeemed' });
    expect(await store.redeem(`${prefix}CODE-NOPE`, 'O-3', AT)).toEqual({ status: 'unknown' });
    const free = codes(2).find((c) => c !== code)!;
    expect(await store.redeem(free, 'O-4', AT)).toMatchObject({ status: 'not_issued' });
  });
});

describe('Class: CodeStore (writes)', () => {
  let ddb: ReturnType<typeof mockClient>;
  beforeAll(() => {
    ddb = mockClient(DynamoDBDocumentClient);
  });
  afterAll(() => ddb.restore());

  it('imports with a conditional put per code, never a batch that could overwrite a claimed code', async () => {
    ddb.reset();
    ddb.on(PutCommand).resolves({});
    const mocked = new CodeStore(documentClient(), 'codes');
    await mocked.importPool('birthday', ['A1B2', 'a1b2', 'C3D4'], AT);
    const puts = ddb.commandCalls(PutCommand).map((c) => c.args[0].input as PutCommand['input']);
    expect(puts).toHaveLength(2);
    for (const put of puts) expect(put.ConditionExpression).toBe('attribute_not_exists(id)');
    expect(puts.map((p) => p.Item?.id).sort()).toEqual(['code#A1B2', 'code#C3D4']);
  });

  it('writes the intent only if the message has none, and takes the code only if it is free or its own', async () => {
    ddb.reset();
    ddb.on(GetCommand, { Key: { id: 'claim#m' } }).resolves({});
    ddb
      .on(GetCommand, { Key: { id: 'code#X1' } })
      .resolves({ Item: { id: 'code#X1', code: 'x1', pool: 'birthday' } });
    ddb.on(QueryCommand).resolves({ Items: [{ id: 'code#X1' }] });
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    const mocked = new CodeStore(documentClient(), 'codes');
    const out = await mocked.claimFromPool('birthday', 'm', issue, AT);
    expect(out).toMatchObject({ status: 'claimed', issued: { code: 'x1' } });
    const [intent] = ddb.commandCalls(PutCommand).map((c) => c.args[0].input as PutCommand['input']);
    expect(intent).toMatchObject({ Item: { id: 'claim#m', codeId: 'code#X1', state: 'pending' } });
    expect(intent?.ConditionExpression).toBe('attribute_not_exists(id)');
    const [take, confirm] = ddb
      .commandCalls(UpdateCommand)
      .map((c) => c.args[0].input as UpdateCommand['input']);
    expect(take).toMatchObject({
      Key: { id: 'code#X1' },
      ConditionExpression: 'attribute_exists(id) AND (attribute_not_exists(messageId) OR messageId = :m)',
    });
    expect(take?.UpdateExpression).toContain('REMOVE #pool');
    expect(confirm).toMatchObject({ Key: { id: 'claim#m' } });
    expect(confirm?.ConditionExpression).toContain('codeId = :c');
  });
});
