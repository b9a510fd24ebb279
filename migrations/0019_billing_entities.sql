-- Billing entities (SPEC §10): the legal entities that issue the documents, each with its issuer
-- block, country, base currency and gap-free number series of its own. A party belongs to one
-- entity; a finalized document and its ledger transactions name the entity that issued them.
--
-- An existing store moves into one default entity: its issuer block is the `issuer` setting's
-- (or the demo issuer's), and it has no number prefix, so its series go on as before
-- (`INV-2026-000042` is followed by `INV-2026-000043`). Entities created later have a prefix and
-- their own series (`INV-EU-2026-000001`).

create table billing_entities (
  id                   text primary key,
  name                 text not null check (length(name) between 1 and 200),
  legal_name           text not null check (length(legal_name) between 1 and 200),
  country              char(2) not null check (country ~ '^[A-Z]{2}$'),
  base_currency        char(3) not null check (base_currency ~ '^[A-Z]{3}$'),
  tax_id               text check (length(tax_id) between 1 and 64),
  -- Null only for the default entity of a store created before entities (numbers unchanged).
  number_prefix        text unique check (number_prefix ~ '^[A-Z0-9]{1,10}$'),
  address_lines        jsonb not null check (jsonb_typeof(address_lines) = 'array'),
  email                text,
  payment_instructions text,
  -- What the PDF prints for payment (bank details, remit-to address, paper size): a JSON object
  -- checked by the API; '{}' for none.
  document_details     jsonb not null default '{}' check (jsonb_typeof(document_details) = 'object'),
  created_at           timestamptz not null,
  created_by           text not null,
  updated_at           timestamptz not null
);

insert into billing_entities (id, name, legal_name, country, base_currency, tax_id, number_prefix, address_lines, email,
  payment_instructions, document_details, created_at, created_by, updated_at)
select 'ent_00000000000000000000000000',
  coalesce(issuer.value ->> 'name', 'Tally Demo Media, Inc.'),
  coalesce(issuer.value ->> 'name', 'Tally Demo Media, Inc.'),
  'US', 'USD',
  issuer.value ->> 'taxId',
  null,
  coalesce(issuer.value -> 'addressLines', '["100 Example Street", "New York, NY 10001", "United States"]'::jsonb),
  case when issuer.value is null then 'billing@example.com' else issuer.value ->> 'email' end,
  case when issuer.value is null then 'Pay by bank transfer quoting the invoice number.' else issuer.value ->> 'paymentInstructions' end,
  -- The demo issuer's account (Stripe's published test ACH numbers, which reach no one) and PO box,
  -- or what the issuer setting had.
  case when issuer.value is null then
    '{"bankDetails": {"accountName": "Tally Demo Media, Inc.", "bankName": "Example Bank, N.A.", "iban": null, "bic": null,
      "accountNumber": "000123456789", "routingNumber": "110000000", "reference": null},
      "remitToLines": ["Tally Demo Media, Inc.", "PO Box 1000", "New York, NY 10008", "United States"], "paperSize": null}'::jsonb
  else jsonb_build_object('bankDetails', issuer.value -> 'bankDetails', 'remitToLines', coalesce(issuer.value -> 'remitToLines', '[]'::jsonb),
    'paperSize', issuer.value -> 'paperSize') end,
  now(), 'system', now()
from (select 1) one left join settings issuer on issuer.key = 'issuer';

-- Every party belongs to an entity; existing ones to the default, which is also what a party
-- written without one gets (the default entity is never deleted and has the smallest id, so it is
-- always the first entity, the API's default too).
alter table parties add column billing_entity_id text not null default 'ent_00000000000000000000000000' references billing_entities (id);
create index parties_billing_entity on parties (billing_entity_id, id);

-- A finalized document names its entity (set when it is finalized; drafts have none). Adding the
-- column with a default fills existing rows without an UPDATE, so the append-only trigger of
-- finalized documents is not involved; drafts are cleared after.
alter table billing_documents add column billing_entity_id text default 'ent_00000000000000000000000000' references billing_entities (id);
alter table billing_documents alter column billing_entity_id drop default;
update billing_documents set billing_entity_id = null where status <> 'finalized';
alter table billing_documents add constraint billing_documents_entity_when_finalized
  check ((status = 'finalized') = (billing_entity_id is not null));
create index billing_documents_entity on billing_documents (billing_entity_id, kind, issue_date) where billing_entity_id is not null;

-- Every ledger transaction belongs to the entity of the document it posts.
alter table ledger_transactions add column billing_entity_id text not null default 'ent_00000000000000000000000000' references billing_entities (id);
alter table ledger_transactions alter column billing_entity_id drop default;
create index ledger_transactions_entity on ledger_transactions (billing_entity_id, date);

-- A party moves to another entity only while no finalized document names it: its documents,
-- receivable and series would otherwise span two entities. Checked here so that no path can skip
-- it; the API turns the error into 409 party_has_documents.
create function tally_party_entity_fixed() returns trigger language plpgsql as $$
begin
  if new.billing_entity_id is distinct from old.billing_entity_id
     and exists (select 1 from billing_documents where party_id = old.id and status = 'finalized') then
    raise exception 'party_has_documents: party % has finalized documents of entity %', old.id, old.billing_entity_id
      using errcode = 'P0001';
  end if;
  return new;
end;
$$;
create trigger parties_entity_fixed before update of billing_entity_id on parties
  for each row execute function tally_party_entity_fixed();

create trigger billing_entities_no_delete before delete on billing_entities
  for each row execute function tally_refuse_change();
