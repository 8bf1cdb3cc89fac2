/** The patch a preference-center field change writes: pure, no mocks. */
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../functions/domain/model.js';
import { fieldChangePatch } from '../../functions/domain/preferences.js';

const AT = '2027-01-31T10:00:00.000Z';
const PROFILE: Profile = {
  customerId: 'C-1',
  email: 'ada@example.com',
  attributes: { tier: 'gold', size: 38 },
};

describe('Function: fieldChangePatch', () => {
  it('rewrites the attributes without the removed one, keeping the others', () => {
    expect(fieldChangePatch({ kind: 'removeAttribute', key: 'tier' }, PROFILE, AT)).toEqual({
      attributes: { size: 38 },
      updatedAt: AT,
    });
    expect(PROFILE.attributes).toEqual({ tier: 'gold', size: 38 });
  });

  it('removes the attributes map with its last entry', () => {
    const one: Profile = { ...PROFILE, attributes: { tier: 'gold' } };
    expect(fieldChangePatch({ kind: 'removeAttribute', key: 'tier' }, one, AT)).toEqual({
      attributes: null,
      updatedAt: AT,
    });
  });

  it('writes a field patch as the form gave it', () => {
    const patch = { firstName: 'Ada', updatedAt: AT };
    expect(fieldChangePatch({ kind: 'patch', field: 'firstName', patch }, PROFILE, AT)).toBe(patch);
  });
});
