-- The versions of a plan: each approval (the first, and each rimodulazione after it) keeps
-- the plan as approved, with its delibera, as an immutable snapshot; the plan's rows are
-- the version being worked on. Insert-only: no UPDATE or DELETE policy.
create table piani_versioni (
    ente_id uuid not null,
    piano_id uuid not null,
    numero int not null check (numero >= 1),
    -- The plan row's version when approved: its stored final PDF is that version's PDF.
    piano_version int not null,
    delibera_numero text not null check (length(delibera_numero) between 1 and 50),
    delibera_data date not null,
    motivo text not null default '' check (length(motivo) <= 2000),
    contenuto jsonb not null,
    approvata_il timestamptz not null default now(),
    approvata_da uuid references users (id),
    primary key (ente_id, piano_id, numero),
    constraint piani_versioni_piano_version_key unique (ente_id, piano_id, piano_version),
    foreign key (ente_id, piano_id) references piani (ente_id, id) on delete cascade
);
alter table piani_versioni enable row level security;
alter table piani_versioni force row level security;
create policy piani_versioni_read on piani_versioni for select using (ente_id = app_ente());
create policy piani_versioni_insert on piani_versioni for insert with check (ente_id = app_ente());

-- Why the plan is being changed: set when a rimodulazione starts, kept with the version it
-- leads to, cleared when the plan is reopened.
alter table piani add column rimodulazione_motivo text check (length(rimodulazione_motivo) <= 2000);

-- A rimodulazione may drop an objective or a phase whose progress a closed checkpoint
-- recorded: the signed Referto and the version's snapshot keep it. The rows go with the
-- objective (the cascade), never on their own.
create or replace function riga_monitoraggio_aperto() returns trigger language plpgsql as $$
declare r record;
begin
    if tg_op = 'DELETE' then
        r := old;
        -- Nested: each table's fields are read only for that table.
        if tg_table_name = 'rilevazioni' then
            if not exists (select 1 from strutture s where s.ente_id = old.ente_id and s.id = old.struttura_id) then
                return old;
            end if;
        else
            if not exists (select 1 from obiettivi o where o.ente_id = old.ente_id and o.id = old.obiettivo_id) then
                return old;
            end if;
            if tg_table_name = 'avanzamenti' then
                if old.fase_id is not null then
                    if not exists (select 1 from fasi f where f.ente_id = old.ente_id and f.id = old.fase_id) then
                        return old;
                    end if;
                end if;
            end if;
        end if;
    else
        r := new;
    end if;
    perform monitoraggio_aperto(r.ente_id, r.monitoraggio_id);
    return r;
end $$;
