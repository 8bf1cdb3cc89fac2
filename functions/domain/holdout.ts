/**
 * The per-journey holdout: a fixed, deterministic share of customers gets no message of a journey, so the
 * journey's lift can be measured honestly against customers who were reachable but not sent to.
 */
import { createHash } from 'node:crypto';
import type { Journey } from './names.js';

// 48 bits of the digest: plenty of resolution for a share, and exact in a double.
const BUCKET_BITS = 6;
const BUCKET_RANGE = 2 ** (8 * BUCKET_BITS);

/**
 * A uniform number in [0, 1) fixed for (journey, customer). A hash rather than a random draw, so a deferred or
 * replayed message lands in the same group every time, and no assignment needs to be stored. The journey is
 * part of the key so each journey's holdout is an independent sample (a customer held out of one journey is
 * not held out of all of them, which would make lifts of different journeys correlated).
 */
export function holdoutPosition(journey: Journey, customerId: string): number {
  const digest = createHash('sha256').update(`holdout:${journey}:${customerId}`).digest();
  return digest.readUIntBE(0, BUCKET_BITS) / BUCKET_RANGE;
}

/** Whether the customer is in the journey's holdout group for the given share (0..1). */
export function inHoldout(journey: Journey, customerId: string, share: number): boolean {
  return holdoutPosition(journey, customerId) < share;
}
