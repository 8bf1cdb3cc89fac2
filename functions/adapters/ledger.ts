/**
 * The message ledger. Every decision about a message is one item keyed by the message id derived from its
 * trigger; single-item conditional writes make duplicates and retries harmless:
 * - a send claims the item first (only a new, deferred or throttled message can be claimed);
 * - a skip, deferral, cancel or failure never overwrites a sent message.
 * The write that creates an entry also sets its expiry (`expiresAt`, epoch seconds, the table's TTL): its
 * createdAt plus retention.messagesDays; later writes keep it.
 */
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerDecision, LedgerEntry, LedgerStep } from '../domain/ledger.js';
import { IllegalTransitionError, TRANSITIONS } from '../domain/ledger.js';
import { erasedEntry } from '../domain/preferences.js';
import { expiresAt } from '../domain/retention.js';
import { decisionStats } from '../domain/stats.js';
import { type Doc, isConditionFailed, queryAll, scanAll, writeMapKey } from './dynamo.js';
import type { StatsStore } from './stats.js';

type Base = Pick<LedgerEntry, 'messageId' | 'customerId' | 'journey' | 'triggerKey'>;
type Extra = Partial<Omit<LedgerEntry, keyof Base | 'decision' | 'createdAt' | 'updatedAt'>>;

/** Attributes that tie an entry to a person; erasure removes them and keeps decisions and times. */
const PERSONAL_ATTRIBUTES = [
  'customerId',
  'consent',
  'recommendations',
  'sesMessageId',
  'detail',
  'deferredUntil',
];
const ANONYMIZE_ATTEMPTS = 5;

export class LedgerStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
    /** Where final decisions are counted (domain/stats.ts); absent: a reader that never decides. */
    private readonly stats?: () => StatsStore,
    /** Days an entry is kept after it was created (retention.messagesDays); absent: no expiry is written. */
    private readonly keepDays?: number,
  ) {}

  /**
   * Counts a decision just written. After the ledger write, so a retry that finds the decision made counts
   * nothing again; a crash between the two writes leaves the counters one short, never one over (the ledger
   * is the record, and a run's report can be checked against it).
   */
  private async count(
    base: Base,
    decision: LedgerDecision,
    at: string,
    extra: Extra,
    previous: LedgerEntry | undefined,
  ): Promise<void> {
    const counted = decisionStats(previous, {
      journey: base.journey,
      decision,
      at,
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.variant ? { variant: extra.variant } : {}),
      ...(extra.templateVersion ? { templateVersion: extra.templateVersion } : {}),
    });
    if (counted && this.stats) await this.stats().add(counted.key, counted.counts);
  }

  async get(messageId: string): Promise<LedgerEntry | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { messageId } }));
    return out.Item as LedgerEntry | undefined;
  }

  /**
   * Writes `decision` if the transition table (domain/ledger.ts) allows it over the current decision: one
   * conditional write. `claim` is the writer's claim token: a `sending` write stores it (with claimedAt), and
   * a write allowed only to the claim's holder checks it. Returns false when the table forbids the write (a
   * duplicate, a late retry, or someone else's claim): the caller must not act again.
   */
  async decide(
    base: Base,
    decision: LedgerDecision,
    at: string,
    extra: Extra = {},
    options: {
      claim?: string;
      /** The write must happen (a claim holder recording its outcome): a refusal is an IllegalTransitionError. */
      required?: boolean;
    } = {},
  ): Promise<boolean> {
    const names: Record<string, string> = { '#d': 'decision', '#events': 'events' };
    const step: LedgerStep = { decision, at, ...(extra.reason ? { reason: extra.reason } : {}) };
    const values: Record<string, unknown> = {
      ':d': decision,
      ':at': at,
      ':step': [step],
      ':none': [],
      ':noEvents': {},
    };
    // The history keeps every decision (deferred, then sent), for the ledger export and "why you got this".
    const sets = [
      '#d = :d',
      'updatedAt = :at',
      'createdAt = if_not_exists(createdAt, :at)',
      'history = list_append(if_not_exists(history, :none), :step)',
      '#events = if_not_exists(#events, :noEvents)',
    ];
    if (this.keepDays !== undefined) {
      values[':expiresAt'] = expiresAt(at, this.keepDays);
      sets.push('expiresAt = if_not_exists(expiresAt, :expiresAt)');
    }
    const fields: Record<string, unknown> = {
      customerId: base.customerId,
      journey: base.journey,
      triggerKey: base.triggerKey,
      ...extra,
      ...(decision === 'sending' ? { claim: options.claim, claimedAt: at } : {}),
    };
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      names[`#${key}`] = key;
      values[`:${key}`] = value;
      sets.push(`#${key} = :${key}`);
    }
    const rule = TRANSITIONS[decision];
    const conditions: string[] = [];
    if (rule.from.includes('new')) conditions.push('attribute_not_exists(messageId)');
    const list = (prefix: string, decisions: readonly string[]) =>
      decisions.map((d, i) => {
        values[`:${prefix}${i}`] = d;
        return `:${prefix}${i}`;
      });
    const from = rule.from.filter((d) => d !== 'new');
    if (from.length) conditions.push(`#d IN (${list('from', from).join(', ')})`);
    if (rule.fromOwnClaim?.length && options.claim !== undefined) {
      names['#claim'] = 'claim';
      values[':claimToken'] = options.claim;
      conditions.push(`(#d IN (${list('own', rule.fromOwnClaim).join(', ')}) AND #claim = :claimToken)`);
    }
    if (conditions.length === 0) return false;
    let previous: LedgerEntry | undefined;
    let written = true;
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { messageId: base.messageId },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: conditions.join(' OR '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          // The entry as it was: what the stats need to count this decision (no extra read, no extra cost).
          ReturnValues: 'ALL_OLD',
        }),
      );
      previous = out.Attributes as LedgerEntry | undefined;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      written = false;
    }
    if (written && this.stats) await this.count(base, decision, at, extra, previous);
    if (!written && options.required)
      throw new IllegalTransitionError(
        'sending',
        decision,
        `Message ${base.messageId} could not become "${decision}": its claim is no longer held by this attempt`,
      );
    return written;
  }

  /**
   * Adds a delivery event (delivered, opened, bounced, ...) with its time; the first time of each kind wins.
   * One write: every entry gets its (empty) `events` map with its first decision. Entries written before
   * that (or without it) get the map first, then the event.
   */
  async addEvent(messageId: string, kind: string, at: string): Promise<boolean> {
    return writeMapKey(this.doc, {
      tableName: this.tableName,
      key: { messageId },
      map: 'events',
      update: {
        expression: 'SET #map.#k = if_not_exists(#map.#k, :at), updatedAt = :at',
        names: { '#k': kind },
        values: { ':at': at },
      },
    });
  }

  /**
   * Sets several delivery events at once, each only if absent, and says which of them this write set first,
   * with the entry as it was: one write (ReturnValues ALL_OLD), so two writers racing on one message never
   * both count the same outcome. An entry without its `events` map gets it first; no entry: nothing.
   */
  async addEventsOnce(
    messageId: string,
    kinds: readonly string[],
    at: string,
  ): Promise<{ first: Set<string>; entry: LedgerEntry | undefined }> {
    if (kinds.length === 0) return { first: new Set(), entry: undefined };
    const names: Record<string, string> = { '#events': 'events' };
    const sets = kinds.map((kind, i) => {
      names[`#k${i}`] = kind;
      return `#events.#k${i} = if_not_exists(#events.#k${i}, :at)`;
    });
    const write = () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { messageId },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(#events)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_OLD',
        }),
      );
    let out: Awaited<ReturnType<typeof write>>;
    try {
      out = await write();
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      // No map yet (an entry written before every entry had one), or no entry: create the map, then again.
      const created = await writeMapKey(this.doc, {
        tableName: this.tableName,
        key: { messageId },
        map: 'events',
        update: {
          expression: 'SET updatedAt = if_not_exists(updatedAt, :at)',
          names: {},
          values: { ':at': at },
        },
      });
      if (!created) return { first: new Set(), entry: undefined };
      out = await write();
    }
    const entry = out.Attributes as LedgerEntry | undefined;
    const before = entry?.events ?? {};
    return { first: new Set(kinds.filter((kind) => before[kind] === undefined)), entry };
  }

  /** A customer's messages, newest first, at most `limit`; with `since` (ISO), only those created since. */
  async byCustomer(customerId: string, limit = 50, since?: string): Promise<LedgerEntry[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byCustomer',
        KeyConditionExpression: `customerId = :c${since ? ' AND createdAt >= :since' : ''}`,
        ExpressionAttributeValues: { ':c': customerId, ...(since ? { ':since': since } : {}) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return this.hydrate((out.Items ?? []).map((i) => i.messageId as string));
  }

  /** Full entries for message ids (the customer index holds keys only), in the order given. */
  private async hydrate(ids: readonly string[]): Promise<LedgerEntry[]> {
    const found = new Map<string, LedgerEntry>();
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = ids
        .slice(i, i + 100)
        .map((messageId) => ({ messageId }));
      for (let attempt = 0; keys?.length && attempt < 5; attempt++) {
        const res = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
        );
        for (const item of res.Responses?.[this.tableName] ?? [])
          found.set(item.messageId as string, item as LedgerEntry);
        keys = res.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return ids.map((id) => found.get(id)).filter((e): e is LedgerEntry => Boolean(e));
  }

  /** Every entry: for exports and run reports (reads the whole table; not for a per-message path). */
  async all(): Promise<LedgerEntry[]> {
    return scanAll<LedgerEntry>(this.doc, this.tableName);
  }

  /** Every message of a customer, oldest first (for export and erasure: no page limit). */
  async allByCustomer(customerId: string): Promise<LedgerEntry[]> {
    const keys = await queryAll<{ messageId: string }>(this.doc, {
      TableName: this.tableName,
      IndexName: 'byCustomer',
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
    });
    return this.hydrate(keys.map((k) => k.messageId));
  }

  /**
   * Erasure of one entry: removes what ties it to the customer (customerId, consent, recommendations, SES id,
   * free-text details) and rewrites the rest as erasedEntry says (scrubbed reasons, an anonymous trigger key,
   * open entries closed as cancelled/erased). Conditional on the entry being unchanged since it was read and
   * still the customer's; read again and retried if a run changed it meanwhile.
   */
  async anonymize(customerId: string, messageId: string, at: string): Promise<boolean> {
    for (let attempt = 0; attempt < ANONYMIZE_ATTEMPTS; attempt++) {
      const entry = await this.get(messageId);
      if (!entry || entry.customerId !== customerId) return false;
      const erased = erasedEntry(entry, at);
      const names: Record<string, string> = {
        '#d': 'decision',
        '#r': 'reason',
        '#h': 'history',
        '#tk': 'triggerKey',
        '#c': 'customerId',
        '#u': 'updatedAt',
      };
      const values: Record<string, unknown> = {
        ':c': customerId,
        ':seen': entry.updatedAt,
        ':d': erased.decision,
        ':h': erased.history ?? [],
        ':tk': erased.triggerKey,
        ':at': at,
      };
      const sets = ['#d = :d', '#h = :h', '#tk = :tk', 'erasedAt = :at', '#u = :at'];
      const removes = PERSONAL_ATTRIBUTES.map((attribute, i) => {
        names[`#p${i}`] = attribute;
        return `#p${i}`;
      });
      if (erased.reason) {
        values[':r'] = erased.reason;
        sets.push('#r = :r');
      } else removes.push('#r');
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { messageId },
            UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
            ConditionExpression: '#c = :c AND #u = :seen',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        // An open message the erasure closed (deferred -> cancelled) is a final decision like any other.
        if (erased.decision !== entry.decision)
          await this.count(
            { messageId, customerId, journey: entry.journey, triggerKey: erased.triggerKey },
            erased.decision,
            at,
            erased.reason ? { reason: erased.reason } : {},
            entry,
          );
        return true;
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    }
    throw new LedgerRaceError(`Entry ${messageId} kept changing while it was being erased`);
  }

  /**
   * Writes a closed, anonymous entry for a message that has not run yet (a cart reminder still scheduled),
   * unless the message already has an entry. When its schedule fires after an erasure, no decision can
   * follow this one, so the run records nothing about the customer.
   */
  async tombstone(messageId: string, journey: LedgerEntry['journey'], at: string): Promise<boolean> {
    const step: LedgerStep = { decision: 'cancelled', at, reason: 'erased' };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            messageId,
            journey,
            triggerKey: `${journey}:erased`,
            decision: 'cancelled',
            reason: 'erased',
            createdAt: at,
            updatedAt: at,
            erasedAt: at,
            history: [step],
            ...(this.keepDays !== undefined ? { expiresAt: expiresAt(at, this.keepDays) } : {}),
          },
          ConditionExpression: 'attribute_not_exists(messageId)',
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
    await this.count(
      { messageId, customerId: '-', journey, triggerKey: `${journey}:erased` },
      'cancelled',
      at,
      { reason: 'erased' },
      undefined,
    );
    return true;
  }
}

/** An entry changed under an erasure too many times in a row; the erasure as a whole can be retried. */
export class LedgerRaceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerRaceError';
  }
}
