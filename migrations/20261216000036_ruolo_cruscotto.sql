-- The cockpit's select-only policies (`<table>_studio`, migration 0024) let a firm's
-- consultant read the plans of all the firm's enti in one query, once the cockpit's door
-- has set their ids in `app.enti_studio`. They applied to every role, so every read of an
-- ente's own rows carried them: the two permissive policies are ORed, the ente's own
-- comparison (`ente_id = app_ente()`) could no longer be used as an index condition
-- (evaluated once per scan) and became a filter evaluated, with the cockpit's, on every row
-- read. Measured on the 7,900 bench database, the plan's structures, objectives and phases
-- of one ente (95 rows) as the runtime role against the owner: 1.43–1.48 × with the
-- cockpit's policies, 0.72–1.06 × without them.
--
-- They now apply to a role of their own, which the cockpit's door sets (`SET LOCAL ROLE`)
-- for its transaction only; everywhere else they are not in the plan at all. It is also a
-- second lock: outside that role, a setting of `app.enti_studio` opens nothing.
--
-- The role is the cluster's (as the runtime role is): created once, by whichever database
-- gets here first. NOLOGIN: it is only ever set, by a runtime role that is its member and
-- does not inherit its privileges (`server/src/db.rs` grants both and checks it).
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'obiettivi_cruscotto') then
        begin
            create role obiettivi_cruscotto nologin noinherit nosuperuser nobypassrls
                nocreatedb nocreaterole;
        exception when duplicate_object or unique_violation then
            null; -- another database of the cluster created it meanwhile
        end;
    end if;
end $$;

do $$
declare t text;
begin
    foreach t in array array['piani', 'strutture', 'obiettivi', 'fasi', 'dipendenti',
                             'assegnazioni', 'monitoraggi', 'rilevazioni', 'relazioni',
                             'validazioni', 'allegati_firmati', 'scadenze_ente'] loop
        execute format('alter policy %I on %I to obiettivi_cruscotto', t || '_studio', t);
    end loop;
end $$;
