/**
 * Issue 14's rate card target: pricing 10,000 line items from rate cards adds under 10 % to rating
 * the 1,000,000-row book. On each store (PGlite in a temporary folder, then a throwaway PostgreSQL
 * database), in one run:
 *
 * 1. The book of bench/rating-book.ts (10,000 contracts, 33,333 line items, 999,990 impression
 *    rows), written set-based, then `vacuum analyze`.
 * 2. **Rating with literal rates**: `rateBookPeriod(db, '2026-10')`.
 * 3. **Pricing at write time**: 10,000 flat cpm line items resolved from an approved rate card by
 *    `resolveCardPricing` (the function every contract write calls), contract by contract, as the
 *    versions would be written (premiums and a discount, so every line does the full arithmetic).
 * 4. **Rating with 10,000 card-priced lines**: the same contracts' approved terms rewritten with a
 *    resolved card reference on those 10,000 lines (priced from a one-entry card at their own rate,
 *    so every amount stays the same and the check below can compare), then `rateBookPeriod`.
 *    (2) and (4) alternate, 7 runs each, the terms swapped between runs outside the clock.
 *
 * Figures: (4) / (2), which must stay under 1.10, and (3) beside it. The subtotals of (2) and (4)
 * must be equal, or the benchmark stops.
 *
 * Run: `node --import tsx bench/card-pricing.ts` (about 2 minutes per store).
 */
import path from 'node:path';
import { sql } from 'kysely';
import { migrate } from '../src/platform/migrations.ts';
import { openStore, type Store } from '../src/platform/store.ts';
import { rateBookPeriod } from '../src/modules/charges/index.ts';
import { priceFromCard, resolveCardPricing } from '../src/modules/rate-cards/index.ts';
import { buildBook, defaultBook, insertBook, insertImpressions, type Book } from './rating-book.ts';
import {
  createThrowawayDatabase,
  dropThrowawayDatabase,
  isMainModule,
  markdownTable,
  median,
  postgresUrl,
  removeFolder,
  temporaryFolder,
  waitForQuietMachine,
  writeResultsJson,
} from './support.ts';

const cardPricedLines = 10_000;
const repeats = 7;
const targetRatio = 1.1;

interface StoreResult {
  store: string;
  literalMs: number[];
  cardMs: number[];
  resolveMs: number;
  resolvedLines: number;
}

type LineItem = { key: string; pricing: Record<string, unknown> };
type ContractTerms = { startDate: string; currency: string; lineItems: LineItem[] };

/** The first `count` flat cpm line items of the book, by contract. */
function pickLines(book: Book, count: number): Map<number, string[]> {
  const picked = new Map<number, string[]>();
  let taken = 0;
  for (const [index, contract] of book.contracts.entries()) {
    for (const line of (contract.terms as unknown as ContractTerms).lineItems) {
      if (taken === count) return picked;
      if (line.pricing.tierMode !== undefined) continue;
      picked.set(index, [...(picked.get(index) ?? []), line.key]);
      taken++;
    }
  }
  return picked;
}

/** The terms with the picked lines carrying a resolved card reference at their own rate (amounts unchanged). */
function cardPricedTerms(terms: ContractTerms, keys: string[]): ContractTerms {
  return {
    ...terms,
    lineItems: terms.lineItems.map((line) => {
      if (!keys.includes(line.key)) return line;
      const rate = String(line.pricing.ratePerMille);
      const card = {
        rateCardId: 'rcd_bench_own_rate',
        number: 1,
        entries: [{ product: 'bench-ctv', model: 'cpm' as const, listRate: rate }],
        premiums: [],
      };
      const price = priceFromCard(card, 'cpm', { id: card.rateCardId, product: 'bench-ctv' }, 'bench');
      if (price.netRate !== rate && Number(price.netRate) !== Number(rate)) throw new Error(`a card at ${rate} priced ${price.netRate}`);
      return { ...line, pricing: { ...line.pricing, ratePerMille: rate, rateCard: price.reference } };
    }),
  };
}

async function setTerms(store: Store, book: Book, picked: Map<number, string[]>, carded: boolean): Promise<void> {
  const ids: string[] = [];
  const texts: string[] = [];
  for (const [index, keys] of picked) {
    const contract = book.contracts[index]!;
    const terms = contract.terms as unknown as ContractTerms;
    ids.push(contract.id);
    texts.push(JSON.stringify(carded ? cardPricedTerms(terms, keys) : terms));
  }
  // Approved versions refuse changes by trigger; a benchmark's throwaway store swaps them in place.
  await store.db.transaction().execute(async (trx) => {
    await sql`alter table contract_versions disable trigger contract_versions_approved_immutable`.execute(trx);
    await sql`
      update contract_versions v set terms = t.terms::jsonb
      from unnest(${ids}::text[], ${texts}::text[]) as t(contract_id, terms)
      where v.contract_id = t.contract_id and v.number = 1`.execute(trx);
    await sql`alter table contract_versions enable trigger contract_versions_approved_immutable`.execute(trx);
  });
}

/** An approved card with one product, two percent premiums: what the write-time pricing resolves against. */
async function insertCard(store: Store): Promise<string> {
  const now = '2026-09-20T09:00:00.000Z';
  await sql`insert into products (id, key, name, created_by, created_at) values ('prd_bench', 'bench-ctv', 'Bench CTV', 'usr_bench', ${now})`.execute(
    store.db,
  );
  for (const currency of ['USD', 'EUR', 'JPY']) {
    const id = `rcd_bench_${currency.toLowerCase()}`;
    await sql`insert into rate_cards (id, name, currency, created_by, created_at, current_version) values (${id}, ${`Bench ${currency}`}, ${currency}, 'usr_bench', ${now}, 1)`.execute(
      store.db,
    );
    await sql`
      insert into rate_card_versions (rate_card_id, number, status, effective_from, entries, premiums, created_by, created_at, submitted_by, submitted_at, approved_at)
      values (${id}, 1, 'approved', '2026-01-01', ${JSON.stringify([{ product: 'bench-ctv', model: 'cpm', listRate: currency === 'JPY' ? '3000' : '20.00', floorRate: currency === 'JPY' ? '1000' : '5.00' }])}::jsonb,
        ${JSON.stringify([
          { dimension: 'geo', value: 'dma', percent: '20' },
          { dimension: 'audience', value: 'first_party', percent: '15' },
        ])}::jsonb,
        'usr_bench', ${now}, 'usr_bench', ${now}, ${now})`.execute(store.db);
  }
  return 'rcd_bench';
}

/** Resolves the picked lines of every picked contract from the card, contract by contract; answers the time and the lines priced. */
async function measureResolve(store: Store, book: Book, picked: Map<number, string[]>): Promise<{ ms: number; lines: number }> {
  let lines = 0;
  const inputs = [...picked].map(([index, keys]) => {
    const terms = book.contracts[index]!.terms as unknown as ContractTerms;
    const card = `rcd_bench_${terms.currency.toLowerCase()}`;
    return {
      terms: {
        ...terms,
        lineItems: terms.lineItems.map((line) =>
          keys.includes(line.key)
            ? {
                ...line,
                pricing: {
                  model: 'cpm',
                  rateCard: { id: card, product: 'bench-ctv', premiums: ['geo:dma', 'audience:first_party'], discountPercent: '10' },
                },
              }
            : line,
        ),
      },
      keys,
    };
  });
  const startedAt = performance.now();
  for (const input of inputs) {
    const resolved = (await resolveCardPricing(store.db, input.terms, input.terms.startDate)) as ContractTerms;
    lines += resolved.lineItems.filter((line) => (line.pricing.rateCard as { version?: number } | undefined)?.version === 1).length;
  }
  return { ms: performance.now() - startedAt, lines };
}

async function rateMonth(store: Store, month: string): Promise<{ ms: number; subtotals: string }> {
  const startedAt = performance.now();
  const results = await rateBookPeriod(store.db, month);
  const ms = performance.now() - startedAt;
  const byCurrency = new Map<string, number>();
  const exact = new Map<string, string[]>();
  for (const { result } of results) {
    byCurrency.set(result.currency, (byCurrency.get(result.currency) ?? 0) + 1);
    exact.set(result.currency, [...(exact.get(result.currency) ?? []), result.subtotal]);
  }
  // The subtotals joined, not summed: a comparison of two runs needs no arithmetic.
  const subtotals = [...exact]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, values]) => `${currency}:${values.join(',')}`)
    .join(';');
  return { ms, subtotals };
}

async function measureStore(label: string, store: Store, book: Book, log: (line: string) => void): Promise<StoreResult> {
  log(`${label}: set-up…`);
  await migrate(store);
  await insertBook(store, book);
  await insertImpressions(store, book);
  await sql`vacuum analyze`.execute(store.db);
  await insertCard(store);
  const picked = pickLines(book, cardPricedLines);
  const month = book.settings.month;

  // Literal and card-priced terms alternate, run after run, so that a busy moment of the machine
  // falls on both alike; the terms are swapped between runs, outside the clock.
  await rateMonth(store, month); // warm-up: the first read of the book pays for the cache
  const literalMs: number[] = [];
  const cardMs: number[] = [];
  let literalSubtotals = '';
  for (let run = 0; run < repeats; run++) {
    for (const carded of [false, true]) {
      await setTerms(store, book, picked, carded);
      await waitForQuietMachine();
      const result = await rateMonth(store, month);
      (carded ? cardMs : literalMs).push(result.ms);
      if (!carded) literalSubtotals = result.subtotals;
      else if (result.subtotals !== literalSubtotals)
        throw new Error(`${label}: card-priced terms rated differently from the literal ones`);
      log(`${label}: rating, ${carded ? `${cardPricedLines} card-priced lines` : 'literal rates'} ${Math.round(result.ms)} ms`);
    }
  }
  await setTerms(store, book, picked, false);
  await waitForQuietMachine();
  const resolved = await measureResolve(store, book, picked);
  log(`${label}: resolved ${resolved.lines} lines from the card in ${Math.round(resolved.ms)} ms`);
  return {
    store: label,
    literalMs,
    cardMs,
    resolveMs: resolved.ms,
    resolvedLines: resolved.lines,
  };
}

/** Runs the benchmark on both stores. */
export async function runCardPricing(log: (line: string) => void): Promise<StoreResult[]> {
  const book = buildBook({ ...defaultBook });
  const results: StoreResult[] = [];
  const folder = temporaryFolder('card-pricing');
  try {
    const store = await openStore({ dataDir: path.join(folder, 'data') });
    try {
      results.push(await measureStore('PGlite', store, book, log));
    } finally {
      await store.close();
    }
  } finally {
    removeFolder(folder);
  }
  const database = await createThrowawayDatabase('cards');
  const unused = temporaryFolder('card-pricing-pg');
  try {
    const store = await openStore({ databaseUrl: postgresUrl(database), dataDir: path.join(unused, 'unused') });
    try {
      results.push(await measureStore('PostgreSQL', store, book, log));
    } finally {
      await store.close();
    }
  } finally {
    await dropThrowawayDatabase(database);
    removeFolder(unused);
  }
  return results;
}

/** The results as markdown, with the verdict per store: medians (and minimums, the least disturbed runs) of the alternating runs. */
export function cardPricingReport(results: StoreResult[]): string {
  const rows = results.map((result) => {
    const literal = median(result.literalMs);
    const card = median(result.cardMs);
    const ratio = card / literal;
    const minRatio = Math.min(...result.cardMs) / Math.min(...result.literalMs);
    return [
      result.store,
      `${Math.round(literal)} (min ${Math.round(Math.min(...result.literalMs))})`,
      `${Math.round(card)} (min ${Math.round(Math.min(...result.cardMs))})`,
      `${ratio.toFixed(3)}× (min ${minRatio.toFixed(3)}×) ${ratio < targetRatio ? 'met' : 'missed'}`,
      `${Math.round(result.resolveMs)} ms for ${result.resolvedLines} lines`,
    ];
  });
  return markdownTable(
    [
      'store',
      `rating, literal rates (ms, median of ${repeats})`,
      `rating, ${cardPricedLines} card-priced lines (ms, median of ${repeats})`,
      'ratio (target < 1.10)',
      'pricing at write time',
    ],
    rows,
  );
}

if (isMainModule(import.meta.url)) {
  const results = await runCardPricing((line) => process.stderr.write(`${line}\n`));
  const markdown = cardPricingReport(results);
  process.stdout.write(`${markdown}\n`);
  await writeResultsJson('card-pricing', results, { markdown });
}
