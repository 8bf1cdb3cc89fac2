/**
 * Incentive codes (layout in domain/tables.ts CODES): the shop's pools and the generated codes, which message
 * holds which code, and which were redeemed. DynamoDB without transactions (dynalite has none, and a
 * single-item conditional write is half the cost), so every step is one conditional write and the two items
 * of a claim (the code's and the message's) are written in an order whose crash windows are harmless:
 *
 * Claiming (adapters/code-claims.ts) writes the message's claim record first, then takes the code item
 * only if it is free or already that message's: the code item decides, so two messages never hold one code.
 *
 * Releasing (the message ended without being sent): the claim record is marked `released` first (a later run
 * of M then gets no code), then the code item is given back to the pool (pool codes) or marked released
 * (generated codes: never exported as issued). A crash between the two leaves a released claim whose code
 * item still names M: visible, and `reciprocity codes reclaim` finishes it.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { codeKey } from '../domain/incentives.js';
import type { IssuedCode } from '../domain/model.js';
import type { Journey } from '../domain/names.js';
import { CodeClaims, claimId, codeId, giveBack, readClaim, slot } from './code-claims.js';
import { conditional, type Doc, isConditionFailed, scanAll } from './dynamo.js';

export type CodeSource = 'pool' | 'generated';

/** One code. */
export interface CodeItem {
  /** `code#<CODE>`, upper case. */
  id: string;
  /** As the shop gave it (pool) or as generated. */
  code: string;
  journey: Journey;
  source: CodeSource;
  /** The journey, while the code is free to claim (the byPool index's key); absent once claimed. */
  pool?: string;
  /** Random order inside the pool. */
  slot?: string;
  importedAt?: string;
  /** The message holding it. */
  messageId?: string;
  claimedAt?: string;
  /** The terms it went out with. */
  issued?: IssuedCode;
  /** A generated code whose message was not sent (never exported as issued). */
  releasedAt?: string;
  redeemedAt?: string;
  /** The order that redeemed it. */
  redeemedOrder?: string;
  /** When a pool code last came back from a message that was not sent. */
  returnedAt?: string;
  /** Epoch seconds: the item expires (TTL) a year after the code. */
  purgeAt?: number;
}

/** Which code a message holds (or tries to). */
export interface ClaimItem {
  /** `claim#<messageId>`. */
  id: string;
  messageId: string;
  journey: Journey;
  source: CodeSource;
  /** The key of the code item (upper case). */
  codeId: string;
  state: 'pending' | 'claimed' | 'released';
  issued: IssuedCode;
  at: string;
  releasedAt?: string;
  purgeAt?: number;
}

export type ClaimOutcome =
  | { status: 'claimed'; issued: IssuedCode }
  /** The message was released before (it ended unsent): it gets no code again. */
  | { status: 'released' }
  /** No free code in the journey's pool. */
  | { status: 'empty' };

export type RedeemOutcome =
  | { status: 'redeemed'; item: CodeItem; again: boolean }
  | { status: 'unknown' }
  /** A pool code nobody holds, or a generated code whose message was not sent. */
  | { status: 'not_issued'; item: CodeItem }
  | { status: 'already_redeemed'; item: CodeItem };

const IMPORT_CONCURRENCY = 16;

export class CodeStore {
  private readonly claimer: CodeClaims;

  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
  ) {
    this.claimer = new CodeClaims(doc, tableName);
  }

  /**
   * Adds a shop's codes to a journey's pool, each once: a code already stored (in any pool, claimed or not)
   * is left exactly as it is and counted as a duplicate. One conditional put per code, not a BatchWrite: a
   * batch put cannot be conditional, and overwriting a claimed code would hand it out a second time.
   */
  async importPool(
    journey: Journey,
    codes: readonly string[],
    at: string,
  ): Promise<{ added: number; duplicates: string[] }> {
    const unique = [...new Map(codes.map((c) => [codeKey(c), c.trim()])).values()];
    const duplicates: string[] = [];
    let added = 0;
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const code = unique[next++]!;
        const item: CodeItem = {
          id: codeId(code),
          code,
          journey,
          source: 'pool',
          pool: journey,
          slot: slot(),
          importedAt: at,
        };
        const put = new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(id)',
        });
        if (await conditional(this.doc, put)) added++;
        else duplicates.push(code);
      }
    };
    await Promise.all(Array.from({ length: Math.min(IMPORT_CONCURRENCY, unique.length) }, worker));
    return { added, duplicates: duplicates.sort() };
  }

  /**
   * A free code of the journey's pool for the message, exactly once (see the file's comment): the same code
   * for every run of the message, never a code another message holds. `issue` gives the terms of a code
   * (called when the message first picks one; a retry keeps the first terms).
   */
  async claimFromPool(
    journey: Journey,
    messageId: string,
    issue: (code: string) => IssuedCode,
    at: string,
  ): Promise<ClaimOutcome> {
    return this.claimer.claimFromPool(journey, messageId, issue, at);
  }

  /**
   * The generated code for a message (`codeFor(attempt)`, deterministic: a retry derives the same one),
   * stored so it can be looked up and exported. A code another message already holds (a collision, or a pool
   * code of the same text) makes the next attempt's code.
   */
  async issueGenerated(
    journey: Journey,
    messageId: string,
    codeFor: (attempt: number) => string,
    issue: (code: string) => IssuedCode,
    at: string,
  ): Promise<ClaimOutcome> {
    return this.claimer.issueGenerated(journey, messageId, codeFor, issue, at);
  }

  /**
   * Gives a message's code back (it ended without being sent): the claim is marked released (a later run of
   * the message gets no code), then a pool code returns to its pool and a generated one is marked released.
   * Idempotent; undefined when the message held no code.
   */
  async release(messageId: string, at: string): Promise<{ code: string; source: CodeSource } | undefined> {
    let claim: ClaimItem;
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: claimId(messageId) },
          UpdateExpression: 'SET #state = :released, releasedAt = if_not_exists(releasedAt, :at)',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':released': 'released', ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      claim = out.Attributes as ClaimItem;
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
    if (claim.source === 'pool') await this.giveBack(claim.codeId, messageId, at);
    else
      await conditional(
        this.doc,
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: claim.codeId },
          UpdateExpression: 'SET releasedAt = if_not_exists(releasedAt, :at)',
          ConditionExpression: 'messageId = :m',
          ExpressionAttributeValues: { ':m': messageId, ':at': at },
        }),
      );
    return { code: claim.issued.code, source: claim.source };
  }

  /** A code as stored (any case), for redemption. */
  async get(code: string): Promise<CodeItem | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { id: codeId(code) }, ConsistentRead: true }),
    );
    return out.Item as CodeItem | undefined;
  }

  /** Which code a message holds or tries to (consistent read). */
  async claimOf(messageId: string): Promise<ClaimItem | undefined> {
    return readClaim(this.doc, this.tableName, messageId);
  }

  /**
   * Marks an issued code redeemed by `orderId`, once: the same order again (a retried or redelivered
   * order.placed) answers `again: true`, another order `already_redeemed`.
   */
  async redeem(code: string, orderId: string, at: string): Promise<RedeemOutcome> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: codeId(code) },
          UpdateExpression: 'SET redeemedAt = if_not_exists(redeemedAt, :at), redeemedOrder = :o',
          ConditionExpression:
            'attribute_exists(messageId) AND attribute_not_exists(releasedAt) AND (attribute_not_exists(redeemedOrder) OR redeemedOrder = :o)',
          ExpressionAttributeValues: { ':at': at, ':o': orderId },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const before = out.Attributes as CodeItem;
      return {
        status: 'redeemed',
        item: { ...before, redeemedAt: before.redeemedAt ?? at, redeemedOrder: orderId },
        again: before.redeemedOrder === orderId,
      };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    const item = await this.get(code);
    if (!item) return { status: 'unknown' };
    if (item.redeemedOrder !== undefined) return { status: 'already_redeemed', item };
    return { status: 'not_issued', item };
  }

  /** Every code (exports and checks only: reads the whole table). */
  async codes(): Promise<CodeItem[]> {
    return (await scanAll<CodeItem>(this.doc, this.tableName)).filter((i) => i.id.startsWith('code#'));
  }

  /** Every claim (the reclaim check only: reads the whole table). */
  async claims(): Promise<ClaimItem[]> {
    return (await scanAll<ClaimItem>(this.doc, this.tableName)).filter((i) => i.id.startsWith('claim#'));
  }

  /** Puts a code a message held back into its pool (only if that message still holds it). */
  async giveBack(id: string, messageId: string, at: string): Promise<boolean> {
    return giveBack(this.doc, this.tableName, id, messageId, at);
  }
}
