/**
 * The SQL that writes answers' JSON text (src/platform/json-text.repository.ts) against the code it
 * stands in for: money as formatMoney rounds and prints it (half-to-even, the currency's decimals,
 * no negative zero), instants as instantToIso writes them, text escaped as JSON.stringify escapes it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { instantTextSql, jsonObjectSql, minorUnitsSql, moneyTextSql } from '../../src/platform/json-text.repository.ts';
import { instantToIso } from '../../src/platform/instants.ts';
import { Decimal, formatMoney } from '../../src/wire/money.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';

describeStore('answers written by PostgreSQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('writes money as formatMoney does, ties to even', async () => {
    const amounts = ['0', '-0.004', '-0.005', '0.005', '0.015', '0.025', '2.345', '-2.345', '2.355', '1234.5', '1234.50000', '7', '-7.1'];
    const more = ['12.3456', '12.34565', '-0.00005', '99999999999.995', '0.5', '1.5', '2.5', '-2.5', '3.0005', '1e-7'];
    for (const currency of ['USD', 'JPY', 'KWD', 'CLF']) {
      for (const amount of [...amounts, ...more]) {
        const result = await sql<{
          text: string;
        }>`select ${moneyTextSql(sql`${new Decimal(amount).toFixed()}::numeric`, minorUnitsSql(sql`${currency}::text`))} as text`.execute(
          h.store.db,
        );
        expect(`${currency} ${amount}: ${result.rows[0]?.text}`).toBe(
          `${currency} ${amount}: ${formatMoney(new Decimal(amount), currency)}`,
        );
      }
    }
  });

  it('refuses a currency it does not know, never guessing its decimals', async () => {
    await expect(sql`select ${minorUnitsSql(sql`${'XAU'}::text`)}`.execute(h.store.db)).rejects.toThrow(/unknown currency code XAU/);
  });

  it('writes instants and text as the API does', async () => {
    const instants = ['2026-11-25 12:00:00.128567+00', '2026-11-25 12:00:00+00', '2026-01-02 03:04:05.9999+00', '0999-12-31 23:59:59.5+00'];
    for (const instant of instants) {
      const result = await sql<{ text: string }>`select ${instantTextSql(sql`${instant}::timestamptz`)} as text`.execute(h.store.db);
      expect(result.rows[0]?.text).toBe(instantToIso(instant));
    }
    const text = `a"b\\c\u0001\u001f\b\f\n\r\t é \u2028 / <>`;
    const result = await sql<{
      json: string;
    }>`select ${jsonObjectSql({ text: sql`${text}::text`, none: sql`null::text`, count: sql`3` })}::text as json`.execute(h.store.db);
    expect(result.rows[0]?.json).toBe(JSON.stringify({ text, none: null, count: 3 }));
  });
});
