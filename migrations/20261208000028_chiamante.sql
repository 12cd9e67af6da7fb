-- Every request reads its caller. It did so in a transaction of its own: BEGIN with the
-- caller's settings, the query, ROLLBACK, three messages to the database. `app_chiamante`
-- writes the same settings and reads the same row in one statement, which runs in the
-- implicit transaction of that one statement: its `set_config(…, true)` ends with it, and
-- nothing of it stays on the pooled connection.

-- Whether the second factor is required of the account (platform administrators, the people
-- of an ente that asks for it, the consultants of a firm that does; the demo's accounts are
-- exempt). Reads the caller's own memberships: `app.user_id` must be set. In PL/pgSQL, whose
-- plans the connection keeps: a SQL function that is not inlined is planned again at every
-- statement that calls it (before PostgreSQL 18), 2 ms here with the policies it brings in,
-- ten times the whole caller's read (`pgbench`, 2,100 against 21,500 a second).
create or replace function app_richiede_2fa(p_user uuid)
returns boolean
language plpgsql stable as $$
begin
    return (
        select not u.totp_esente and (u.is_platform_admin or exists (
                select 1 from memberships m join enti e on e.id = m.ente_id
                 where m.user_id = u.id and m.invito_hash is null and not m.disabled
                   and e.richiede_2fa)
            or exists (
                select 1 from firm_memberships fm
                  join impostazioni_studio i on i.firm_id = fm.firm_id
                 where fm.user_id = u.id and fm.invito_hash is null and i.richiede_2fa))
          from users u where u.id = p_user);
end $$;

-- The caller `p_user` of the session `p_sessione`, if the account is enabled, its temporary
-- password (if any) not expired, and the session open. Every setting is written, the
-- others empty, as a transaction's opening writes them.
create or replace function app_chiamante(p_user uuid, p_sessione uuid)
returns table (
    email text,
    display_name text,
    is_platform_admin boolean,
    password_changed_at timestamptz,
    password_temporanea boolean,
    deve_attivare_2fa boolean,
    firm_id uuid,
    vista_dovuta boolean
)
language plpgsql as $$
begin
    perform set_config('app.user_id', p_user::text, true),
            set_config('app.firm_id', '', true),
            set_config('app.platform_admin', '', true),
            set_config('app.ente_id', '', true),
            set_config('app.ruolo', '', true);
    return query
    select u.email, u.display_name, u.is_platform_admin, u.password_changed_at,
           u.password_temporanea,
           app_richiede_2fa(u.id) and not u.totp_attivo,
           (select fm.firm_id from firm_memberships fm
             where fm.user_id = u.id and fm.invito_hash is null),
           s.vista_at < now() - interval '1 minute'
      from users u join sessioni_utente s on s.user_id = u.id
     where u.id = p_user and not u.disabled
       and not (u.password_temporanea and u.password_scade_at < now())
       and s.id = p_sessione and s.chiusa_at is null;
end $$;
