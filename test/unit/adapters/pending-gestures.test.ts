/**
 * The send that takes a gesture's cap slot settles its pending entry in the same write, and moves the profile
 * version so an intake write computed from an older read cannot put the entry back: local DynamoDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../../functions/adapters/dynamo.js';
import { ProfileStore } from '../../../functions/adapters/profiles.js';
import { type LocalDynamo, startDynamo } from '../../../local/dynamo.js';

let dynamo: LocalDynamo;
let profiles: ProfileStore;

beforeAll(async () => {
  dynamo = await startDynamo('pending-');
  profiles = new ProfileStore(documentClient(dynamo.client), dynamo.tableNames.profiles!);
});
afterAll(async () => {
  await dynamo?.close();
});

const entry = (dueAt: string) => ({
  journey: 'order_followup' as const,
  dueAt,
  until: '2026-12-04T10:00:00.000Z',
});

describe('Class: ProfileStore, pending gestures', () => {
  it('removes the settled entries with the cap reservation, keeps the others, and moves the version', async () => {
    // Prepare: two thank-yous pending, written the way order intake writes (a versioned patch)
    const pending = { 'M-1': entry('2026-12-01T10:00:00.000Z'), 'M-2': entry('2026-12-01T11:00:00.000Z') };
    expect(
      await profiles.patchIfUnchanged(
        'C-1',
        { email: 'c1@example.com', pendingGestures: pending },
        undefined,
      ),
    ).toBe(true);
    const read = await profiles.get('C-1');

    // Act: M-1's send reserves its slot
    const at = '2026-12-01T12:00:00.000Z';
    const reserved = await profiles.replaceRecentSends('C-1', 0, [at], [{ at, kind: 'gesture' }], undefined, [
      'M-1',
    ]);

    // Assess
    expect(reserved).toBe(true);
    const after = await profiles.get('C-1');
    expect(after?.pendingGestures).toEqual({ 'M-2': pending['M-2'] });
    expect(after?.recentSends).toEqual([at]);
    // An intake write computed from the read before the send (which still had M-1) loses and reads again.
    const stale = { pendingGestures: { ...read?.pendingGestures, 'M-3': entry('2026-12-01T12:00:00.000Z') } };
    expect(await profiles.patchIfUnchanged('C-1', stale, read)).toBe(false);
  });

  it('leaves the version alone when the send settles no gesture (an ask)', async () => {
    await profiles.patchIfUnchanged('C-2', { email: 'c2@example.com' }, undefined);
    const read = await profiles.get('C-2');
    const at = '2026-12-01T12:00:00.000Z';
    expect(await profiles.replaceRecentSends('C-2', 0, [at], [{ at, kind: 'ask' }])).toBe(true);
    expect(await profiles.patchIfUnchanged('C-2', { firstName: 'Ada' }, read)).toBe(true);
  });
});
