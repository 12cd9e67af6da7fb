-- The second factor: TOTP (RFC 6238) with single-use recovery codes. Required for platform
-- administrators (the demo's accounts excepted) and for the people of an ente whose
-- administrators ask for it.

alter table users
    -- The TOTP secret, encrypted with the server key (the account's id as associated data).
    add column totp_segreto bytea,
    add column totp_attivo boolean not null default false,
    -- The last time step accepted: a code is accepted once.
    add column totp_ultimo_passo bigint,
    -- Demo accounts only: their published passwords are meant for trying the product.
    add column totp_esente boolean not null default false,
    add constraint users_totp_attivo check (not totp_attivo or totp_segreto is not null);

alter table enti add column richiede_2fa boolean not null default false;

create table codici_recupero (
    user_id uuid not null references users (id) on delete cascade,
    hash text not null check (hash ~ '^[0-9a-f]{64}$'),
    usato_at timestamptz,
    primary key (user_id, hash)
);
alter table codici_recupero enable row level security;
alter table codici_recupero force row level security;
create policy codici_recupero_propri on codici_recupero
    using (user_id = app_user()) with check (user_id = app_user());

drop function credenziali_accesso(text);
create function credenziali_accesso(p_email text)
returns table (id uuid, password_hash text, disabled boolean, password_changed_at timestamptz,
               password_temporanea boolean, password_scaduta boolean, totp_attivo boolean)
language sql stable security definer set search_path = public, pg_temp as $$
    select u.id, u.password_hash, u.disabled, u.password_changed_at, u.password_temporanea,
           coalesce(u.password_scade_at < now(), false), u.totp_attivo
      from users u where u.email = p_email
$$;
