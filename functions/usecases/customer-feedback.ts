/**
 * The `/f/{token}` route of the customer endpoint: a vote on a recommended item from an email. The token
 * names the customer, the message and the item and the vote; a GET shows a confirmation page (scanners fetch
 * GETs and must not vote), the POST records the vote on the profile and on the message's ledger entry.
 */
import type { Deps } from '../app/deps.js';
import { addVote, voteFromEvent } from '../domain/feedback.js';
import type { LinkClaims } from '../domain/links.js';
import { invalidLinkPage, voteConfirmPage, votedPage } from '../domain/pages.js';
import { countOnce } from './outcomes.js';
import { changeProfile } from './profile-writes.js';

export interface FeedbackResponse {
  status: number;
  body: string;
}

/**
 * Shows or records the vote a feedback link carries. The vote joins the profile's list with the profile's
 * optimistic lock (votes on several items of one email, clicked at once, are all kept).
 */
export async function feedbackRoute(
  deps: Deps,
  method: string,
  path: string,
  claims: LinkClaims,
): Promise<FeedbackResponse> {
  const sku = claims.data?.sku;
  const vote = claims.data?.vote;
  if (!sku || (vote !== 'up' && vote !== 'down')) return { status: 400, body: invalidLinkPage() };
  const { profiles, products } = deps.stores;
  const profile = await profiles.get(claims.customerId);
  // Erased or unknown: the same refusal a bad token gets.
  if (!profile) return { status: 400, body: invalidLinkPage() };
  const itemName = (await products.getMany([sku]))[0]?.name ?? sku;
  if (method === 'GET' || method === 'HEAD')
    return { status: 200, body: voteConfirmPage({ itemName, vote, action: path }) };
  const at = deps.clock().toISOString();
  const given = voteFromEvent(
    { sku, vote, ...(claims.messageId ? { messageId: claims.messageId } : {}) },
    at,
    itemName,
    'email',
  );
  const saved = await changeProfile(deps, profile, (current) => ({
    feedback: addVote(current.feedback ?? [], given),
    updatedAt: at,
  }));
  if (!saved) return { status: 400, body: invalidLinkPage() };
  if (claims.messageId)
    await countOnce(deps, claims.messageId, `vote_${vote}:${sku}`, at, { [`voted_${vote}`]: 1 });
  return { status: 200, body: votedPage({ itemName, vote, shopName: deps.config.sender.shopName }) };
}
