-- A line's explain is stored as its values without its keys (billing/documents/explain-codec.ts):
-- `[shape, value, …]` in document_lines.explain, where the shape, the explain's nested keys, is
-- kept here once, by the hash of its text. About 1 kB of JSON a line becomes about a third of that,
-- which a billing run of tens of thousands of lines writes, and reads put the keys back. Lines
-- written before keep their whole objects; a read tells the two apart (an object or an array).
-- Shapes are content: never changed, never deleted.
create table explain_shapes (
  id    text primary key,
  shape json not null
);
create trigger explain_shapes_append_only before update or delete on explain_shapes
  for each row execute function tally_refuse_change();
create trigger explain_shapes_no_truncate before truncate on explain_shapes
  for each statement execute function tally_refuse_change();
