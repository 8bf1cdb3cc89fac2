/**
 * Customer endpoints behind a Lambda function URL (served on localhost in embedded mode). Every route needs a
 * signed token; a bad token gets the same refusal whatever was wrong with it, and reveals nothing.
 *   GET  /u/{token}    a page with an Unsubscribe button (changes nothing: link scanners fetch GETs)
 *   POST /u/{token}    RFC 8058 one-click unsubscribe: no cookie, no login, no redirect
 *   GET  /why/{token}  why this message was sent: trigger, data used, consent relied on, template
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { now } from '../adapters/clock.js';
import { verifyLink } from '../domain/links.js';
import { invalidLinkPage, page, unsubscribeConfirmPage, unsubscribedPage, whyPage } from '../domain/pages.js';
import { mergeConsent } from '../domain/profile.js';
import { config, db, linkKeys, logger } from './deps.js';

const HTML = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  'referrer-policy': 'no-referrer',
};

function html(statusCode: number, body: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: HTML, body };
}

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const match = /^\/(u|why)\/([\w.-]{10,4096})\/?$/.exec(event.rawPath ?? '');
  if (!match) return html(404, page('Not found', '<p>There is nothing here.</p>'));
  const [, route, token] = match as unknown as [string, 'u' | 'why', string];
  const purpose = route === 'u' ? 'unsubscribe' : 'why';
  const verified = verifyLink(token, purpose, await linkKeys(), now());
  if (!verified.ok) {
    logger.info('Refused link', { reason: verified.reason, route });
    return html(400, invalidLinkPage());
  }
  const { customerId, messageId } = verified.claims;
  const shop = config().sender.shopName;

  if (route === 'u') {
    if (method === 'GET' || method === 'HEAD') return html(200, unsubscribeConfirmPage(shop, event.rawPath));
    if (method !== 'POST') return html(405, page('Not allowed', '<p>Use the button on the page.</p>'));
    const profile = await db().profiles.get(customerId);
    // Unknown or erased customers get the same answer: nothing to send to, nothing to reveal.
    if (profile) {
      const at = now().toISOString();
      await db().profiles.patch(customerId, {
        consent: mergeConsent(profile.consent, { email: 'opted_out', source: 'one-click-unsubscribe' }, at),
        updatedAt: at,
      });
    }
    return html(200, unsubscribedPage(shop));
  }

  if (method !== 'GET' && method !== 'HEAD')
    return html(405, page('Not allowed', '<p>This page can only be read.</p>'));
  const entry = messageId ? await db().ledger.get(messageId) : undefined;
  if (!entry || entry.customerId !== customerId)
    return html(404, page('Not found', '<p>We keep no record of this message any more.</p>'));
  return html(200, whyPage(entry, shop));
}
