/** Retention on AWS: DynamoDB TTL is on for the tables whose items expire (config `retention`). */
import { describe, expect, it } from 'vitest';
import { defaultStack, logicalIdOf } from './helpers.js';

describe('Retention: DynamoDB TTL', () => {
  const { stack, template } = defaultStack();
  const ttlOf = (table: Parameters<typeof logicalIdOf>[0]) =>
    template.toJSON().Resources[logicalIdOf(table)].Properties.TimeToLiveSpecification;

  it.each([
    ['messages', () => stack.data.messages],
    ['carts', () => stack.data.carts],
    ['stats', () => stack.data.stats],
  ])('expires the %s table by expiresAt', (_name, table) => {
    expect(ttlOf(table())).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('keeps profiles (kept while the customer is one) and templates without TTL', () => {
    expect(ttlOf(stack.data.profiles)).toBeUndefined();
    expect(ttlOf(stack.data.templates)).toBeUndefined();
  });
});
