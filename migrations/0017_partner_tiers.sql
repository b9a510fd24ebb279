-- Partner tiers (SPEC §9, payout hierarchy): a partner may belong to a tier that an offer's
-- `partnerPayouts.tiers` names (`gold`, `silver`, …); the offer pays a credited partner by its tier's
-- payout when the partner has no agreement of its own that applies, else by the offer's default.
-- A tier is a slug, the same shape as a line item key; null means no tier. Only partners have one.
alter table parties add column tier text;
alter table parties add constraint parties_tier_slug
  check (tier is null or (tier ~ '^[a-z0-9][a-z0-9_-]*$' and length(tier) <= 64));
alter table parties add constraint parties_tier_partner_only
  check (tier is null or kind = 'partner');
