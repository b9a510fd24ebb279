/** The postbacks module's public surface: what other modules and the HTTP app may use of it. */
export { postbackSourceRoutes } from './postback-sources.routes.ts';
export { postbackFailureReason, postbackRouteUrl, postbackRoutes } from './postbacks.routes.ts';
export { createPostbackSource } from './create-postback-source.ts';
export { receivePostback } from './receive-postback.ts';
export { type PostbackContent } from './postback-query.ts';
export { postbackActor } from './postback-source.ts';
export { storeQueuedPostback } from './postback-intake.ts';
