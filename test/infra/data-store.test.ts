import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../functions/domain/tables.js';
import { defaultStack, logicalIdOf } from './helpers.js';

describe('Construct: DataStore', () => {
  const { stack, template } = defaultStack();

  it('creates one on-demand table per layout, with PITR and KMS encryption', () => {
    // Prepare
    const layouts = Object.values(TABLES);

    // Act
    const tables = template.findResources('AWS::DynamoDB::Table');

    // Assess
    expect(Object.keys(tables)).toHaveLength(layouts.length);
    template.allResourcesProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      // SSEEnabled with no key id: the AWS-managed aws/dynamodb KMS key.
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
    });
    template.allResources('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it.each(Object.values(TABLES))(
    'builds table $id with the keys, indexes and TTL of its layout',
    (layout) => {
      // Prepare
      const table = Object.values(stack.data.all).find((t) => t.layout.id === layout.id);
      expect(table).toBeDefined();
      const resource = template.toJSON().Resources[logicalIdOf(table!)];

      // Act
      const props = resource.Properties;

      // Assess
      const keySchema = [{ AttributeName: layout.partitionKey, KeyType: 'HASH' }];
      if (layout.sortKey) keySchema.push({ AttributeName: layout.sortKey, KeyType: 'RANGE' });
      expect(props.KeySchema).toEqual(keySchema);
      expect(props.GlobalSecondaryIndexes ?? []).toHaveLength(layout.indexes.length);
      for (const index of layout.indexes) {
        const gsi = props.GlobalSecondaryIndexes.find(
          (g: { IndexName: string }) => g.IndexName === index.name,
        );
        const expectedKeys = [{ AttributeName: index.partitionKey, KeyType: 'HASH' }];
        if (index.sortKey) expectedKeys.push({ AttributeName: index.sortKey, KeyType: 'RANGE' });
        expect(gsi.KeySchema).toEqual(expectedKeys);
        expect(gsi.Projection).toEqual(
          index.include === undefined
            ? { ProjectionType: 'ALL' }
            : index.include.length === 0
              ? { ProjectionType: 'KEYS_ONLY' }
              : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] },
        );
        if (index.sortKey) {
          expect(props.AttributeDefinitions).toContainEqual({
            AttributeName: index.sortKey,
            AttributeType: index.sortKeyType ?? 'S',
          });
        }
      }
      if (layout.ttlAttribute) {
        expect(props.TimeToLiveSpecification).toEqual({ AttributeName: layout.ttlAttribute, Enabled: true });
      } else {
        expect(props.TimeToLiveSpecification).toBeUndefined();
      }
    },
  );

  it('keeps the products category indexes lean and bounded: no co-purchase map, no exact order count', () => {
    // Prepare
    const id = logicalIdOf(stack.data.products);

    // Act
    const props = template.toJSON().Resources[id].Properties;
    const byName = (name: string) =>
      props.GlobalSecondaryIndexes.find((g: { IndexName: string }) => g.IndexName === name);
    const popular = byName('byPopularity');
    const added = byName('byAddedAt');

    // Assess: the sort key is the stepped popularity (changes on a few orders), the exact count that changes on
    // every order is not copied, and neither is the co-purchase map.
    expect(popular.KeySchema).toEqual([
      { AttributeName: 'category', KeyType: 'HASH' },
      { AttributeName: 'popularity', KeyType: 'RANGE' },
    ]);
    expect(added.KeySchema).toEqual([
      { AttributeName: 'category', KeyType: 'HASH' },
      { AttributeName: 'addedAt', KeyType: 'RANGE' },
    ]);
    for (const index of [popular, added]) {
      expect(index.Projection.ProjectionType).toBe('INCLUDE');
      expect(index.Projection.NonKeyAttributes).not.toContain('orderCount');
      expect(index.Projection.NonKeyAttributes).not.toContain('co');
    }
    expect(props.AttributeDefinitions).toContainEqual({ AttributeName: 'popularity', AttributeType: 'N' });
  });
});
