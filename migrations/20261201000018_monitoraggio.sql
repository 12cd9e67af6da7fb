-- Monitoring during the year. An approved plan has 1–4 checkpoints; at each, every
-- struttura's record (submitted or not) holds the progress of its objectives and phases,
-- with evidence files; the Nucleo annotates the objectives and closes the checkpoint with
-- its signed Referto. Every table is ente-owned (ente_id leads every key), RLS forced.

create table monitoraggi (
    ente_id uuid not null,
    id uuid not null default gen_random_uuid(),
    piano_id uuid not null,
    data_riferimento date not null,
    scadenza_responsabili date not null,
    scadenza_nucleo date not null,
    chiuso_il timestamptz,
    chiuso_da uuid references users (id),
    -- The signed Referto di monitoraggio, kept when the checkpoint closes.
    referto bytea,
    referto_sha256 bytea,
    referto_firmatario text check (length(referto_firmatario) <= 500),
    version int not null default 1,
    created_at timestamptz not null default now(),
    primary key (ente_id, id),
    foreign key (ente_id, piano_id) references piani (ente_id, id) on delete cascade,
    constraint monitoraggi_data_key unique (ente_id, piano_id, data_riferimento),
    check (scadenza_responsabili >= data_riferimento and scadenza_nucleo >= scadenza_responsabili),
    check ((chiuso_il is null) = (referto is null))
);

-- A struttura's record at a checkpoint: submitted or not. Reopening is in the audit log.
create table rilevazioni (
    ente_id uuid not null,
    monitoraggio_id uuid not null,
    struttura_id uuid not null,
    inviata_il timestamptz,
    inviata_da uuid references users (id),
    version int not null default 1,
    primary key (ente_id, monitoraggio_id, struttura_id),
    foreign key (ente_id, monitoraggio_id) references monitoraggi (ente_id, id) on delete cascade,
    foreign key (ente_id, struttura_id) references strutture (ente_id, id) on delete cascade
);

-- Progress of one objective (fase_id null) or one of its phases at a checkpoint.
create table avanzamenti (
    ente_id uuid not null,
    id uuid not null default gen_random_uuid(),
    monitoraggio_id uuid not null,
    obiettivo_id uuid not null,
    fase_id uuid,
    percentuale numeric(5, 2) check (percentuale between 0 and 100),
    valore_effettivo text not null default '' check (length(valore_effettivo) <= 2000),
    valore_data date,
    valore_fonte text not null default '' check (length(valore_fonte) <= 500),
    nota text not null default '' check (length(nota) <= 5000),
    causa text check (causa in ('esterni', 'finanziarie', 'personale', 'norme', 'dipendenza', 'altro')),
    causa_testo text not null default '' check (length(causa_testo) <= 2000),
    azione_correttiva text not null default '' check (length(azione_correttiva) <= 5000),
    aggiornato_da uuid references users (id),
    aggiornato_il timestamptz not null default now(),
    version int not null default 1,
    primary key (ente_id, id),
    constraint avanzamenti_riga_key unique nulls not distinct (ente_id, monitoraggio_id, obiettivo_id, fase_id),
    foreign key (ente_id, monitoraggio_id) references monitoraggi (ente_id, id) on delete cascade,
    foreign key (ente_id, obiettivo_id) references obiettivi (ente_id, id) on delete cascade,
    foreign key (ente_id, fase_id) references fasi (ente_id, id) on delete cascade
);

-- The Nucleo's note on an objective at a checkpoint.
create table note_nucleo (
    ente_id uuid not null,
    monitoraggio_id uuid not null,
    obiettivo_id uuid not null,
    testo text not null check (length(testo) <= 5000),
    autore uuid references users (id),
    aggiornata_il timestamptz not null default now(),
    version int not null default 1,
    primary key (ente_id, monitoraggio_id, obiettivo_id),
    foreign key (ente_id, monitoraggio_id) references monitoraggi (ente_id, id) on delete cascade,
    foreign key (ente_id, obiettivo_id) references obiettivi (ente_id, id) on delete cascade
);

-- Evidence of an objective's progress: the file, its SHA-256 and size.
create table evidenze (
    ente_id uuid not null,
    id uuid not null default gen_random_uuid(),
    monitoraggio_id uuid not null,
    obiettivo_id uuid not null,
    nome_file text not null check (length(nome_file) between 1 and 255),
    tipo text not null check (length(tipo) <= 100),
    sha256 bytea not null check (length(sha256) = 32),
    dimensione bigint not null check (dimensione > 0 and dimensione <= 10485760),
    contenuto bytea not null,
    caricato_da uuid references users (id),
    caricato_il timestamptz not null default now(),
    primary key (ente_id, id),
    check (length(contenuto) = dimensione),
    foreign key (ente_id, monitoraggio_id) references monitoraggi (ente_id, id) on delete cascade,
    foreign key (ente_id, obiettivo_id) references obiettivi (ente_id, id) on delete cascade
);
create index evidenze_obiettivo on evidenze (ente_id, monitoraggio_id, obiettivo_id);
create index avanzamenti_obiettivo on avanzamenti (ente_id, obiettivo_id);

do $$
declare t text;
begin
    foreach t in array array['monitoraggi', 'rilevazioni', 'avanzamenti', 'note_nucleo', 'evidenze'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I using (ente_id = app_ente()) with check (ente_id = app_ente())',
                       t || '_ente', t);
    end loop;
end $$;

-- A closed checkpoint does not change, whatever the application does: its records,
-- progress, notes and evidence are refused by the database, and so is the checkpoint row.
create function monitoraggio_aperto(p_ente uuid, p_monitoraggio uuid) returns void
language plpgsql as $$
declare c timestamptz;
begin
    select chiuso_il into c from monitoraggi where ente_id = p_ente and id = p_monitoraggio for share;
    if c is not null then
        raise exception 'il monitoraggio è chiuso e non si può modificare'
            using errcode = 'check_violation', constraint = 'monitoraggio_chiuso_immutabile';
    end if;
end $$;

create function riga_monitoraggio_aperto() returns trigger language plpgsql as $$
declare r record;
begin
    if tg_op = 'DELETE' then r := old; else r := new; end if;
    perform monitoraggio_aperto(r.ente_id, r.monitoraggio_id);
    return r;
end $$;

do $$
declare t text;
begin
    foreach t in array array['rilevazioni', 'avanzamenti', 'note_nucleo', 'evidenze'] loop
        execute format('create trigger %I before insert or update or delete on %I
                        for each row execute function riga_monitoraggio_aperto()', t || '_aperto', t);
    end loop;
end $$;

create function monitoraggi_chiuso_immutabile() returns trigger language plpgsql as $$
begin
    if old.chiuso_il is not null then
        raise exception 'il monitoraggio è chiuso e non si può modificare'
            using errcode = 'check_violation', constraint = 'monitoraggio_chiuso_immutabile';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger monitoraggi_chiuso before update or delete on monitoraggi
    for each row execute function monitoraggi_chiuso_immutabile();
