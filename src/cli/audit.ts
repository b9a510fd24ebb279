/** `tally audit verify`: recompute the hash chain, on the store or through the server that owns it. */
import type { Config } from '../platform/config.ts';
import { type ChainVerification, verifyAuditChain } from '../modules/audit/index.ts';
import { openStoreOrServer } from './runtime.ts';

/** Verifies the chain and answers what GET /v1/audit/verify answers. */
export async function runAuditVerify(config: Config): Promise<ChainVerification> {
  const target = await openStoreOrServer(config);
  if (target.kind === 'server') return target.server.json<ChainVerification>('GET', '/v1/audit/verify');
  try {
    return await verifyAuditChain(target.store.db);
  } finally {
    await target.store.close();
  }
}
