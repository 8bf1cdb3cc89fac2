/**
 * The stats table: outcome counters per journey x variant x template version x day (domain/stats.ts), kept
 * with one single-item ADD per event, however many counters it moves. Read whole only by reports (a small
 * table: a row per journey, variant, version and day), never on a message's path. The same ADD sets the row's
 * expiry on its first write (`expiresAt`, epoch seconds, the table's TTL): its day plus retention.statsDays.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expiresAt } from '../domain/retention.js';
import { type Counts, type StatsKey, type StatsRow, statsId } from '../domain/stats.js';
import { type Doc, scanAll } from './dynamo.js';

/** Attributes of a stats item that are not counters. */
const KEY_FIELDS = new Set(['id', 'journey', 'variant', 'version', 'day', 'expiresAt']);

/** Told of every count added (e.g. to publish it as a metric too). */
export type CountListener = (key: StatsKey, counts: Counts) => void;

export class StatsStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
    private readonly listener?: CountListener,
    /** Days a row is kept after its day (retention.statsDays); absent: no expiry is written (a reader). */
    private readonly keepDays?: number,
  ) {}

  /** Adds the counters (zeros are left out; none left: no write) to the row of `key`. */
  async add(key: StatsKey, counts: Counts): Promise<void> {
    const entries = Object.entries(counts).filter(([, v]) => v !== 0 && Number.isFinite(v));
    if (entries.length === 0) return;
    const names: Record<string, string> = {
      '#j': 'journey',
      '#v': 'variant',
      '#ver': 'version',
      '#day': 'day',
    };
    const values: Record<string, unknown> = {
      ':j': key.journey,
      ':v': key.variant,
      ':ver': key.version,
      ':day': key.day,
    };
    const adds = entries.map(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      return `#c${i} :c${i}`;
    });
    const sets = ['#j = :j', '#v = :v', '#ver = :ver', '#day = :day'];
    if (this.keepDays !== undefined) {
      names['#exp'] = 'expiresAt';
      values[':exp'] = expiresAt(key.day, this.keepDays);
      sets.push('#exp = if_not_exists(#exp, :exp)');
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id: statsId(key) },
        UpdateExpression: `ADD ${adds.join(', ')} SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    this.listener?.(key, Object.fromEntries(entries));
  }

  /** Every row (reports only: reads the whole table). */
  async all(): Promise<StatsRow[]> {
    const items = await scanAll<Record<string, unknown>>(this.doc, this.tableName);
    return items.map(statsRowOf).sort((a, b) => statsId(a).localeCompare(statsId(b)));
  }
}

/** A stored item as a row: every numeric attribute but the key fields is a counter. */
export function statsRowOf(item: Record<string, unknown>): StatsRow {
  const counts: Counts = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_FIELDS.has(k) && typeof v === 'number') counts[k] = v;
  return {
    journey: item.journey as StatsRow['journey'],
    variant: String(item.variant),
    version: String(item.version),
    day: String(item.day),
    counts,
  };
}
