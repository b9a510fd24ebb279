/** The registration half of the outbound-target rule (SPEC §9), shared by webhook endpoints and partner postbacks. */
import { AppError } from '../../platform/errors.ts';
import { checkOutboundTarget, PrivateTargetError } from '../../platform/outbound-targets.ts';

/**
 * Refuses a URL whose host is, or resolves to, a loopback, private or metadata address, before
 * anything is written: `422 private_target` naming `field`. A name that does not resolve now is
 * accepted, and checked at send time (the dispatcher checks every URL again before each request).
 */
export async function assertPublicTarget(url: string, options: { allowPrivate: boolean; field: string; what: string }): Promise<void> {
  if (options.allowPrivate) return;
  try {
    await checkOutboundTarget(url, { allowPrivate: false });
  } catch (error) {
    if (error instanceof PrivateTargetError) {
      throw new AppError('private_target', `${options.what} may not target private addresses`, [
        { path: options.field, message: error.message },
      ]);
    }
  }
}
