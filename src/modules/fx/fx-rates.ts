/**
 * Exchange rates (SPEC §10): recording one, audited, and the rate a conversion uses. A rate is
 * never changed or deleted, since ledger entries were converted at it; a wrong rate is superseded
 * by a rate of a later date.
 */
import type { Executor } from '../../platform/database.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { CreateFxRateInput, FxRate } from '../../wire/fx.ts';
import { Decimal } from '../../wire/money.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { findFxRateOfDate, insertFxRate, isFxRateConflict, latestRates, type PairRates, type RateRequest } from './fx-rate.repository.ts';

/** What the rate's `source` says when none was given. */
export const MANUAL_SOURCE = 'manual';

function rateExists(input: CreateFxRateInput, existing: string): AppError {
  return new AppError(
    'fx_rate_exists',
    `A ${input.from}→${input.to} rate of ${existing} is recorded for ${input.date}; a rate never changes, record the correction with a later date`,
    [{ path: 'date', message: 'this pair already has a rate on this date' }],
  );
}

export async function createFxRate(context: UseCaseContext, input: CreateFxRateInput): Promise<FxRate> {
  const existing = await findFxRateOfDate(context.trx, input.from, input.to, input.date);
  if (existing) throw rateExists(input, existing.rate);
  const rate: FxRate = {
    id: newId('fxr'),
    date: input.date,
    from: input.from,
    to: input.to,
    rate: new Decimal(input.rate).toFixed(),
    source: input.source ?? MANUAL_SOURCE,
    createdAt: context.now.toISOString(),
    createdBy: context.actor.userId,
  };
  await insertFxRate(context.trx, rate).catch((error: unknown) => {
    throw isFxRateConflict(error) ? rateExists(input, '(recorded at the same moment)') : error;
  });
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'fx_rate.created',
    entityType: 'fx_rate',
    entityId: rate.id,
    after: rate,
  });
  return rate;
}

/**
 * The rate of a pair on a date from what is recorded: the latest rate on or before the date, of the
 * pair as asked or the other way round (then its inverse); the pair as asked wins a tie of dates.
 * Undefined when neither way has a rate on or before the date.
 */
export function chooseRate(rates: PairRates): Decimal | undefined {
  const { direct, inverse } = rates;
  if (direct !== undefined && (inverse === undefined || direct.date >= inverse.date)) return direct.rate;
  return inverse === undefined ? undefined : new Decimal(1).dividedBy(inverse.rate);
}

/** The rates of these conversions (1 for a currency into itself), in order; undefined where none is recorded. */
export async function conversionRates(db: Executor, requests: readonly RateRequest[]): Promise<(Decimal | undefined)[]> {
  const asked = requests.filter((request) => request.from !== request.to);
  const found = await latestRates(db, asked);
  let next = 0;
  return requests.map((request) => (request.from === request.to ? new Decimal(1) : chooseRate(found[next++]!)));
}

/** The answer when a conversion has no rate: `422 fx_rate_missing`, naming the pair and the date. */
export function fxRateMissing(request: RateRequest): AppError {
  return new AppError(
    'fx_rate_missing',
    `No ${request.from}→${request.to} rate on or before ${request.date}: record one with POST /v1/fx-rates (either way round). Nothing was written`,
  );
}
