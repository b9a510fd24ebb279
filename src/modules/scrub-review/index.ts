/** The scrub review module's public surface: its routes (the held queue, the scrub report, a rule's preview). */
export { scrubReviewRoutes } from './scrub-review.routes.ts';
