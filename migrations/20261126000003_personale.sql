-- Staff registry and assignments of staff to objectives (the reference's "Dipendenti
-- coinvolti sugli obiettivi"). Ente-owned: ente_id in the keys, RLS enabled and forced.

create table dipendenti (
    ente_id uuid not null references enti (id),
    id uuid not null default gen_random_uuid(),
    matricola text not null check (length(matricola) between 1 and 30),
    cognome text not null check (length(cognome) between 1 and 100),
    nome text not null check (length(nome) between 1 and 100),
    -- Aree of the CCNL Funzioni Locali 2019-2021.
    area text not null check (area in ('operatori', 'operatori_esperti', 'istruttori', 'funzionari_eq')),
    profilo text not null default '' check (length(profilo) <= 200),
    struttura text not null default '' check (length(struttura) <= 500),
    email text check (email = lower(email) and email like '%_@_%'),
    attivo_dal date,
    attivo_al date,
    user_id uuid references users (id),
    primary key (ente_id, id),
    constraint dipendenti_matricola_key unique (ente_id, matricola),
    check (attivo_al is null or attivo_dal is null or attivo_al >= attivo_dal)
);

create table assegnazioni (
    ente_id uuid not null,
    id uuid not null default gen_random_uuid(),
    obiettivo_id uuid not null,
    dipendente_id uuid not null,
    peso numeric(5, 2) check (peso > 0 and peso <= 100),
    version int not null default 1,
    primary key (ente_id, id),
    constraint assegnazioni_unica unique (ente_id, obiettivo_id, dipendente_id),
    foreign key (ente_id, obiettivo_id) references obiettivi (ente_id, id) on delete cascade,
    foreign key (ente_id, dipendente_id) references dipendenti (ente_id, id) on delete cascade
);
create index assegnazioni_dipendente on assegnazioni (ente_id, dipendente_id);

do $$
declare t text;
begin
    foreach t in array array['dipendenti', 'assegnazioni'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I using (ente_id = app_ente()) with check (ente_id = app_ente())',
                       t || '_ente', t);
    end loop;
end $$;
