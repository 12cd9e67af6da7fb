-- A consultancy firm may require the second factor of all its consultants, as an ente may
-- of its people. The firm's own settings live apart from `firms`, which only platform
-- administrators change: its consultants change these. Readable by the firm's consultants
-- with only their user id set (at login, before the firm is known to the request).
create table impostazioni_studio (
    firm_id uuid primary key references firms (id),
    richiede_2fa boolean not null default false,
    aggiornato_da uuid references users (id),
    aggiornato_il timestamptz not null default now()
);
alter table impostazioni_studio enable row level security;
alter table impostazioni_studio force row level security;
create policy impostazioni_studio_accesso on impostazioni_studio
    using (app_is_platform_admin() or firm_id = app_firm()
           or firm_id in (select fm.firm_id from firm_memberships fm
                           where fm.user_id = app_user() and fm.invito_hash is null))
    with check (app_is_platform_admin() or firm_id = app_firm());

-- A firm's choice is recorded in the access log, with who made it.
alter table registro_accessi drop constraint registro_accessi_evento_check;
alter table registro_accessi add constraint registro_accessi_evento_check check (evento in (
    'accesso', 'accesso_fallito', 'accesso_limitato', 'codice_errato', 'password_scaduta',
    'password_cambiata', '2fa_attivata', '2fa_disattivata', 'invito_accettato',
    '2fa_studio_richiesta', '2fa_studio_non_richiesta'));
