import type { Database } from '../../db/database.ts';
import type { Feature } from '../feature.ts';
import { reviewRoutes } from './routes.ts';
import { ReviewService, type ReviewServiceDeps } from './service.ts';

export { ReviewService } from './service.ts';

/** What the feature needs: its service's deps (`review.notifyParticipants` among them) and the store. */
export type ReviewDeps = ReviewServiceDeps & { db: Database };

export interface ReviewFeature extends Feature {
  service: ReviewService;
}

/** Audited, read-only review of internal chats by supervisors: `/api/v1/review/…`. */
export function createReview(deps: ReviewDeps): ReviewFeature {
  const service = new ReviewService({ ...deps, log: deps.log.child({ module: 'review' }) });
  return {
    name: 'review',
    service,
    async plugin(app) {
      await app.register(reviewRoutes, { review: service });
    },
  };
}
