/**
 * Intake of `product.upserted`: keeps the catalogue entry current (its order and co-purchase counts are kept).
 * A state write: the same event again, under any event id, leaves the entry as it was.
 */
import { useCase } from '../app/lambda.js';
import { admit, type Rejected } from './intake.js';

export type CatalogueIntakeResult = Rejected | { outcome: 'product_updated' };

export const catalogueIntake = useCase({
  name: 'catalogue-intake',
  needs: ['products', 'rejected'],
  async run(deps, input: unknown): Promise<CatalogueIntakeResult> {
    const admitted = await admit(deps, input, 'catalogue-intake');
    if (!admitted.ok) return admitted.rejected;
    await deps.stores.products.upsert(admitted.event.detail);
    return { outcome: 'product_updated' };
  },
});
