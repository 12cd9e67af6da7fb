-- Who signed in, from where, and what happened to their credentials: insert-only, like the
-- audit log (no UPDATE or DELETE policy; the grants are revoked in db.rs). Not an ente's
-- table: a login happens before any ente is chosen.
create table registro_accessi (
    id bigint generated always as identity primary key,
    -- None for an e-mail with no account.
    user_id uuid references users (id),
    email text not null check (length(email) <= 254),
    evento text not null check (evento in (
        'accesso', 'accesso_fallito', 'accesso_limitato', 'codice_errato', 'password_scaduta',
        'password_cambiata', '2fa_attivata', '2fa_disattivata', 'invito_accettato')),
    indirizzo text check (length(indirizzo) <= 64),
    at timestamptz not null default now()
);
create index registro_accessi_user on registro_accessi (user_id, at desc);
create index registro_accessi_at on registro_accessi (at desc);

alter table registro_accessi enable row level security;
alter table registro_accessi force row level security;
create policy registro_accessi_insert on registro_accessi for insert with check (true);
-- The platform administrators read it all; everyone else their own account's lines.
create policy registro_accessi_read on registro_accessi for select
    using (app_is_platform_admin() or user_id = app_user());
