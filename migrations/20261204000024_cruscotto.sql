-- The consultancy firm's cockpit: its enti read together, the deadlines of each ente's
-- year, and the reminders sent about them.

-- The firm's enti, as the cockpit's door sets them after reading them from `enti` (whose
-- policy already limits a consultant to their firm): the select-only policies below let
-- one query read the plans of all of them. Unset, it matches nothing; no subquery, so the
-- policies stay distributable. The check runs on every row read: the ids stay text (one
-- search in it per row, exact: an id's 36 characters can only match a whole id between
-- the commas) rather than an array parsed again for each row.
create or replace function app_imposta(p_chiave text, p_valore text) returns void
language plpgsql as $$
begin
    if p_chiave not in ('app.user_id', 'app.firm_id', 'app.platform_admin', 'app.ente_id',
                        'app.ruolo', 'app.dipendente_id', 'app.enti_studio') then
        raise exception 'impostazione non ammessa: %', p_chiave;
    end if;
    execute format('set local %s = %L', p_chiave, coalesce(p_valore, ''));
end $$;
create function app_studio_ha(p_ente uuid) returns boolean language sql stable as
$$ select strpos(coalesce(current_setting('app.enti_studio', true), ''), p_ente::text) > 0 $$;

do $$
declare t text;
begin
    foreach t in array array['piani', 'strutture', 'obiettivi', 'fasi', 'dipendenti',
                             'assegnazioni', 'monitoraggi', 'rilevazioni', 'relazioni',
                             'validazioni', 'allegati_firmati'] loop
        execute format('create policy %I on %I for select using (app_studio_ha(ente_id))',
                       t || '_studio', t);
    end loop;
end $$;

-- Deadlines. The kinds are the product's (domain::scadenze); a firm sets the day of each
-- for all its enti, an ente may move its own for one year.
create table scadenze_studio (
    firm_id uuid not null references firms (id),
    tipo text not null check (tipo in ('piao', 'relazione', 'validazione', 'pubblicazione')),
    mese smallint not null check (mese between 1 and 12),
    giorno smallint not null check (giorno between 1 and 31),
    primary key (firm_id, tipo)
);
alter table scadenze_studio enable row level security;
alter table scadenze_studio force row level security;
-- Read by the firm, in its enti (their page of deadlines) and by the reminders' run.
create policy scadenze_studio_lettura on scadenze_studio for select
    using (firm_id = app_firm() or app_is_platform_admin()
           or firm_id in (select e.firm_id from enti e where e.id = app_ente()));
create policy scadenze_studio_scrittura on scadenze_studio for all
    using (firm_id = app_firm()) with check (firm_id = app_firm());

create table scadenze_ente (
    ente_id uuid not null references enti (id),
    anno int not null check (anno between 2000 and 2100),
    tipo text not null check (tipo in ('piao', 'relazione', 'validazione', 'pubblicazione')),
    data date not null,
    aggiornato_da uuid references users (id),
    aggiornato_il timestamptz not null default now(),
    primary key (ente_id, anno, tipo)
);
alter table scadenze_ente enable row level security;
alter table scadenze_ente force row level security;
create policy scadenze_ente_ente on scadenze_ente
    using (ente_id = app_ente()) with check (ente_id = app_ente());
create policy scadenze_ente_studio on scadenze_ente for select
    using (app_studio_ha(ente_id));

-- When reminders go out: days before a deadline, then every so many days after it.
alter table impostazioni_studio
    add column promemoria_prima int[] not null default '{14,7,1}'
        check (cardinality(promemoria_prima) <= 10 and 0 < all (promemoria_prima)
               and 366 > all (promemoria_prima)),
    add column promemoria_ogni int not null default 3 check (promemoria_ogni between 1 and 60);

-- Each reminder, once per person, deadline and step: in the product (the bell) and, when
-- an SMTP server is configured and the person has not turned it off, by e-mail.
create table promemoria (
    ente_id uuid not null references enti (id),
    id uuid not null default gen_random_uuid(),
    user_id uuid not null references users (id),
    -- The deadline and the step (e.g. 'piao:2024:-7'): the same one is never made twice.
    chiave text not null check (length(chiave) <= 200),
    scadenza date not null,
    titolo text not null check (length(titolo) between 1 and 300),
    testo text not null check (length(testo) <= 2000),
    percorso text not null check (percorso like '/%' and length(percorso) <= 300),
    -- Past the deadline: sent to the ente's administrators and the firm as well.
    sollecito boolean not null,
    creato_il timestamptz not null default now(),
    email_inviata_il timestamptz,
    letto_il timestamptz,
    primary key (ente_id, id),
    constraint promemoria_unico unique (ente_id, user_id, chiave)
);
create index promemoria_utente on promemoria (user_id, letto_il);
alter table promemoria enable row level security;
alter table promemoria force row level security;
-- Made in the ente; read and marked as read by their recipient, from any page.
create policy promemoria_ente on promemoria
    using (ente_id = app_ente()) with check (ente_id = app_ente());
create policy promemoria_proprio on promemoria for select using (user_id = app_user());
create policy promemoria_letto on promemoria for update
    using (user_id = app_user()) with check (user_id = app_user());

-- Reminders before a deadline are optional by e-mail (the bell always has them); those
-- past it are always sent.
alter table users add column promemoria_email boolean not null default true;
