-- Two shapes of row-level security policy did, for every row or in every plan, work whose
-- answer was known beforehand. The answers are the same; the work is less.
--
-- 1. The cockpit's select-only policies on the ente tables (`<table>_studio`, migration
--    0024) called `app_studio_ha(ente_id)`, which for every row filtered cast the row's
--    ente_id to text and searched the firm's list of enti for it, also outside the cockpit,
--    where the list is empty. It now looks at the list first and stops there when it is
--    empty: every read of an ente's own rows. The policy keeps its shape (a comparison
--    with settings, no subquery, no table read): the rule that keeps ente tables
--    distributable by ente (`server/tests/it/schema.rs`).
-- 2. Four policies of global tables asked for the firm of the ente entered with a subquery
--    on `enti`, which brought `enti`'s own policy (and its subquery on `memberships`) into
--    every plan reading the table, the templates' versions included through their `exists`
--    on `modelli`. A function asks it instead, once per statement (a scalar subquery).
--    PL/pgSQL, not SQL: a SQL function with a FROM is not inlined and would be planned
--    again at every statement; PL/pgSQL keeps its plan for the session. It runs as its
--    caller, so `enti`'s policy still applies to its read.
--
-- Measured server side on the plan's reads as the runtime role (the statements in a loop of
-- 2,000, the N = 10 bench database, three alternated rounds): the objectives 95–117 →
-- 70–90 µs, the phases 216–310 → 162–211 µs, the templates adopted 40–63 → 23–27 µs.

create or replace function app_studio_ha(p_ente uuid) returns boolean language sql stable as
$$ select coalesce(current_setting('app.enti_studio', true), '') <> ''
          and strpos(current_setting('app.enti_studio', true), p_ente::text) > 0 $$;

create function app_firm_dell_ente() returns uuid language plpgsql stable as
$$ begin return (select e.firm_id from enti e where e.id = app_ente()); end $$;

alter policy modelli_read on modelli
    using (firm_id is null or firm_id = app_firm() or firm_id = (select app_firm_dell_ente()));
alter policy firms_read on firms
    using (app_is_platform_admin() or id = app_firm() or id = (select app_firm_dell_ente()));
alter policy smvp_studio_read on smvp_studio
    using (firm_id = app_firm() or firm_id = (select app_firm_dell_ente()));
alter policy scadenze_studio_lettura on scadenze_studio
    using (firm_id = app_firm() or app_is_platform_admin() or firm_id = (select app_firm_dell_ente()));
