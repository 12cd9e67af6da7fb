-- Plans: piano → strutture → obiettivi → fasi. Every table is ente-owned: ente_id in the
-- primary and foreign keys, RLS enabled and forced. Each editable row has a version for
-- optimistic concurrency: an update names the version it started from.

create table piani (
    ente_id uuid not null references enti (id),
    id uuid not null default gen_random_uuid(),
    anno int not null check (anno between 2000 and 2100),
    triennio_da int not null,
    triennio_a int not null,
    titolo text not null check (length(titolo) between 1 and 500),
    stato text not null default 'bozza' check (stato in ('bozza', 'approvato')),
    delibera_numero text check (length(delibera_numero) <= 50),
    delibera_data date,
    regolamento text not null default '' check (length(regolamento) <= 1000),
    riferimenti_normativi text not null default '' check (length(riferimenti_normativi) <= 100000),
    programmazione_strategica text not null default '' check (length(programmazione_strategica) <= 100000),
    territorio text not null default '' check (length(territorio) <= 100000),
    version int not null default 1,
    created_at timestamptz not null default now(),
    primary key (ente_id, id),
    constraint piani_anno_key unique (ente_id, anno),
    check (triennio_a = triennio_da + 2 and anno between triennio_da and triennio_a),
    check (stato = 'bozza' or (delibera_numero is not null and delibera_data is not null))
);

create table strutture (
    ente_id uuid not null,
    id uuid not null default gen_random_uuid(),
    piano_id uuid not null,
    posizione int not null,
    nome text not null default '' check (length(nome) <= 500),
    responsabile_titolo text not null default 'Dirigente/Responsabile' check (length(responsabile_titolo) <= 100),
    responsabile_nome text not null default '' check (length(responsabile_nome) <= 200),
    responsabile_user_id uuid references users (id),
    linea_strategica text not null default '' check (length(linea_strategica) <= 5000),
    obiettivo_strategico text not null default '' check (length(obiettivo_strategico) <= 5000),
    missioni text[] not null default '{}',
    obiettivo_operativo text not null default '' check (length(obiettivo_operativo) <= 5000),
    version int not null default 1,
    primary key (ente_id, id),
    foreign key (ente_id, piano_id) references piani (ente_id, id) on delete cascade
);
create index strutture_piano on strutture (ente_id, piano_id, posizione);

create table obiettivi (
    ente_id uuid not null,
    id uuid not null default gen_random_uuid(),
    struttura_id uuid not null,
    posizione int not null,
    descrizione text not null default '' check (length(descrizione) <= 10000),
    peso numeric(5, 2) check (peso > 0 and peso <= 100),
    indicatori text not null default '' check (length(indicatori) <= 10000),
    valori_attesi text not null default '' check (length(valori_attesi) <= 10000),
    data_fine date,
    data_confermata boolean not null default false,
    version int not null default 1,
    primary key (ente_id, id),
    foreign key (ente_id, struttura_id) references strutture (ente_id, id) on delete cascade
);
create index obiettivi_struttura on obiettivi (ente_id, struttura_id, posizione);

create table fasi (
    ente_id uuid not null,
    id uuid not null default gen_random_uuid(),
    obiettivo_id uuid not null,
    posizione int not null,
    descrizione text not null default '' check (length(descrizione) <= 10000),
    peso numeric(5, 2) check (peso > 0 and peso <= 100),
    indicatori text not null default '' check (length(indicatori) <= 10000),
    valori_attesi text not null default '' check (length(valori_attesi) <= 10000),
    data_fine date,
    data_confermata boolean not null default false,
    version int not null default 1,
    primary key (ente_id, id),
    foreign key (ente_id, obiettivo_id) references obiettivi (ente_id, id) on delete cascade
);
create index fasi_obiettivo on fasi (ente_id, obiettivo_id, posizione);

do $$
declare t text;
begin
    foreach t in array array['piani', 'strutture', 'obiettivi', 'fasi'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I using (ente_id = app_ente()) with check (ente_id = app_ente())',
                       t || '_ente', t);
    end loop;
end $$;
