import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Doc, documentClient } from '../../functions/adapters/dynamo.js';
import { ProductStore } from '../../functions/adapters/products.js';
import { popularityOf } from '../../functions/domain/popularity.js';
import { TABLES } from '../../functions/domain/tables.js';
import { type LocalDynamo, startDynamo } from '../../local/dynamo.js';

describe('Local DynamoDB', () => {
  let dynamo: LocalDynamo;
  let doc: Doc;

  beforeAll(async () => {
    dynamo = await startDynamo('t-');
    doc = documentClient(dynamo.client);
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('creates one table per layout, named with the prefix', () => {
    expect(Object.keys(dynamo.tableNames).sort()).toEqual(
      Object.values(TABLES)
        .map((t) => t.id)
        .sort(),
    );
    expect(dynamo.tableNames.profiles).toBe('t-profiles');
  });

  it('creates the GSIs with their INCLUDE projections', async () => {
    // Act
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: 't-profiles' }));

    // Assess
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const byBirthday = Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'byBirthday');
    expect(byBirthday?.Projection).toEqual({
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: ['timeZone', 'birthday'],
    });
  });

  it('answers a GSI query with only the projected attributes', async () => {
    // Prepare
    const profile = {
      customerId: 'c1',
      email: 'c1@example.com',
      birthdayMd: '03-01',
      timeZone: 'UTC',
      birthday: '1990-03-01',
    };
    await doc.send(new PutCommand({ TableName: 't-profiles', Item: profile }));
    await doc.send(
      new PutCommand({
        TableName: 't-profiles',
        Item: { ...profile, customerId: 'c2', birthdayMd: '03-02' },
      }),
    );

    // Act
    const { Items } = await doc.send(
      new QueryCommand({
        TableName: 't-profiles',
        IndexName: 'byBirthday',
        KeyConditionExpression: 'birthdayMd = :md',
        ExpressionAttributeValues: { ':md': '03-01' },
      }),
    );

    // Assess: email is not projected into the index.
    expect(Items).toEqual([
      { customerId: 'c1', birthdayMd: '03-01', timeZone: 'UTC', birthday: '1990-03-01' },
    ]);
  });

  it('serves the category index: the most ordered products first, by number not by string', async () => {
    // Prepare
    for (const [sku, orderCount] of [
      ['a', 5],
      ['b', 40],
      ['c', 12],
    ] as const) {
      await doc.send(
        new PutCommand({
          TableName: 't-products',
          Item: {
            sku,
            name: sku,
            price: 1,
            category: 'tea',
            orderCount,
            popularity: popularityOf(orderCount),
          },
        }),
      );
    }

    // Act
    const popular = await new ProductStore(doc, 't-products').popularIn(['tea']);

    // Assess: numeric order, not string order ("5" > "40" as strings).
    expect(popular.map((p) => p.sku)).toEqual(['b', 'c', 'a']);
  });
});
