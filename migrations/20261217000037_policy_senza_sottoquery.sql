-- No policy asks its question with a subquery any more. Citus refuses a subquery in the
-- policy of a distributed table and of a reference table alike («Subqueries are not
-- supported in policies on distributed tables», `scripts/citus-prova.sh`): seven global
-- tables could not become reference tables, and with `enti` among them the server's first
-- join of an ente table with `enti` failed. The ente tables' policies were already
-- comparisons with settings (`server/tests/it/schema.rs`); the seven now ask the same
-- questions through functions. The answers are the same.
--
-- PL/pgSQL, so each plan is kept for the session; invoker's rights, so the caller's own
-- row-level security still applies to what the functions read (as in `app_altri_enti`).
-- They are evaluated per row read instead of once per statement (the scalar subqueries of
-- migration 0033): these tables are small and read by key, and each function is the last
-- arm of its OR, reached only when the settings have not answered already.

-- «Is the caller an accepted member of this ente?» (migration 0017's `exists`).
create function app_membro_di(p_ente uuid) returns boolean language plpgsql stable as $$
begin
    return exists (select 1 from memberships m
                    where m.ente_id = p_ente and m.user_id = app_user()
                      and m.invito_hash is null);
end $$;

-- «Is the caller an accepted consultant of this firm?»
create function app_consulente_di(p_firm uuid) returns boolean language plpgsql stable as $$
begin
    return exists (select 1 from firm_memberships fm
                    where fm.firm_id = p_firm and fm.user_id = app_user()
                      and fm.invito_hash is null);
end $$;

-- «May the caller see this template?» (its own policy answers) and «is it their firm's?»
create function app_modello_visibile(p_modello uuid) returns boolean language plpgsql stable as $$
begin
    return exists (select 1 from modelli m where m.id = p_modello);
end $$;

create function app_modello_della_firm(p_modello uuid) returns boolean language plpgsql stable as $$
begin
    return exists (select 1 from modelli m where m.id = p_modello and m.firm_id = app_firm());
end $$;

alter policy enti_access on enti
    using (app_is_platform_admin() or id = app_ente() or firm_id = app_firm()
           or app_membro_di(id));
alter policy firms_read on firms
    using (app_is_platform_admin() or id = app_firm() or id = app_firm_dell_ente());
alter policy modelli_read on modelli
    using (firm_id is null or firm_id = app_firm() or firm_id = app_firm_dell_ente());
alter policy modelli_versioni_read on modelli_versioni
    using (app_modello_visibile(modello_id));
alter policy modelli_versioni_insert on modelli_versioni
    with check (app_modello_della_firm(modello_id));
alter policy impostazioni_studio_accesso on impostazioni_studio
    using (app_is_platform_admin() or firm_id = app_firm() or app_consulente_di(firm_id));
alter policy scadenze_studio_lettura on scadenze_studio
    using (firm_id = app_firm() or app_is_platform_admin() or firm_id = app_firm_dell_ente());
alter policy smvp_studio_read on smvp_studio
    using (firm_id = app_firm() or firm_id = app_firm_dell_ente());
