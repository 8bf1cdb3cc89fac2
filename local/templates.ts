/**
 * Seeds the local templates table from template sources on disk (compiled and published as version 1),
 * the way `templates push` would on AWS. Loaded lazily: MJML is heavy and most runs bring no templates.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export async function seedTemplates(input: {
  dir: string;
  endpoint: string;
  tableName: string;
  at: Date;
}): Promise<string[]> {
  const [{ loadTemplates }, { TemplateStore }, { documentClient }] = await Promise.all([
    import('../cli/template-source.js'),
    import('../functions/adapters/templates.js'),
    import('../functions/adapters/dynamo.js'),
  ]);
  const client = new DynamoDBClient({
    endpoint: input.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const store = new TemplateStore(documentClient(client), input.tableName);
    const at = input.at.toISOString();
    const drafts = await loadTemplates(input.dir, at);
    const published: string[] = [];
    for (const draft of drafts) {
      const version = await store.addVersion({ ...draft, author: 'embedded' });
      await store.publish(draft.journey, version, at);
      published.push(`${draft.journey}@${version}`);
    }
    return published;
  } finally {
    client.destroy();
  }
}
