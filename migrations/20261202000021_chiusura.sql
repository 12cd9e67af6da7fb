-- Closing the year. The SMVP profile's versions (an ente's own; a firm's, which its enti
-- adopt), the year-end record on the final checkpoint (31/12: each objective's method, its
-- indicators measured, each phase's completion date), and the Nucleo's decisions on the
-- scores. A year's results keep the profile version they were scored with (chiusure).

-- A firm's profile, a template its enti adopt. Global (no ente_id); only ever added to.
create table smvp_studio (
    firm_id uuid not null references firms (id),
    numero int not null check (numero >= 1),
    parametri jsonb not null,
    nota text not null default '' check (length(nota) <= 2000),
    creato_da uuid references users (id),
    creato_il timestamptz not null default now(),
    primary key (firm_id, numero)
);
alter table smvp_studio enable row level security;
alter table smvp_studio force row level security;
-- Read by the firm's consultants, and inside each ente the firm serves; written by the firm.
create policy smvp_studio_read on smvp_studio for select
    using (firm_id = app_firm()
           or firm_id = (select e.firm_id from enti e where e.id = app_ente()));
create policy smvp_studio_insert on smvp_studio for insert with check (firm_id = app_firm());

-- An ente's profile versions; only ever added to. `firm_id`/`studio_numero`: the firm
-- version it was adopted from (all or some of its fields).
create table smvp_profili (
    ente_id uuid not null references enti (id),
    numero int not null check (numero >= 1),
    parametri jsonb not null,
    firm_id uuid references firms (id),
    studio_numero int,
    nota text not null default '' check (length(nota) <= 2000),
    creato_da uuid references users (id),
    creato_il timestamptz not null default now(),
    primary key (ente_id, numero),
    check ((firm_id is null) = (studio_numero is null))
);

-- The year being closed: its final checkpoint and the profile version it is scored with.
create table chiusure (
    ente_id uuid not null,
    piano_id uuid not null,
    monitoraggio_id uuid not null,
    profilo_numero int not null,
    avviata_da uuid references users (id),
    avviata_il timestamptz not null default now(),
    version int not null default 1,
    primary key (ente_id, piano_id),
    foreign key (ente_id, piano_id) references piani (ente_id, id) on delete cascade,
    foreign key (ente_id, monitoraggio_id) references monitoraggi (ente_id, id) on delete cascade,
    foreign key (ente_id, profilo_numero) references smvp_profili (ente_id, numero)
);

-- An objective's method, when not the profile's default; part of the final record.
create table metodi_obiettivo (
    ente_id uuid not null,
    monitoraggio_id uuid not null,
    obiettivo_id uuid not null,
    metodo text not null check (metodo in ('fasi', 'indicatori', 'misto')),
    version int not null default 1,
    primary key (ente_id, monitoraggio_id, obiettivo_id),
    foreign key (ente_id, monitoraggio_id) references monitoraggi (ente_id, id) on delete cascade,
    foreign key (ente_id, obiettivo_id) references obiettivi (ente_id, id) on delete cascade
);

-- An indicator measured at the year's end: a quantity (lower may be better), done or not,
-- or done by a date.
create table misure (
    ente_id uuid not null,
    id uuid not null default gen_random_uuid(),
    monitoraggio_id uuid not null,
    obiettivo_id uuid not null,
    descrizione text not null check (length(descrizione) between 1 and 500),
    tipo text not null check (tipo in ('numero', 'si_no', 'data')),
    decrescente boolean not null default false,
    atteso numeric check (atteso >= 0),
    effettivo numeric check (effettivo >= 0),
    realizzato boolean,
    atteso_data date,
    effettivo_data date,
    fonte text not null default '' check (length(fonte) <= 500),
    aggiornato_da uuid references users (id),
    aggiornato_il timestamptz not null default now(),
    version int not null default 1,
    primary key (ente_id, id),
    check (tipo <> 'numero' or atteso is not null),
    check (tipo <> 'data' or atteso_data is not null),
    foreign key (ente_id, monitoraggio_id) references monitoraggi (ente_id, id) on delete cascade,
    foreign key (ente_id, obiettivo_id) references obiettivi (ente_id, id) on delete cascade
);
create index misure_obiettivo on misure (ente_id, monitoraggio_id, obiettivo_id);

-- When a phase (or an objective) was finished: the lateness penalty reads it.
alter table avanzamenti add column conclusa_il date;

-- The Nucleo's decisions on an objective's score, only ever added to: the latest counts
-- ('annullata' withdraws the one before), each with who, when and why.
create table rettifiche (
    ente_id uuid not null,
    id uuid not null default gen_random_uuid(),
    piano_id uuid not null,
    obiettivo_id uuid not null,
    tipo text not null check (tipo in ('punteggio', 'non_valutabile', 'annullata')),
    punteggio numeric(5, 2) check (punteggio between 0 and 100),
    motivo text not null check (length(motivo) between 1 and 5000),
    autore uuid references users (id),
    creata_il timestamptz not null default clock_timestamp(),
    primary key (ente_id, id),
    check ((tipo = 'punteggio') = (punteggio is not null)),
    foreign key (ente_id, piano_id) references piani (ente_id, id) on delete cascade,
    foreign key (ente_id, obiettivo_id) references obiettivi (ente_id, id) on delete cascade
);
create index rettifiche_obiettivo on rettifiche (ente_id, piano_id, obiettivo_id, creata_il);

-- Part-time as a share of full time: a struttura's staff in full-time equivalents.
alter table dipendenti add column tempo numeric(5, 2) not null default 100
    check (tempo > 0 and tempo <= 100);

do $$
declare t text;
begin
    foreach t in array array['chiusure', 'metodi_obiettivo', 'misure'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I using (ente_id = app_ente()) with check (ente_id = app_ente())',
                       t || '_ente', t);
    end loop;
    -- Insert-only: read and add, never change.
    foreach t in array array['smvp_profili', 'rettifiche'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I for select using (ente_id = app_ente())', t || '_read', t);
        execute format('create policy %I on %I for insert with check (ente_id = app_ente())', t || '_insert', t);
    end loop;
    -- The final record freezes with its checkpoint, like the progress rows.
    foreach t in array array['metodi_obiettivo', 'misure'] loop
        execute format('create trigger %I before insert or update or delete on %I
                        for each row execute function riga_monitoraggio_aperto()', t || '_aperto', t);
    end loop;
end $$;
