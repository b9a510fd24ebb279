/**
 * Closes last month for the demo book the way finance would: one person runs billing, another
 * finalizes the invoices (flags reviewed) and payout statements, and the first invoice is half paid.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { inTransaction } from '../../platform/context.ts';
import type { Database } from '../../platform/database.ts';
import { everything } from '../../platform/visibility.ts';
import { Decimal } from '../../wire/money.ts';
import { demoBilledMonth } from './demo-delivery.ts';
import { demoDates } from './demo-book.ts';
import type { DemoSeedResult } from './seed-demo.ts';
import { finalizeRunDocuments, listDocuments } from '../billing/documents/index.ts';
import { recordPayment } from '../billing/settlement/index.ts';
import { runBilling } from '../billing/runs/index.ts';

/** The demo book bills a handful of advertisers: its run has far fewer invoices than this. */
const demoRunInvoicesMax = 100;

/** Bills, finalizes and part-pays last month of the demo book; answers the run's id. */
export async function billDemo(db: Kysely<Database>, clock: Clock, seeded: DemoSeedResult): Promise<string> {
  const d = demoDates(clock.today());
  const { starter, finalizer } = seeded.billingActors;
  const run = await runBilling(db, clock, starter, demoBilledMonth(d));
  await inTransaction(db, clock, finalizer, async (context) => {
    await finalizeRunDocuments(context, run.id, 'invoice', true);
    await finalizeRunDocuments(context, run.id, 'payout_statement', true);
  });
  const invoices = await listDocuments(db, everything, { kind: 'invoice', runId: run.id, limit: demoRunInvoicesMax, withLines: false });
  if (invoices.length >= demoRunInvoicesMax)
    throw new Error(`the demo run has ${demoRunInvoicesMax} invoices or more; raise demoRunInvoicesMax`);
  const first = invoices.sort(byNumber)[0];
  if (first && new Decimal(first.total).isPositive()) {
    const half = new Decimal(first.total).div(2).toDecimalPlaces(first.currency === 'JPY' ? 0 : 2, Decimal.ROUND_DOWN);
    await inTransaction(db, clock, finalizer, (context) =>
      recordPayment(context, 'invoice', first.id, { amount: half.toFixed(), date: clock.today(), reference: 'Demo wire transfer' }),
    );
  }
  return run.id;
}

/**
 * Orders documents by number: numbers are zero-padded, so they sort as text, by code unit (the same on
 * every machine, unlike localeCompare); a draft's null number comes last, as in SQL.
 */
function byNumber(a: { number: string | null }, b: { number: string | null }): number {
  if (a.number === b.number) return 0;
  if (a.number === null) return 1;
  if (b.number === null) return -1;
  return a.number < b.number ? -1 : 1;
}
