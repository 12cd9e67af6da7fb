-- The caller's read (`app_chiamante_nell_ente`, migration 0040) asked on every request
-- whether the account must have a second factor (`app_richiede_2fa`) and then discarded
-- the answer when the account has one already (`not u.totp_attivo`) or is exempt (the
-- rule's first test). That call runs a statement of its own, nine plan nodes with the
-- policies of `memberships`, `enti`, `firm_memberships` and `impostazioni_studio`, set up
-- on every request. The two columns are tested first now, so the call is made only for
-- an account it can change: PostgreSQL evaluates an `and` in a select list left to right
-- and stops at the first false (what it does, not a documented promise: only the time
-- depends on it). The answer is the same for every account either way: the rule returns
-- `not totp_esente and (...)`, and `false and x` is `false`.
--
-- Measured with `pgbench` (one connection, the runtime role, BEGIN READ ONLY, the caller's
-- read with the slug and the header, ROLLBACK; `bench genera 10`, 14 alternated 2 s runs,
-- exempt account): median 0.257 ms before, 0.210 after. For an account that is neither
-- exempt nor has a second factor the call is made as before. Merging the read's
-- statements (the session with the account, `app_entra`'s three in one) was measured
-- too, for such an account, and changed nothing (20 alternated runs, median ratio 1.01):
-- the cost is the plan nodes and policies set up, not the number of statements.

-- The caller's read (migration 0040) as it was, the second factor's rule asked last.
create or replace function app_chiamante_nell_ente(p_chiave text, p_durata interval,
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
           not u.totp_attivo and not u.totp_esente
             and app_richiede_2fa(u.id) as deve_attivare_2fa,
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
-- CREATE OR REPLACE resets the function's SET (migration 0035): stated again.
alter function app_chiamante_nell_ente(text, interval, text, boolean) set enable_bitmapscan = off;
