-- Taxes (SPEC §10): rates per billing entity and country, parties' tax data, and the tax lines a
-- document and a credit note carry once issued. A rate is never deleted or changed in place: it
-- is ended (`active = false`) and another created, so that what a document charged stays
-- explainable by a rate that still exists.

create table tax_rates (
  id                text primary key,
  billing_entity_id text not null references billing_entities (id),
  -- The code the exports and the tax report use (e.g. DE-VAT-19), unique per entity.
  code              text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$'),
  name              text not null check (length(name) between 1 and 100),
  percent           numeric not null check (percent >= 0 and percent <= 100),
  -- The country of the parties it is charged to (ISO 3166-1 alpha-2).
  country           char(2) not null check (country ~ '^[A-Z]{2}$'),
  applies_to        text not null check (applies_to in ('sell', 'buy', 'both')),
  active            boolean not null,
  created_at        timestamptz not null,
  created_by        text not null,
  unique (billing_entity_id, code)
);
create index tax_rates_entity_country on tax_rates (billing_entity_id, country) where active;

create trigger tax_rates_no_delete before delete on tax_rates
  for each row execute function tally_refuse_change();

-- A party's tax data: where it is (what decides which rates apply), its tax id (a VAT number: an
-- EU business with one, billed from another EU country, is reverse-charged), and whether it is
-- exempt from the tax we charge.
alter table parties add column country char(2) check (country ~ '^[A-Z]{2}$');
alter table parties add column tax_id text check (length(tax_id) between 1 and 64);
alter table parties add column tax_exempt boolean not null default false;

-- What a finalized document was taxed: one line per rate (code, name and percent as they were),
-- on the document's net subtotal, rounded half-even once per document per rate; and the note it
-- prints (`Reverse charge`), if any. Written by finalization, with the document.
create table document_taxes (
  document_id text not null references billing_documents (id),
  position    integer not null,
  tax_rate_id text not null references tax_rates (id),
  code        text not null,
  name        text not null,
  percent     numeric not null,
  base        numeric not null,
  amount      numeric not null,
  primary key (document_id, position)
);
create trigger document_taxes_append_only before update or delete on document_taxes
  for each row execute function tally_refuse_change();
create trigger document_taxes_no_truncate before truncate on document_taxes
  for each statement execute function tally_refuse_change();

alter table billing_documents add column tax_total numeric not null default 0;
alter table billing_documents add column tax_note text;

-- A credit note on a taxed invoice takes back tax in the invoice's proportions: its tax part per
-- rate, [{code, percent, amount}], and its net part.
alter table credit_notes add column taxes jsonb not null default '[]' check (jsonb_typeof(taxes) = 'array');
