/**
 * Closes last month for the demo book the way finance would: one person runs billing, another
 * finalizes the invoices (flags reviewed) and payout statements, and the first invoice is half paid.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { inTransaction } from '../../platform/context.ts';
import type { Database } from '../../platform/database.ts';
import { Decimal, minorUnitsOrThrow } from '../../wire/money.ts';
import { demoBilledMonth } from './demo-delivery.ts';
import { demoDates } from './demo-book.ts';
import type { DemoSeedResult } from './seed-demo.ts';
import { finalizeRunDocuments, findFirstRunInvoice } from '../billing/documents/index.ts';
import { recordPayment } from '../billing/settlement/index.ts';
import { runBilling } from '../billing/runs/index.ts';

/** Bills, finalizes and part-pays last month of the demo book; answers the run's id. */
export async function billDemo(db: Kysely<Database>, clock: Clock, seeded: DemoSeedResult): Promise<string> {
  const d = demoDates(clock.today());
  const { starter, finalizer } = seeded.billingActors;
  const run = await runBilling(db, clock, starter, demoBilledMonth(d));
  await inTransaction(db, clock, finalizer, async (context) => {
    await finalizeRunDocuments(context, run.id, 'invoice', true);
    await finalizeRunDocuments(context, run.id, 'payout_statement', true);
  });
  const first = await findFirstRunInvoice(db, run.id);
  if (first && new Decimal(first.total).isPositive()) {
    const half = new Decimal(first.total).div(2).toDecimalPlaces(minorUnitsOrThrow(first.currency), Decimal.ROUND_DOWN);
    await inTransaction(db, clock, finalizer, (context) =>
      recordPayment(context, 'invoice', first.id, { amount: half.toFixed(), date: clock.today(), reference: 'Demo wire transfer' }),
    );
  }
  return run.id;
}
