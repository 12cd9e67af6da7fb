-- A request's session and caller in one statement. The middleware read the session store's
-- record (one statement, and the pool's check of the connection given back), then the
-- caller (the same again). What it read in the record is fixed at login: the user, the
-- session's line here, the login time, the password's time. The line now holds them: the
-- cookie's key (its SHA-256, as the key is as good as a password) and the password's time
-- (`creata_at` is the login). `app_chiamante_della_sessione` finds the line by the key,
-- checks it against the store's record (still there, not past its idle expiry), and reads
-- the caller. A line without a key (a session opened before this) matches no cookie: its
-- owner signs in again.
alter table sessioni_utente
    add column chiave bytea,
    add column password_at timestamptz;
create unique index sessioni_utente_chiave on sessioni_utente (chiave);

-- The line of the key in `app.chiave` (hex of its SHA-256), before the caller is known.
-- Whoever holds the key is that session.
create policy sessioni_utente_della_chiave on sessioni_utente for select
    using (chiave = decode(nullif(current_setting('app.chiave', true), ''), 'hex'));

-- The caller of the session whose cookie's key is `p_chiave`, if the line is open, younger
-- than `p_durata` (the absolute lifetime), its password's time still the account's, and the
-- store's record there and not expired. In PL/pgSQL: the store's table is made after the
-- migrations (`db::migrate`), and is only looked up when the function runs.
create or replace function app_chiamante_della_sessione(p_chiave text, p_durata interval)
returns table (
    user_id uuid,
    sessione uuid,
    email text,
    display_name text,
    is_platform_admin boolean,
    password_temporanea boolean,
    deve_attivare_2fa boolean,
    firm_id uuid,
    vista_dovuta boolean
)
language plpgsql as $$
declare
    v_chiave bytea := sha256(convert_to(p_chiave, 'UTF8'));
    v_user uuid;
    v_sessione uuid;
    v_password_at timestamptz;
begin
    perform set_config('app.chiave', encode(v_chiave, 'hex'), true);
    select s.user_id, s.id, s.password_at into v_user, v_sessione, v_password_at
      from sessioni_utente s
     where s.chiave = v_chiave and s.chiusa_at is null and s.creata_at > now() - p_durata
       and exists (select 1 from tower_sessions.session t
                    where t.id = p_chiave and t.expiry_date > now());
    perform set_config('app.chiave', '', true);
    if v_user is null then
        return;
    end if;
    return query
    select v_user, v_sessione, c.email, c.display_name, c.is_platform_admin,
           c.password_temporanea, c.deve_attivare_2fa, c.firm_id, c.vista_dovuta
      from app_chiamante(v_user, v_sessione) c
     where c.password_changed_at = v_password_at;
end $$;
