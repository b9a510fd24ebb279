-- One counter that every Tally transaction moves as its last statement (src/platform/context.ts),
-- so that a server process can tell whether anything changed since it cached an answer: on
-- PostgreSQL several processes share the database, and a read served from one process's cache must
-- not miss a write committed by another (src/http/read-cache.ts). The update is transactional: a
-- reader sees the new value only once the write that moved it has committed.
create table change_epoch (
  singleton boolean primary key default true check (singleton),
  epoch     bigint not null
);
insert into change_epoch (singleton, epoch) values (true, 0);
