/**
 * The exchange rates every test store starts with (SPEC §10): each ledger entry needs its amount in
 * its entity's base currency, so a store that bills in several currencies needs rates. Suites that
 * are not about FX bill JPY, EUR or KWD customers from a USD entity (and USD ones from a EUR
 * entity): these rates, dated at the start of the calendar, let them post. Suites about FX record
 * their own rates on later dates (the latest on or before a date wins), or use a currency that has
 * none here (CZK, HUF) to see `fx_rate_missing`.
 */
export const FIXTURE_RATE_DATE = '1900-01-01';

/** 1 `from` = `rate` × `to`. USD→EUR and the like are these the other way round. */
export const fixtureRates: readonly { from: string; to: string; rate: string }[] = [
  { from: 'EUR', to: 'USD', rate: '1.08' },
  { from: 'GBP', to: 'USD', rate: '1.27' },
  { from: 'JPY', to: 'USD', rate: '0.0067' },
  { from: 'KWD', to: 'USD', rate: '3.25' },
  { from: 'CAD', to: 'USD', rate: '0.73' },
  { from: 'CHF', to: 'USD', rate: '1.12' },
  { from: 'AUD', to: 'USD', rate: '0.66' },
  { from: 'SEK', to: 'USD', rate: '0.095' },
  { from: 'BHD', to: 'USD', rate: '2.65' },
  { from: 'GBP', to: 'EUR', rate: '1.17' },
  { from: 'JPY', to: 'EUR', rate: '0.0062' },
  { from: 'KWD', to: 'EUR', rate: '3.01' },
  { from: 'CAD', to: 'EUR', rate: '0.68' },
  { from: 'CHF', to: 'EUR', rate: '1.04' },
];

/** The SQL that records them (in the migrated test templates). */
export const fixtureRatesSql = `insert into fx_rates (id, date, from_currency, to_currency, rate, source, created_at, created_by) values ${fixtureRates
  .map(
    (rate, index) =>
      `('fxr_fixture${String(index).padStart(21, '0')}', '${FIXTURE_RATE_DATE}', '${rate.from}', '${rate.to}', ${rate.rate}, 'test fixture', '2026-01-01T00:00:00Z', 'usr_system')`,
  )
  .join(', ')}`;
