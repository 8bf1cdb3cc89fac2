/**
 * How a message gets its incentive code, exactly once, with single-item conditional writes only (no
 * transactions: dynalite has none, and each costs twice a plain write). Used by adapters/codes.ts.
 *
 * Claiming a pool code for message M:
 * 1. The claim record `claim#M` is the message's intent: the code it is trying, with the terms it will carry
 *    (written once, `attribute_not_exists`: a retry or a duplicate run of M reads and follows it).
 * 2. The code item is taken with `messageId = M` only if it is free or already M's: the code item is the
 *    arbiter, so two messages can never hold one code.
 * 3. The claim record is confirmed (`claimed`), only if it still names that code.
 * - Crash after 1: the retry reads the intent and goes on with 2; if the code went to another message
 *   meanwhile, the intent moves (compare-and-set on its code) to another free code.
 * - Crash after 2: the retry finds the code already M's (2 passes again) and confirms.
 * - A code taken but whose intent moved on (a duplicate run of M moved it while this run was taking it) fails
 *   the confirmation and is given back at once; were that give-back lost, the code item still names M (never
 *   handed to a second message) and `reciprocity codes reclaim` returns it.
 *
 * Generated codes: the code item is written first (`messageId = M`, only if new or already M's; the code is
 * derived from M, so a retry derives the same one), then the claim record. A crash between the two leaves a
 * code item naming M, which the retry finds and completes.
 */
import { randomBytes } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../domain/errors.js';
import { codeKey } from '../domain/incentives.js';
import type { IssuedCode } from '../domain/model.js';
import type { Journey } from '../domain/names.js';
import type { ClaimItem, ClaimOutcome, CodeItem } from './codes.js';
import { conditional, type Doc, isConditionFailed } from './dynamo.js';

/** The item key of a code (upper case) and of a message's claim. */
export const codeId = (code: string) => `code#${codeKey(code)}`;
export const claimId = (messageId: string) => `claim#${messageId}`;
/** A random place in a pool's order. */
export const slot = () => randomBytes(8).toString('hex');
/** Free codes read per query: enough to get past the few that concurrent claims just took. */
const CANDIDATES = 10;
/** Rounds of "take a code, lost it to another message": beyond this, the pool is too contended; retried. */
const CLAIM_ROUNDS = 8;
/** Generated codes tried per message before giving up (each a collision with a code already held). */
const GENERATED_ATTEMPTS = 4;
const YEAR_S = 365 * 86_400;

/** Epoch seconds when a claimed code and its claim may go: a year after the code expires. */
export function purgeAt(issued: IssuedCode): number {
  return Math.floor(Date.parse(issued.expiresAt) / 1000) + YEAR_S;
}

/** Which code a message holds or tries to (consistent read). */
export async function readClaim(
  doc: Doc,
  tableName: string,
  messageId: string,
): Promise<ClaimItem | undefined> {
  const out = await doc.send(
    new GetCommand({ TableName: tableName, Key: { id: claimId(messageId) }, ConsistentRead: true }),
  );
  return out.Item as ClaimItem | undefined;
}

/** Puts a pool code a message held back into its pool (only if that message still holds it). */
export async function giveBack(
  doc: Doc,
  tableName: string,
  id: string,
  messageId: string,
  at: string,
): Promise<boolean> {
  return conditional(
    doc,
    new UpdateCommand({
      TableName: tableName,
      Key: { id },
      UpdateExpression:
        'SET #pool = journey, slot = :slot, returnedAt = :at REMOVE messageId, claimedAt, issued, purgeAt',
      ConditionExpression: 'messageId = :m AND #source = :pool',
      ExpressionAttributeNames: { '#source': 'source', '#pool': 'pool' },
      ExpressionAttributeValues: { ':m': messageId, ':slot': slot(), ':at': at, ':pool': 'pool' },
    }),
  );
}

export class CodeClaims {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
  ) {}

  private claimOf(messageId: string): Promise<ClaimItem | undefined> {
    return readClaim(this.doc, this.tableName, messageId);
  }

  private giveBack(id: string, messageId: string, at: string): Promise<boolean> {
    return giveBack(this.doc, this.tableName, id, messageId, at);
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
    const tried = new Set<string>();
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      let claim = await this.claimOf(messageId);
      if (claim?.state === 'released') return { status: 'released' };
      if (claim?.state === 'claimed') return { status: 'claimed', issued: claim.issued };
      if (!claim) {
        const candidate = await this.freeCode(journey, tried);
        if (!candidate) return { status: 'empty' };
        const intent: ClaimItem = {
          id: claimId(messageId),
          messageId,
          journey,
          source: 'pool',
          codeId: candidate.id,
          state: 'pending',
          issued: issue(candidate.code),
          at,
        };
        const wrote = await conditional(
          this.doc,
          new PutCommand({
            TableName: this.tableName,
            Item: intent,
            ConditionExpression: 'attribute_not_exists(id)',
          }),
        );
        // Another run of this message wrote its intent first: follow that one.
        if (!wrote) continue;
        claim = intent;
      }
      if (await this.take(claim, at)) {
        if (await this.confirm(claim)) return { status: 'claimed', issued: claim.issued };
        // The intent moved on while this run took the code: give it back, follow the intent.
        await this.giveBack(claim.codeId, messageId, at);
        continue;
      }
      // Another message holds the code the intent names: move the intent to another free code.
      tried.add(claim.codeId);
      const other = await this.freeCode(journey, tried);
      // No other free code: the pool is empty, unless a twin run moved the intent meanwhile (follow it then,
      // so both runs of the message say the same).
      if (!other) {
        if (await this.dropIntent(claim)) return { status: 'empty' };
        continue;
      }
      await this.moveIntent(claim, other, issue);
    }
    throw new TransientError(`Could not claim a code of the ${journey} pool in ${CLAIM_ROUNDS} rounds`);
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
    const existing = await this.claimOf(messageId);
    if (existing?.state === 'released') return { status: 'released' };
    if (existing?.state === 'claimed') return { status: 'claimed', issued: existing.issued };
    for (let attempt = 0; attempt < GENERATED_ATTEMPTS; attempt++) {
      const code = codeFor(attempt);
      const fresh = issue(code);
      let item: CodeItem;
      try {
        const out = await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { id: codeId(code) },
            // The first run's terms stay: a retry a minute later must not move the expiry.
            UpdateExpression:
              'SET code = :code, journey = :j, #source = :generated, messageId = :m, claimedAt = if_not_exists(claimedAt, :at), issued = if_not_exists(issued, :issued), purgeAt = if_not_exists(purgeAt, :purge)',
            ConditionExpression: 'attribute_not_exists(id) OR messageId = :m',
            ExpressionAttributeNames: { '#source': 'source' },
            ExpressionAttributeValues: {
              ':code': code,
              ':j': journey,
              ':generated': 'generated',
              ':m': messageId,
              ':at': at,
              ':issued': fresh,
              ':purge': purgeAt(fresh),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        item = out.Attributes as CodeItem;
      } catch (error) {
        if (isConditionFailed(error)) continue;
        throw error;
      }
      const issued = item.issued ?? fresh;
      const claim: ClaimItem = {
        id: claimId(messageId),
        messageId,
        journey,
        source: 'generated',
        codeId: item.id,
        state: 'claimed',
        issued,
        at,
        purgeAt: purgeAt(issued),
      };
      const wrote = await conditional(
        this.doc,
        new PutCommand({
          TableName: this.tableName,
          Item: claim,
          ConditionExpression: 'attribute_not_exists(id) OR (codeId = :c AND #state <> :released)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':c': item.id, ':released': 'released' },
        }),
      );
      if (wrote) return { status: 'claimed', issued };
      // Released meanwhile (the message ended unsent), or a racing run settled on another attempt's code.
      const now = await this.claimOf(messageId);
      if (now?.state === 'released') return { status: 'released' };
      if (now) return { status: 'claimed', issued: now.issued };
    }
    throw new TransientError(`${GENERATED_ATTEMPTS} generated codes of message ${messageId} were all taken`);
  }

  /**
   * A free code of the pool, not among `tried`: from a random point of the pool's order (so concurrent
   * claims start at different codes), else from its start. The index is eventually consistent: a code just
   * taken may still be listed, and taking it then fails, which the caller handles.
   */
  private async freeCode(
    journey: Journey,
    tried: ReadonlySet<string>,
  ): Promise<{ id: string; code: string } | undefined> {
    for (const from of [slot(), undefined]) {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byPool',
          KeyConditionExpression: `#pool = :j${from ? ' AND slot >= :from' : ''}`,
          ExpressionAttributeNames: { '#pool': 'pool' },
          ExpressionAttributeValues: { ':j': journey, ...(from ? { ':from': from } : {}) },
          Limit: CANDIDATES + tried.size,
        }),
      );
      const free = (out.Items ?? []).map((i) => i.id as string).find((id) => !tried.has(id));
      if (free) {
        const item = await this.doc.send(
          new GetCommand({ TableName: this.tableName, Key: { id: free }, ConsistentRead: true }),
        );
        const code = item.Item as CodeItem | undefined;
        if (code && code.pool === journey && code.messageId === undefined)
          return { id: code.id, code: code.code };
        // Taken meanwhile: look again without it.
        return this.freeCode(journey, new Set([...tried, free]));
      }
    }
    return undefined;
  }

  /** Step 2: the code becomes the message's, if it is free or already its. */
  private async take(claim: ClaimItem, at: string): Promise<boolean> {
    return conditional(
      this.doc,
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id: claim.codeId },
        UpdateExpression:
          'SET messageId = :m, claimedAt = if_not_exists(claimedAt, :at), issued = :issued, purgeAt = :purge REMOVE #pool, slot, returnedAt',
        ExpressionAttributeNames: { '#pool': 'pool' },
        ConditionExpression: 'attribute_exists(id) AND (attribute_not_exists(messageId) OR messageId = :m)',
        ExpressionAttributeValues: {
          ':m': claim.messageId,
          ':at': at,
          ':issued': claim.issued,
          ':purge': purgeAt(claim.issued),
        },
      }),
    );
  }

  /** Step 3: the intent still names the code just taken. */
  private async confirm(claim: ClaimItem): Promise<boolean> {
    return conditional(
      this.doc,
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id: claim.id },
        UpdateExpression: 'SET #state = :claimed, purgeAt = :purge',
        ConditionExpression: 'codeId = :c AND #state IN (:pending, :claimed)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':c': claim.codeId,
          ':claimed': 'claimed',
          ':pending': 'pending',
          ':purge': purgeAt(claim.issued),
        },
      }),
    );
  }

  /** Points a pending intent at another code (only if it still names the one that was lost). */
  private async moveIntent(
    claim: ClaimItem,
    to: { id: string; code: string },
    issue: (code: string) => IssuedCode,
  ): Promise<void> {
    // The terms stay the first ones (the expiry was set when the message first chose a code).
    const issued = { ...issue(to.code), expiresAt: claim.issued.expiresAt };
    await conditional(
      this.doc,
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id: claim.id },
        UpdateExpression: 'SET codeId = :to, issued = :issued',
        ConditionExpression: 'codeId = :from AND #state = :pending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':to': to.id,
          ':from': claim.codeId,
          ':issued': issued,
          ':pending': 'pending',
        },
      }),
    );
  }

  /** A pending intent whose code was lost while the pool has no other: gone, so a later run may try again. */
  private async dropIntent(claim: ClaimItem): Promise<boolean> {
    return conditional(
      this.doc,
      new DeleteCommand({
        TableName: this.tableName,
        Key: { id: claim.id },
        ConditionExpression: 'codeId = :c AND #state = :pending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':c': claim.codeId, ':pending': 'pending' },
      }),
    );
  }
}
