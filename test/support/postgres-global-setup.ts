/**
 * Says loudly, before and after the run, when the PostgreSQL half of the suite cannot run; when it
 * can, makes the migrated template database the suites copy.
 */
import { probePostgres, serverUrl } from './postgres.ts';
import { ensurePostgresTemplate } from './store-templates.ts';

const banner = (text: string) => `\n${'!'.repeat(78)}\n!! ${text}\n${'!'.repeat(78)}\n`;

export default async function setup(): Promise<() => void> {
  const available = await probePostgres();
  const target = serverUrl().replace(/:[^:@/]*@/, ':***@');
  if (available) await ensurePostgresTemplate();
  if (!available) {
    process.stderr.write(
      banner(`PostgreSQL is not reachable at ${target}: the PostgreSQL half of the integration suite is NOT RUN (skipped).`),
    );
  }
  return () => {
    if (!available)
      process.stderr.write(banner('REMINDER: the integration suite did NOT run against PostgreSQL. Start it and run npm test again.'));
  };
}
