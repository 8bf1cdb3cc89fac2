import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSes, startSes } from '../../local/ses.js';
import { mailboxHtml, trackingOf } from '../../local/ses-tracking.js';

const HTML =
  '<html><body><a href="https://shop.example/cart?a=1&amp;b=2">Back to your cart</a> <a ses:no-track href="https://r.example/u/t">Unsubscribe</a></body></html>';

const send = (to: string, tracking?: 'DISABLED') =>
  new SendEmailCommand({
    FromEmailAddress: 'shop@example.com',
    Destination: { ToAddresses: [to] },
    ConfigurationSetName: 'reciprocity',
    ...(tracking
      ? {
          ConfigurationOverrides: {
            Tracking: { OpenTrackingEnabled: tracking, ClickTrackingEnabled: tracking },
          },
        }
      : {}),
    Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Html: { Data: HTML }, Text: { Data: 'Hi' } } } },
  });

describe('Function: trackingOf', () => {
  it('tracks with a configuration set unless the request turns it off, and not without one', () => {
    expect(trackingOf({ ConfigurationSetName: 'cs' })).toEqual({ opens: true, clicks: true });
    expect(
      trackingOf({
        ConfigurationSetName: 'cs',
        ConfigurationOverrides: { Tracking: { OpenTrackingEnabled: 'DISABLED' } },
      }),
    ).toEqual({ opens: false, clicks: true });
    expect(trackingOf({})).toEqual({ opens: false, clicks: false });
    expect(trackingOf({ ConfigurationOverrides: { Tracking: { ClickTrackingEnabled: 'ENABLED' } } })).toEqual(
      {
        opens: false,
        clicks: true,
      },
    );
  });
});

describe('Local SES: open and click tracking as the mailbox receives it', () => {
  let ses: LocalSes;
  let client: SESv2Client;

  beforeAll(async () => {
    ses = await startSes({ clock: () => new Date('2026-03-01T10:00:00Z') });
    client = new SESv2Client({
      endpoint: ses.endpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await ses.close();
  });

  it('adds the pixel and redirects to a tracked email, and neither to one sent with tracking off', async () => {
    // Act
    await client.send(send('tracked@example.com'));
    await client.send(send('private@example.com', 'DISABLED'));
    const [tracked, untracked] = await ses.listEmails();
    // Assess
    expect(tracked!.tracking).toEqual({ opens: true, clicks: true });
    expect(untracked!.tracking).toEqual({ opens: false, clicks: false });
    const delivered = mailboxHtml(tracked!);
    expect(delivered).toContain('awstrack.me/I0/');
    expect(delivered).toContain(
      `href="https://r.eu-central-1.awstrack.me/L0/${encodeURIComponent('https://shop.example/cart?a=1&b=2')}/`,
    );
    // A link marked ses:no-track keeps its own address, as SES leaves it.
    expect(delivered).toContain('href="https://r.example/u/t"');
    const plain = mailboxHtml(untracked!);
    expect(plain).toBe(HTML);
    expect(plain).not.toContain('awstrack');
  });
});
