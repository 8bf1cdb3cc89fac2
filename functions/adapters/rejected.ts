/** Events that failed validation, kept with their reason for a person to read (never silently dropped). */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Doc, scanAll } from './dynamo.js';

export interface RejectedEvent {
  day: string;
  key: string;
  receivedAt: string;
  eventId?: string;
  detailType?: string;
  error: string;
  /** The event as received (truncated to stay well under the item size limit). */
  raw: string;
  expiresAt: number;
}

const KEEP_DAYS = 90;

export class RejectedStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
  ) {}

  async put(input: { receivedAt: Date; event: unknown; error: string }): Promise<RejectedEvent> {
    const e = (input.event ?? {}) as { id?: unknown; 'detail-type'?: unknown };
    const iso = input.receivedAt.toISOString();
    const item: RejectedEvent = {
      day: iso.slice(0, 10),
      key: `${iso}#${typeof e.id === 'string' ? e.id : 'no-id'}`,
      receivedAt: iso,
      ...(typeof e.id === 'string' ? { eventId: e.id } : {}),
      ...(typeof e['detail-type'] === 'string' ? { detailType: e['detail-type'] } : {}),
      error: input.error,
      raw: JSON.stringify(input.event ?? null).slice(0, 100_000),
      expiresAt: Math.floor(input.receivedAt.getTime() / 1000) + KEEP_DAYS * 86_400,
    };
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item }));
    return item;
  }

  async onDay(day: string): Promise<RejectedEvent[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#d = :d',
        ExpressionAttributeNames: { '#d': 'day' },
        ExpressionAttributeValues: { ':d': day },
      }),
    );
    return (out.Items ?? []) as RejectedEvent[];
  }

  /** Every rejected event still kept (reads the whole table: for a person's review, not a hot path). */
  async all(): Promise<RejectedEvent[]> {
    const items = await scanAll<RejectedEvent>(this.doc, this.tableName);
    return items.sort((a, b) => a.key.localeCompare(b.key));
  }
}
