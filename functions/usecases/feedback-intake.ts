/**
 * Intake of `feedback.given` (votes from the shop's own site): the vote lands on the profile, replacing an
 * earlier vote on the same item or category, and on the message it came from. Written with the profile's
 * optimistic lock, so concurrent votes of one customer are all kept; the same vote again changes nothing.
 */
import { useCase } from '../app/lambda.js';
import { addVote, voteFromEvent } from '../domain/feedback.js';
import { admit, type Rejected, rejectIfErased, rewriteProfile } from './intake.js';
import { countOnce } from './outcomes.js';

export type FeedbackIntakeResult = Rejected | { outcome: 'feedback_recorded' | 'stale' };

export const feedbackIntake = useCase({
  name: 'feedback-intake',
  needs: ['profiles', 'products:read', 'ledger', 'stats', 'rejected', 'linkKeys'],
  async run(deps, input: unknown): Promise<FeedbackIntakeResult> {
    const admitted = await admit(deps, input, 'feedback-intake');
    if (!admitted.ok) return admitted.rejected;
    const { event, at } = admitted;
    const { detail } = event;
    const { profiles, products } = deps.stores;
    const profile = await profiles.get(detail.customerId);
    // A vote of a customer without a profile has nothing to land on (unless they were erased: say so).
    if (!profile) return (await rejectIfErased(deps, input, detail.customerId)) ?? { outcome: 'stale' };
    const label = detail.sku ? (await products.getMany([detail.sku]))[0]?.name : detail.category;
    const vote = voteFromEvent(detail, at, label);
    const write = await rewriteProfile(deps, detail.customerId, profile, (current) =>
      current
        ? { patch: { feedback: addVote(current.feedback ?? [], vote), updatedAt: at } }
        : { stop: 'no_profile' as const },
    );
    if (write.kind === 'stopped') return { outcome: 'stale' };
    if (detail.messageId)
      await countOnce(deps, detail.messageId, `vote_${detail.vote}:${vote.target.id}`, at, {
        [`voted_${detail.vote}`]: 1,
      });
    return { outcome: 'feedback_recorded' };
  },
});
