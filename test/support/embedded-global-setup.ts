/** Makes the migrated PGlite image that the embedded project's suites start from. */
import { ensureEmbeddedTemplate } from './store-templates.ts';

export default async function setup(): Promise<void> {
  await ensureEmbeddedTemplate();
}
