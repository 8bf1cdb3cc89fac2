/**
 * What SES's open and click tracking does to an email, for embedded mode: SES adds a 1x1 open pixel and
 * rewrites every link through its redirect when the email's configuration set publishes OPEN and CLICK events
 * (ours does), unless the SendEmail request turns either off (`ConfigurationOverrides.Tracking`, SES v2's per-message override; the
 * engine does so for customers who turned tracking off). The outbox keeps the email as the engine sent it;
 * `mailboxHtml` shows it as the recipient's mailbox receives it. Written here because the SES emulator
 * (aws-ses-v2-local) models no tracking.
 */

export interface EmailTracking {
  opens: boolean;
  clicks: boolean;
}

export interface TrackingOverrides {
  OpenTrackingEnabled?: 'ENABLED' | 'DISABLED';
  ClickTrackingEnabled?: 'ENABLED' | 'DISABLED';
}

/**
 * Tracking of one SendEmail request: on when the request names a configuration set (whose event destination
 * includes OPEN and CLICK) unless overridden off; an explicit ENABLED turns it on even without one.
 */
export function trackingOf(request: {
  ConfigurationSetName?: string;
  ConfigurationOverrides?: { Tracking?: TrackingOverrides };
}): EmailTracking {
  const overrides = request.ConfigurationOverrides?.Tracking;
  const base = Boolean(request.ConfigurationSetName);
  const flag = (value: TrackingOverrides['OpenTrackingEnabled']) =>
    value === 'ENABLED' ? true : value === 'DISABLED' ? false : base;
  return {
    opens: flag(overrides?.OpenTrackingEnabled),
    clicks: flag(overrides?.ClickTrackingEnabled),
  };
}

/** The tracking host SES uses in a region (its default, without a custom redirect domain). */
export function trackingHost(region: string): string {
  return `r.${region}.awstrack.me`;
}

/**
 * The HTML as delivered: with tracking on, each http(s) `href` goes through the redirect (links marked
 * `ses:no-track` are left alone, as SES does) and the open pixel is appended before `</body>`.
 */
export function mailboxHtml(
  email: { html?: string; messageId: string; tracking: EmailTracking },
  region = 'eu-central-1',
): string {
  let html = email.html ?? '';
  const host = trackingHost(region);
  if (email.tracking.clicks) {
    let n = 0;
    html = html.replace(
      /<a\b([^>]*?)\bhref="(https?:\/\/[^"]+)"([^>]*)>/gi,
      (tag, before: string, url: string, after: string) => {
        if (/ses:no-track/i.test(before + after)) return tag;
        n++;
        const target = encodeURIComponent(url.replaceAll('&amp;', '&'));
        return `<a${before}href="https://${host}/L0/${target}/${email.messageId}/${n}"${after}>`;
      },
    );
  }
  if (email.tracking.opens) {
    const pixel = `<img alt="" src="https://${host}/I0/${email.messageId}/open" style="display:none;width:1px;height:1px;border:0" width="1" height="1">`;
    html = html.includes('</body>') ? html.replace('</body>', `${pixel}</body>`) : `${html}${pixel}`;
  }
  return html;
}
