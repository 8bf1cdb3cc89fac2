import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatRejected, lastDays, rejectedCommand } from '../../cli/rejected.js';

const ddb = mockClient(DynamoDBDocumentClient);

describe('Command: reciprocity rejected', () => {
  afterEach(() => {
    ddb.reset();
    vi.restoreAllMocks();
  });

  it('reads one partition per day and prints each event with its reason', async () => {
    // Prepare
    ddb.on(QueryCommand).resolves({
      Items: [
        {
          day: 'x',
          key: 'k',
          receivedAt: '2026-11-25T10:00:00.000Z',
          eventId: 'e1',
          detailType: 'cart.updated',
          error: 'detail.cartId: Invalid input',
          raw: '{}',
          expiresAt: 1,
        },
      ],
    });
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    process.env.AWS_REGION ??= 'us-east-1';
    // Act
    await rejectedCommand(['--table', 'rejected', '--days', '2']);
    // Assess
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
    expect(log.mock.calls[0]?.[0]).toContain('e1  cart.updated\n  detail.cartId: Invalid input');
  });

  it('explains a missing table flag and bad days', async () => {
    await expect(rejectedCommand([])).rejects.toThrow(/--table is required/);
    await expect(rejectedCommand(['--table', 't', '--days', '0'])).rejects.toThrow(/--days must be 1..90/);
  });

  it('names the last N UTC days and says when there is nothing', () => {
    expect(lastDays(new Date('2026-03-01T05:00:00Z'), 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(formatRejected([])).toBe('No rejected events.');
  });
});
