/** Versioned message templates in DynamoDB: `v000001`, `v000002`, ... plus a `published` pointer per journey. */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_VARIANT, VARIANT_NAME } from '../domain/bandit.js';
import type { TemplateVersion } from '../domain/model.js';
import type { Journey } from '../domain/names.js';
import { type Doc, isConditionFailed } from './dynamo.js';

const PUBLISHED = 'published';

/**
 * A stored version: what the send path renders, plus the editable sources (`mjml` and the partials it
 * includes, keyed by path relative to the template folder) so `templates pull` can give them back.
 */
export interface StoredTemplate extends TemplateVersion {
  partials?: Record<string, string>;
}

/** What `templates list` shows of a version; read with a projection, so compiled HTML is not transferred. */
export interface VersionSummary {
  version: string;
  createdAt: string;
  author?: string;
}

export class TemplateStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemplateStoreError';
  }
}

export function versionKey(n: number): string {
  return `v${String(n).padStart(6, '0')}`;
}

export class TemplateStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
  ) {}

  /** The published version of a journey's template, or undefined. */
  async published(journey: Journey): Promise<StoredTemplate | undefined> {
    const version = await this.publishedVersion(journey);
    return version ? this.get(journey, version) : undefined;
  }

  /** The key of the published version (`v000003`), or undefined; reads only the pointer. */
  async publishedVersion(journey: Journey): Promise<string | undefined> {
    const pointer = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { journey, version: PUBLISHED } }),
    );
    return pointer.Item?.current as string | undefined;
  }

  /**
   * The published pointer: `current` (variant 'A') and any other variants, name to version key. One GetItem.
   */
  async publishedPointer(journey: Journey): Promise<Record<string, string>> {
    const pointer = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { journey, version: PUBLISHED } }),
    );
    const item = pointer.Item as { current?: string; variants?: Record<string, string> } | undefined;
    if (!item?.current) return {};
    return { ...(item.variants ?? {}), [DEFAULT_VARIANT]: item.current };
  }

  /**
   * Every published variant of a journey with its template: the pointer, then each distinct version (read in
   * parallel). Empty when nothing is published; a variant whose version is gone is left out.
   */
  async publishedVariants(journey: Journey): Promise<Record<string, StoredTemplate>> {
    const pointer = await this.publishedPointer(journey);
    const versions = [...new Set(Object.values(pointer))];
    const templates = new Map(
      await Promise.all(versions.map(async (v) => [v, await this.get(journey, v)] as const)),
    );
    const out: Record<string, StoredTemplate> = {};
    for (const [variant, version] of Object.entries(pointer)) {
      const template = templates.get(version);
      if (template) out[variant] = template;
    }
    return out;
  }

  async get(journey: Journey, version: string): Promise<StoredTemplate | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { journey, version } }));
    return out.Item as StoredTemplate | undefined;
  }

  /** Every version of a journey, oldest first (paged: a journey's versions can exceed one 1 MB page). */
  async versions(journey: Journey): Promise<VersionSummary[]> {
    const items: VersionSummary[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#j = :j AND begins_with(#v, :v)',
          ProjectionExpression: '#v, createdAt, author',
          ExpressionAttributeNames: { '#j': 'journey', '#v': 'version' },
          ExpressionAttributeValues: { ':j': journey, ':v': 'v' },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...((out.Items ?? []) as VersionSummary[]));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * Publishes a copy of the journey's published template, with `changes` (another subject, say), as `variant`,
   * beside the current one: the new version's key, or undefined when the journey has no published template.
   */
  async publishVariantOf(
    journey: Journey,
    variant: string,
    changes: Partial<Pick<StoredTemplate, 'subject' | 'html' | 'text' | 'mjml' | 'author'>>,
    at: string,
  ): Promise<string | undefined> {
    const current = await this.published(journey);
    if (!current) return undefined;
    const { version: _version, ...draft } = current;
    const version = await this.addVersion({ ...draft, ...changes });
    await this.publish(journey, version, at, variant);
    return version;
  }

  /** Adds a new immutable version (next number) and returns its key. Concurrent pushes never overwrite. */
  async addVersion(template: Omit<StoredTemplate, 'version'>): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const existing = await this.versions(template.journey);
      const version = versionKey(existing.length + 1 + attempt);
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...template, version },
            ConditionExpression: 'attribute_not_exists(version)',
          }),
        );
        return version;
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    }
    throw new TemplateStoreError(
      `Could not add a version of ${template.journey}: too many concurrent pushes`,
    );
  }

  /**
   * Publishes a version as the journey's current template (variant 'A'), or as another variant beside it
   * (`variant` 'B', ...); the other variants stay published. A variant needs a current version to sit beside.
   */
  async publish(journey: Journey, version: string, at: string, variant = DEFAULT_VARIANT): Promise<void> {
    if (!VARIANT_NAME.test(variant))
      throw new TemplateStoreError(`Variant "${variant}" must be 1-32 letters, digits, "_" or "-"`);
    if (!(await this.get(journey, version)))
      throw new TemplateStoreError(`No version ${version} of ${journey}`);
    if (variant === DEFAULT_VARIANT) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { journey, version: PUBLISHED },
          UpdateExpression: 'SET #c = :v, #at = :at',
          ExpressionAttributeNames: { '#c': 'current', '#at': 'at' },
          ExpressionAttributeValues: { ':v': version, ':at': at },
        }),
      );
      return;
    }
    const pointer = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { journey, version: PUBLISHED },
        ConsistentRead: true,
      }),
    );
    if (!pointer.Item?.current)
      throw new TemplateStoreError(`Publish a current version of ${journey} before variant ${variant}`);
    const variants = {
      ...((pointer.Item.variants as Record<string, string> | undefined) ?? {}),
      [variant]: version,
    };
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...pointer.Item, variants, at } }),
    );
  }
}
