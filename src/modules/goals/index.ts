/** The goals module's public surface: delivery goals, the shortfall report and makegood requests (SPEC §8). */
export { goalRoutes } from './goals.routes.ts';
export { deliveryShortfall } from './delivery-shortfall.ts';
export { measureLineGoal } from './measure-goals.ts';
