-- Least privilege inside the database, whatever the application does.

-- The audit log is insert-only: no UPDATE or DELETE policy (and no such grant, see db.rs).
drop policy audit_log_ente on audit_log;
create policy audit_log_read on audit_log for select using (ente_id = app_ente());
create policy audit_log_insert on audit_log for insert with check (ente_id = app_ente());

-- Firms: read by their consultants and from their enti; created, renamed and deleted by the
-- platform administrators only (a consultant could delete their firm through the old
-- policy, whose USING clause also governed DELETE).
drop policy firms_access on firms;
create policy firms_read on firms for select
    using (app_is_platform_admin() or id = app_firm()
           or id in (select e.firm_id from enti e where e.id = app_ente()));
create policy firms_write on firms for all
    using (app_is_platform_admin()) with check (app_is_platform_admin());

-- The firm that manages an ente is changed by the platform administrators only: not from
-- inside the ente, not by a consultant moving an ente to or from their firm.
create function enti_firm_immutabile() returns trigger language plpgsql as $$
begin
    if new.firm_id is distinct from old.firm_id and not app_is_platform_admin() then
        raise exception 'lo studio che gestisce un ente lo cambia solo l''amministratore della piattaforma'
            using errcode = 'insufficient_privilege', constraint = 'enti_firm_immutabile';
    end if;
    return new;
end $$;
create trigger enti_firm_immutabile before update on enti
    for each row execute function enti_firm_immutabile();

-- Password hashes: the runtime role may write them but not read the column (see db.rs);
-- the login path and the password change read one hash at a time through these functions.
create function credenziali_accesso(p_email text)
returns table (id uuid, password_hash text, disabled boolean, password_changed_at timestamptz,
               password_temporanea boolean, password_scaduta boolean)
language sql stable security definer set search_path = public, pg_temp as $$
    select u.id, u.password_hash, u.disabled, u.password_changed_at, u.password_temporanea,
           coalesce(u.password_scade_at < now(), false)
      from users u where u.email = p_email
$$;

-- Only the signed-in user's own hash (app.user_id set by the caller's transaction).
create function hash_password_propria() returns text
language sql stable security definer set search_path = public, pg_temp as $$
    select u.password_hash from users u where u.id = app_user()
$$;
