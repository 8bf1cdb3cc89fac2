/**
 * The DynamoDB tables, created from the layouts in functions/domain/tables.ts so the stack and the embedded
 * runtime can never disagree on names, keys or indexes.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type IndexLayout, TABLES, type TableLayout } from '../../functions/domain/tables.js';

export interface LayoutTableProps {
  readonly layout: TableLayout;
  /** @default RemovalPolicy.RETAIN (customer data and the consent trail outlive a stack) */
  readonly removalPolicy?: RemovalPolicy;
}

/** A table built from a TableLayout; knows its index ARNs so grants need no `index/*` wildcard. */
export class LayoutTable extends dynamodb.Table {
  public readonly layout: TableLayout;

  constructor(scope: Construct, id: string, props: LayoutTableProps) {
    const { layout } = props;
    super(scope, id, {
      partitionKey: { name: layout.partitionKey, type: dynamodb.AttributeType.STRING },
      ...(layout.sortKey && { sortKey: { name: layout.sortKey, type: dynamodb.AttributeType.STRING } }),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      ...(layout.ttlAttribute && { timeToLiveAttribute: layout.ttlAttribute }),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.layout = layout;
    for (const index of layout.indexes) this.addGlobalSecondaryIndex(indexProps(index));
  }

  /** ARNs of the table's global secondary indexes, one per layout index. */
  get indexArns(): string[] {
    return this.layout.indexes.map((index) => `${this.tableArn}/index/${index.name}`);
  }
}

function indexProps(index: IndexLayout): dynamodb.GlobalSecondaryIndexProps {
  const sortKeyType =
    index.sortKeyType === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING;
  return {
    indexName: index.name,
    partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
    ...(index.sortKey && { sortKey: { name: index.sortKey, type: sortKeyType } }),
    ...(index.include === undefined
      ? { projectionType: dynamodb.ProjectionType.ALL }
      : index.include.length === 0
        ? { projectionType: dynamodb.ProjectionType.KEYS_ONLY }
        : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }),
  };
}

export interface DataStoreProps {
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** Every table of TABLES, as public readonly properties. */
export class DataStore extends Construct {
  public readonly profiles: LayoutTable;
  public readonly carts: LayoutTable;
  public readonly messages: LayoutTable;
  public readonly templates: LayoutTable;
  public readonly products: LayoutTable;
  public readonly rejected: LayoutTable;
  public readonly reputation: LayoutTable;
  /** Outcome counters per journey, variant, version and day (adapters/stats.ts). */
  public readonly stats: LayoutTable;
  /** Intake's idempotency records (functions/adapters/once.ts); items expire by TTL (`expiration`). */
  public readonly idempotency: LayoutTable;
  /** Incentive codes and which message holds each (adapters/codes.ts); claimed ones expire (`purgeAt`). */
  public readonly codes: LayoutTable;

  constructor(scope: Construct, id: string, props: DataStoreProps = {}) {
    super(scope, id);
    const table = (name: string, layout: TableLayout) =>
      new LayoutTable(this, name, { layout, removalPolicy: props.removalPolicy });
    this.profiles = table('Profiles', TABLES.PROFILES);
    this.carts = table('Carts', TABLES.CARTS);
    this.messages = table('Messages', TABLES.MESSAGES);
    this.templates = table('Templates', TABLES.TEMPLATES);
    this.products = table('Products', TABLES.PRODUCTS);
    this.rejected = table('Rejected', TABLES.REJECTED);
    this.reputation = table('Reputation', TABLES.REPUTATION);
    this.idempotency = table('Idempotency', TABLES.IDEMPOTENCY);
    this.stats = table('Stats', TABLES.STATS);
    this.codes = table('Codes', TABLES.CODES);
  }

  /** All tables, keyed by layout id (for outputs and iteration). */
  get all(): Record<string, LayoutTable> {
    const tables = [
      this.profiles,
      this.carts,
      this.messages,
      this.templates,
      this.products,
      this.rejected,
      this.reputation,
      this.idempotency,
      this.stats,
      this.codes,
    ];
    return Object.fromEntries(tables.map((t) => [t.layout.id, t]));
  }
}
