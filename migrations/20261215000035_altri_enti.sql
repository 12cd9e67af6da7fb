-- «May the caller enter another ente than this one?» was written twice: in
-- `app_chiamante_nell_ente` (a page rendered on the server) and in `enti::per_menu` (the
-- header asked from the browser). Both are an `exists` meant to stop at the first other
-- membership, and under the memberships' policy (one's own, or the ente entered: an OR)
-- the planner answers it with a bitmap of every membership of the caller's, which cannot
-- stop at the first row (68 index pages for a member of 7,900 enti, see migration 0034).
-- Migration 0034 planned the whole caller function without bitmap scans; `per_menu` kept
-- the bitmap. The question is now one function, planned without bitmap scans, which both
-- call; the caller function is otherwise as migration 0032 wrote it.
--
-- Invoker's rights: the caller's own row-level security decides what «another» may be.
-- PL/pgSQL, so its plan is kept for the session (a SQL function with a SET clause is
-- planned again on every call).
create function app_altri_enti(p_user uuid, p_ente uuid, p_firm uuid) returns boolean
language plpgsql stable
set enable_bitmapscan = off
as $$
begin
    return exists (select 1 from memberships m
                    where m.user_id = p_user and m.ente_id <> p_ente
                      and not m.disabled and m.invito_hash is null)
        or exists (select 1 from enti x where x.firm_id = p_firm and x.id <> p_ente);
end $$;

-- CREATE OR REPLACE assigns every property the command does not state its default: the
-- SET of migration 0034 goes with it (its other reads are by key, a plain index scan
-- anyway).
create or replace function app_chiamante_nell_ente(p_chiave text, p_durata interval,
                                                   p_slug text, p_menu boolean)
returns table (
    user_id uuid,
    sessione uuid,
    email text,
    display_name text,
    is_platform_admin boolean,
    password_temporanea boolean,
    deve_attivare_2fa boolean,
    firm_id uuid,
    vista_dovuta boolean,
    ente_id uuid,
    ente_nome text,
    ruolo text,
    promemoria bigint,
    altri_enti boolean
)
language plpgsql as $$
declare
    c record;
    v_ente uuid;
    v_nome text;
    v_ruolo text;
    v_promemoria bigint;
    v_altri boolean;
begin
    select * into c from app_chiamante_della_sessione(p_chiave, p_durata);
    if not found then
        return;
    end if;
    -- `app.user_id` is the caller's already (`app_chiamante`); the rest as a door's
    -- opening writes it (`ssr/context.rs`, `impostazioni`).
    perform set_config('app.firm_id', coalesce(c.firm_id::text, ''), true),
            set_config('app.platform_admin',
                       case when c.is_platform_admin then 'on' else '' end, true);
    if p_menu then
        -- Before entering: the reminders the caller reads from any page (the ente's own
        -- policy would add none of theirs).
        select count(*) into v_promemoria from promemoria p
         where p.user_id = c.user_id and p.letto_il is null;
    end if;
    if p_slug is not null then
        select a.ente_id, a.nome, a.ruolo into v_ente, v_nome, v_ruolo
          from app_entra(p_slug) a;
    end if;
    if p_menu and v_ente is not null then
        v_altri := app_altri_enti(c.user_id, v_ente, c.firm_id);
    end if;
    return query
    select c.user_id, c.sessione, c.email, c.display_name, c.is_platform_admin,
           c.password_temporanea, c.deve_attivare_2fa, c.firm_id, c.vista_dovuta,
           v_ente, v_nome, v_ruolo, v_promemoria, v_altri;
end $$;
