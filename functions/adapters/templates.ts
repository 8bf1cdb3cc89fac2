/** Versioned message templates in DynamoDB: `v000001`, `v000002`, ... plus a `published` pointer per journey. */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TemplateVersion } from '../domain/model.js';
import type { Journey } from '../domain/names.js';
import { type Doc, isConditionFailed } from './dynamo.js';

const PUBLISHED = 'published';

export function versionKey(n: number): string {
  return `v${String(n).padStart(6, '0')}`;
}

export class TemplateStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
  ) {}

  /** The published version of a journey's template, or undefined. */
  async published(journey: Journey): Promise<TemplateVersion | undefined> {
    const pointer = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { journey, version: PUBLISHED } }),
    );
    const version = pointer.Item?.current as string | undefined;
    return version ? this.get(journey, version) : undefined;
  }

  async get(journey: Journey, version: string): Promise<TemplateVersion | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { journey, version } }));
    return out.Item as TemplateVersion | undefined;
  }

  async versions(journey: Journey): Promise<TemplateVersion[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'journey = :j AND begins_with(version, :v)',
        ExpressionAttributeValues: { ':j': journey, ':v': 'v' },
      }),
    );
    return (out.Items ?? []) as TemplateVersion[];
  }

  /** Adds a new immutable version (next number) and returns its key. Concurrent pushes never overwrite. */
  async addVersion(template: Omit<TemplateVersion, 'version'>): Promise<string> {
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
    throw new Error(`Could not add a version of ${template.journey}: too many concurrent pushes`);
  }

  async publish(journey: Journey, version: string, at: string): Promise<void> {
    if (!(await this.get(journey, version))) throw new Error(`No version ${version} of ${journey}`);
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { journey, version: PUBLISHED, current: version, at },
      }),
    );
  }
}
