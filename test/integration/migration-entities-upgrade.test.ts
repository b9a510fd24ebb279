/**
 * Upgrading a store written before billing entities (migration 0019): it moves into one default
 * entity whose issuer block is the store's `issuer` setting and which has no number prefix, so its
 * series go on where they were; its parties, finalized documents and ledger transactions belong to
 * that entity, and its drafts to none until they are finalized.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/platform/migrations.ts';
import type { Store } from '../../src/platform/store.ts';
import { describeStore, openFreshStore } from '../support/harness.ts';

const defaultEntityId = 'ent_00000000000000000000000000';

describeStore('migration 0019 on an existing book', () => {
  let store: Store;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ store, drop } = await openFreshStore({ empty: true }));
    await migrate(store, { through: 18 });
    // A book as Tally wrote it before 0019 (foreign keys and triggers off: only the rows matter).
    await store.execScript(`
      set session_replication_role = replica;
      insert into settings (key, value, updated_at, updated_by) values ('issuer',
        '{"name": "Old Media LLC", "addressLines": ["1 Main St", "Springfield"], "email": "ar@old.example", "taxId": "US-77", "paymentInstructions": "Wire to account 123"}',
        '2026-01-01T00:00:00Z', 'usr_a');
      insert into parties (id, kind, name, currency, payment_terms_days, created_at, created_by) values
        ('pty_old', 'advertiser', 'Old Advertiser', 'USD', 30, '2026-01-01T00:00:00Z', 'usr_a');
      insert into billing_documents (id, kind, run_id, party_id, currency, period_label, period_from, period_to, status, flags, subtotal, total,
        payment_terms_days, number, issue_date, due_date, created_at, bill_to, issuer) values
        ('inv_final', 'invoice', 'run_a', 'pty_old', 'USD', '2026-09', '2026-09-01', '2026-09-30', 'finalized', '[]', 10, 10, 30,
         'INV-2026-000007', '2026-10-01', '2026-10-31', '2026-10-01T00:00:00Z', '{}', '{}'),
        ('inv_draft', 'invoice', 'run_b', 'pty_old', 'USD', '2026-10', '2026-10-01', '2026-10-31', 'draft', '[]', 20, 20, 30,
         null, null, null, '2026-11-01T00:00:00Z', null, null);
      insert into number_series (series, last_value) values ('INV-2026', 7);
      insert into ledger_transactions (id, date, posted_at, description, source_type, source_id, document_number) values
        ('ltx_old', '2026-10-01', '2026-10-01T00:00:00Z', 'Invoice INV-2026-000007', 'invoice', 'inv_final', 'INV-2026-000007');
      insert into ledger_entries (transaction_id, line, account, currency, debit, credit) values
        ('ltx_old', 1, 'accounts_receivable:pty_old', 'USD', 10, 0),
        ('ltx_old', 2, 'media_revenue', 'USD', 0, 10);
      set session_replication_role = origin;`);
    await migrate(store);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('makes one default entity of the issuer setting, with no number prefix, so that the series go on as they were', async () => {
    const entities = await sql<Record<string, unknown>>`
      select id, name, legal_name, country, base_currency, tax_id, number_prefix, address_lines, email, payment_instructions, document_details
      from billing_entities`.execute(store.db);
    expect(entities.rows).toEqual([
      {
        id: defaultEntityId,
        name: 'Old Media LLC',
        legal_name: 'Old Media LLC',
        country: 'US',
        base_currency: 'USD',
        tax_id: 'US-77',
        number_prefix: null,
        address_lines: ['1 Main St', 'Springfield'],
        email: 'ar@old.example',
        payment_instructions: 'Wire to account 123',
        // The setting had no bank details (they came later): none, rather than the demo's.
        document_details: { bankDetails: null, remitToLines: [], paperSize: null },
      },
    ]);
    const series = await sql<{ series: string; last_value: number }>`select series, last_value from number_series`.execute(store.db);
    expect(series.rows).toEqual([{ series: 'INV-2026', last_value: 7 }]);
  });

  it('puts the parties, the finalized documents and the ledger in the default entity, and no draft in any', async () => {
    const party = await sql<{ billing_entity_id: string }>`select billing_entity_id from parties`.execute(store.db);
    expect(party.rows).toEqual([{ billing_entity_id: defaultEntityId }]);
    const documents = await sql<{ id: string; billing_entity_id: string | null }>`
      select id, billing_entity_id from billing_documents order by id`.execute(store.db);
    expect(documents.rows).toEqual([
      { id: 'inv_draft', billing_entity_id: null },
      { id: 'inv_final', billing_entity_id: defaultEntityId },
    ]);
    const ledger = await sql<{ billing_entity_id: string }>`select billing_entity_id from ledger_transactions`.execute(store.db);
    expect(ledger.rows).toEqual([{ billing_entity_id: defaultEntityId }]);
    // Migration 0024 sums the entries already posted per entity, account, currency and month.
    const sums = await sql<Record<string, unknown>>`
      select billing_entity_id, account, currency, month::text as month, debit::text as debit, credit::text as credit
      from ledger_balances order by account`.execute(store.db);
    expect(sums.rows).toEqual([
      {
        billing_entity_id: defaultEntityId,
        account: 'accounts_receivable:pty_old',
        currency: 'USD',
        month: '2026-10-01',
        debit: '10',
        credit: '0',
      },
      { billing_entity_id: defaultEntityId, account: 'media_revenue', currency: 'USD', month: '2026-10-01', debit: '0', credit: '10' },
    ]);
  });
});
