-- A template version's policy asked, for every version row read, «may the caller see this
-- template?» with a PL/pgSQL call that ran a query on `modelli`, whose own policy ran
-- another on `enti` for the firm of the ente entered (`app_firm_dell_ente`, migration
-- 0037). A plan built from the library reads every adopted objective's current version:
-- with 30 adopted, its head statement took 0.481 ms as the runtime role against 0.204 ms
-- as the owner (`pgbench`, one connection), some 9 µs a row in the policy alone.
--
-- Now each version carries its template's scope (`ambito`: the firm, or the nil UUID for
-- the base library), kept equal to its template's by a foreign key on both columns (both
-- not null, so always checked; a template's firm cannot change under its versions), and
-- the policy compares it with settings, as the ente tables' policies do: no query per row,
-- no subquery (Citus, migration 0037).
--
-- The firm of the ente entered is written by `app_entra` beside the ente's id, in
-- `app.firm_ente` as «ente id/firm id», when it reads the ente anyway; a later door of the
-- same request writes what `app_entra` said (`context::impostazioni`), and `app_imposta`
-- reads it once when it sets the ente. `app_serve_ente(firm)` holds only while the setting
-- names the ente of `app.ente_id`: an ente set by `set_config` alone, without its firm,
-- sees no firm's rows (none leak from an ente set before). Otherwise the answers are those
-- of migration 0037, where `app_firm_dell_ente()` read `enti` for every row.

-- No firm may take the base library's scope.
alter table firms add constraint firms_id_non_nil
    check (id <> '00000000-0000-0000-0000-000000000000'::uuid);

alter table modelli add column ambito uuid not null
    generated always as (coalesce(firm_id, '00000000-0000-0000-0000-000000000000'::uuid)) stored;
alter table modelli add constraint modelli_id_ambito unique (id, ambito);

-- The backfill reads and writes every version whatever the settings: the owner is not
-- always a superuser, and both tables force row-level security on their owner.
alter table modelli no force row level security;
alter table modelli_versioni no force row level security;
alter table modelli_versioni add column ambito uuid;
update modelli_versioni v set ambito = m.ambito from modelli m where m.id = v.modello_id;
alter table modelli_versioni alter column ambito set not null,
    add constraint modelli_versioni_ambito
        foreign key (modello_id, ambito) references modelli (id, ambito);
alter table modelli force row level security;
alter table modelli_versioni force row level security;

-- «Does `p_firm` serve the ente entered?»: one comparison of text, no table read. SQL, so
-- that a policy inlines it. Measured against a first form that parsed the setting and fell
-- back on `app_firm_dell_ente()` (`pgbench`, one connection, the plan's head statement
-- with 30 adopted objectives, eight alternated runs): 0.19–0.29 ms against 0.20–0.33 ms,
-- with the policies replaced by a constant 0.12–0.18, as the owner 0.10–0.18.
create function app_serve_ente(p_firm uuid) returns boolean language sql stable as $$
    select current_setting('app.firm_ente', true)
           = current_setting('app.ente_id', true) || '/' || p_firm::text $$;

alter policy modelli_versioni_read on modelli_versioni
    using (ambito = '00000000-0000-0000-0000-000000000000'::uuid or ambito = app_firm()
           or app_serve_ente(ambito));
-- Written only by the owning firm's consultants: the key makes `ambito` the template's.
alter policy modelli_versioni_insert on modelli_versioni
    with check (ambito = app_firm());
alter policy modelli_read on modelli
    using (firm_id is null or firm_id = app_firm() or app_serve_ente(firm_id));
alter policy firms_read on firms
    using (app_is_platform_admin() or id = app_firm() or app_serve_ente(id));
alter policy scadenze_studio_lettura on scadenze_studio
    using (firm_id = app_firm() or app_is_platform_admin() or app_serve_ente(firm_id));
alter policy smvp_studio_read on smvp_studio
    using (firm_id = app_firm() or app_serve_ente(firm_id));

drop function app_modello_visibile(uuid);
drop function app_modello_della_firm(uuid);
drop function app_firm_dell_ente();

-- `app_imposta` (migration 0024) as it was and, when it sets the ente, the ente's firm
-- beside it, read once here (the start-up job, the demo, a transaction that sets its ente
-- by itself) rather than by the policies for every row. Read after `app.ente_id` is set,
-- so that the ente's policy shows its row whatever the other settings, as it shows it to
-- `app_firm_dell_ente`; an ente's firm never changes (`enti_firm_immutabile`).
create or replace function app_imposta(p_chiave text, p_valore text) returns void
language plpgsql as $$
begin
    if p_chiave not in ('app.user_id', 'app.firm_id', 'app.platform_admin', 'app.ente_id',
                        'app.ruolo', 'app.dipendente_id', 'app.enti_studio') then
        raise exception 'impostazione non ammessa: %', p_chiave;
    end if;
    execute format('set local %s = %L', p_chiave, coalesce(p_valore, ''));
    if p_chiave = 'app.ente_id' then
        perform set_config('app.firm_ente', coalesce(p_valore, '') || '/'
                           || coalesce((select e.firm_id::text from enti e
                                         where e.id = app_ente()), ''), true);
    end if;
end $$;

-- `app_entra` (migration 0027) as it was, the ente's firm written beside its id and
-- returned (`ente_firm`), so that a later transaction of the same request, which writes
-- the settings itself (`context::impostazioni`), writes it too.
drop function app_entra(text);
create function app_entra(p_slug text)
returns table (ente_id uuid, nome text, ruolo text, ente_firm uuid)
language plpgsql as $$
declare
    v_id uuid;
    v_nome text;
    v_firm uuid;
    v_ruolo text;
    v_chiamante text := coalesce(current_setting('app.firm_id', true), '');
begin
    select e.id, e.name, e.firm_id into v_id, v_nome, v_firm from enti e where e.slug = p_slug;
    if v_id is null then
        return;
    end if;
    if v_chiamante <> '' and v_firm = v_chiamante::uuid then
        v_ruolo := 'consultant';
    else
        select m.role into v_ruolo from memberships m
         where m.user_id = nullif(current_setting('app.user_id', true), '')::uuid
           and m.ente_id = v_id and not m.disabled and m.invito_hash is null;
    end if;
    if v_ruolo is null then
        return;
    end if;
    perform set_config('app.ente_id', v_id::text, true), set_config('app.ruolo', v_ruolo, true),
            set_config('app.firm_ente', v_id::text || '/' || coalesce(v_firm::text, ''), true);
    return query select v_id, v_nome, v_ruolo, v_firm;
end $$;

-- The caller's read (migration 0039) as it was, with the firm of the ente it entered.
drop function app_chiamante_nell_ente(text, interval, text, boolean);
create function app_chiamante_nell_ente(p_chiave text, p_durata interval,
                                                   p_slug text, p_menu boolean)
returns table (
    user_id uuid, sessione uuid, email text, display_name text, is_platform_admin boolean,
    password_temporanea boolean, deve_attivare_2fa boolean, firm_id uuid, vista_dovuta boolean,
    ente_id uuid, ente_nome text, ruolo text, promemoria bigint, altri_enti boolean,
    ente_firm uuid
)
language plpgsql as $$
declare
    v_chiave bytea := sha256(convert_to(p_chiave, 'UTF8'));
    v_user uuid;
    v_sessione uuid;
    v_password_at timestamptz;
    c record;
    v_ente uuid;
    v_nome text;
    v_ruolo text;
    v_firm uuid;
    v_promemoria bigint;
    v_altri boolean;
    v_ok text;
begin
    -- The session of the key (its policy reads `app.chiave`), open and not expired.
    v_ok := set_config('app.chiave', encode(v_chiave, 'hex'), true);
    select s.user_id, s.id, s.password_at into v_user, v_sessione, v_password_at
      from sessioni_utente s
     where s.chiave = v_chiave and s.chiusa_at is null and s.creata_at > now() - p_durata
       and exists (select 1 from tower_sessions.session t
                    where t.id = p_chiave and t.expiry_date > now());
    v_ok := set_config('app.chiave', '', true);
    if v_user is null then
        return;
    end if;
    -- Every setting written, the others empty, as a door's opening writes them; then the
    -- account, if enabled, its temporary password (if any) not expired, the password the
    -- session was opened with.
    v_ok := set_config('app.user_id', v_user::text, true)
            || set_config('app.firm_id', '', true)
            || set_config('app.platform_admin', '', true)
            || set_config('app.ente_id', '', true)
            || set_config('app.ruolo', '', true);
    select u.email, u.display_name, u.is_platform_admin, u.password_temporanea,
           app_richiede_2fa(u.id)
             and not u.totp_attivo as deve_attivare_2fa,
           (select fm.firm_id from firm_memberships fm
             where fm.user_id = u.id and fm.invito_hash is null) as firm_id,
           s.vista_at < now() - interval '1 minute' as vista_dovuta
      into c
      from users u join sessioni_utente s on s.user_id = u.id
     where u.id = v_user and not u.disabled
       and not (u.password_temporanea and u.password_scade_at < now())
       and s.id = v_sessione and s.chiusa_at is null
       and u.password_changed_at = v_password_at;
    if not found then
        return;
    end if;
    v_ok := set_config('app.firm_id', coalesce(c.firm_id::text, ''), true)
            || set_config('app.platform_admin',
                          case when c.is_platform_admin then 'on' else '' end, true);
    if p_menu then
        select count(*) into v_promemoria from promemoria p
         where p.user_id = v_user and p.letto_il is null;
    end if;
    -- The ente of the slug, as the door enters it (the settings it reads are written).
    if p_slug is not null then
        select e.ente_id, e.nome, e.ruolo, e.ente_firm into v_ente, v_nome, v_ruolo, v_firm
          from app_entra(p_slug) e;
    end if;
    if p_menu and v_ente is not null then
        v_altri := app_altri_enti(v_user, v_ente, c.firm_id);
    end if;
    user_id := v_user;
    sessione := v_sessione;
    email := c.email;
    display_name := c.display_name;
    is_platform_admin := c.is_platform_admin;
    password_temporanea := c.password_temporanea;
    deve_attivare_2fa := c.deve_attivare_2fa;
    firm_id := c.firm_id;
    vista_dovuta := c.vista_dovuta;
    ente_id := v_ente;
    ente_nome := v_nome;
    ruolo := v_ruolo;
    promemoria := v_promemoria;
    altri_enti := v_altri;
    ente_firm := v_firm;
    return next;
end $$;
-- As migration 0034 set it on the function dropped above.
alter function app_chiamante_nell_ente(text, interval, text, boolean) set enable_bitmapscan = off;
