/**
 * The `/f/{token}` route of the customer endpoint: a vote on a recommended item from an email. The token
 * names the customer, the message and the item and the vote; a GET shows a confirmation page (scanners fetch
 * GETs and must not vote), the POST records the vote on the profile and on the message's ledger entry.
 */
import type { Deps } from '../app/deps.js';
import { addVote, voteFromEvent } from '../domain/feedback.js';
import type { LinkClaims } from '../domain/links.js';
import { invalidLinkPage, voteConfirmPage, votedPage } from '../domain/pages.js';
import {
  type CustomerRequest,
  contextOf,
  html,
  notAllowed,
  preferencesHref,
  type Result,
} from './customer-web.js';
import { countOnce } from './outcomes.js';
import { changeProfile } from './profile-writes.js';

/**
 * Shows or records the vote a feedback link carries, in the customer's language. The vote joins the
 * profile's list with the profile's optimistic lock (votes on several items of one email, clicked at once,
 * are all kept).
 */
export async function feedbackRoute(
  deps: Deps,
  request: CustomerRequest,
  method: string,
  path: string,
  claims: LinkClaims,
): Promise<Result> {
  const sku = claims.data?.sku;
  const vote = claims.data?.vote;
  const { profiles, products } = deps.stores;
  const profile =
    sku && (vote === 'up' || vote === 'down') ? await profiles.get(claims.customerId) : undefined;
  // A link without its item, or for an erased or unknown customer: the same refusal a bad token gets.
  if (!sku || (vote !== 'up' && vote !== 'down') || !profile)
    return html(400, invalidLinkPage(contextOf(deps, request)));
  const ctx = contextOf(
    deps,
    request,
    profile,
    preferencesHref(deps, await deps.linkKeys(), profile.customerId),
  );
  if (!['GET', 'HEAD', 'POST'].includes(method)) return notAllowed(ctx, 'GET, POST');
  const known = (await products.getMany([sku]))[0]?.name;
  const itemName = known ?? ctx.t.values.unknownItem;
  if (method === 'GET' || method === 'HEAD')
    return html(200, voteConfirmPage(ctx, { itemName, vote, action: path }));
  const at = deps.clock().toISOString();
  const given = voteFromEvent(
    { sku, vote, ...(claims.messageId ? { messageId: claims.messageId } : {}) },
    at,
    known,
    'email',
  );
  const saved = await changeProfile(deps, profile, (current) => ({
    feedback: addVote(current.feedback ?? [], given),
    updatedAt: at,
  }));
  if (!saved) return html(400, invalidLinkPage(ctx));
  if (claims.messageId)
    await countOnce(deps, claims.messageId, `vote_${vote}:${sku}`, at, { [`voted_${vote}`]: 1 });
  return html(200, votedPage(ctx, { itemName, vote }));
}
