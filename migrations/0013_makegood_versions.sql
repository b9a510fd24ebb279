-- Makegoods (SPEC §8): a version may be of kind 'makegood', a draft amendment that adds a line item
-- delivering at no charge what another line under-delivered. It follows the same approval flow as
-- any version, so only the kind check widens; no row changes.
alter table contract_versions drop constraint contract_versions_kind_check;
alter table contract_versions add constraint contract_versions_kind_check
  check (kind in ('original', 'amendment', 'renewal', 'termination', 'makegood'));
