-- The Relazione sulla Performance of a plan's year (D.Lgs 150/2009 art. 10 c.1 lett. b):
-- its editable chapters, adopted by the Giunta (the PDF/A is then kept, the bytes never
-- change), and the Nucleo's validation (art. 14 c.4 lett. c): the checklist, the sample of
-- objectives whose evidence was examined, the outcome, and the Documento di validazione
-- signed by each member.

create table relazioni (
    ente_id uuid not null,
    piano_id uuid not null,
    contesto text not null default '' check (length(contesto) <= 100000),
    pari_opportunita text not null default '' check (length(pari_opportunita) <= 100000),
    stato text not null default 'bozza' check (stato in ('bozza', 'adottata', 'validata')),
    delibera_numero text check (length(delibera_numero) between 1 and 50),
    delibera_data date,
    adottata_il timestamptz,
    pdf bytea,
    pdf_sha256 bytea,
    version int not null default 1,
    primary key (ente_id, piano_id),
    foreign key (ente_id, piano_id) references piani (ente_id, id) on delete cascade,
    check (stato = 'bozza' or (delibera_numero is not null and delibera_data is not null
                               and pdf is not null and pdf_sha256 is not null))
);

create table validazioni (
    ente_id uuid not null,
    piano_id uuid not null,
    -- One member, or a board of three: complete when all have signed.
    componenti int not null check (componenti in (1, 3)),
    conformita boolean not null default false,
    attendibilita boolean not null default false,
    comprensibilita boolean not null default false,
    modifiche_motivate boolean not null default false,
    esito text check (esito in ('validata', 'validata_osservazioni', 'non_validata')),
    testo text not null default '' check (length(testo) <= 20000),
    documento bytea,
    documento_sha256 bytea,
    -- Who signed, in order (their user ids, and the names on their certificates).
    firmatari uuid[] not null default '{}',
    nomi_firmatari text[] not null default '{}',
    completata_il timestamptz,
    avviata_il timestamptz not null default now(),
    version int not null default 1,
    primary key (ente_id, piano_id),
    foreign key (ente_id, piano_id) references piani (ente_id, id) on delete cascade,
    check (cardinality(firmatari) <= componenti and cardinality(firmatari) = cardinality(nomi_firmatari)),
    check ((completata_il is null) = (cardinality(firmatari) < componenti))
);

-- The objectives drawn at random for the Nucleo to examine, and when each was examined.
create table campioni_validazione (
    ente_id uuid not null,
    piano_id uuid not null,
    obiettivo_id uuid not null,
    esaminato_da uuid references users (id),
    esaminato_il timestamptz,
    primary key (ente_id, piano_id, obiettivo_id),
    foreign key (ente_id, piano_id) references validazioni (ente_id, piano_id) on delete cascade,
    foreign key (ente_id, obiettivo_id) references obiettivi (ente_id, id) on delete cascade
);

do $$
declare t text;
begin
    foreach t in array array['relazioni', 'validazioni', 'campioni_validazione'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I using (ente_id = app_ente()) with check (ente_id = app_ente())',
                       t || '_ente', t);
    end loop;
end $$;

-- An adopted Relazione's PDF does not change, nor does a completed validation.
create function relazione_adottata_immutabile() returns trigger language plpgsql as $$
begin
    if old.stato <> 'bozza' and (new.pdf is distinct from old.pdf
                                 or new.contesto is distinct from old.contesto
                                 or new.pari_opportunita is distinct from old.pari_opportunita
                                 or new.delibera_numero is distinct from old.delibera_numero
                                 or new.delibera_data is distinct from old.delibera_data) then
        raise exception 'la relazione adottata non si modifica'
            using errcode = 'check_violation', constraint = 'relazione_adottata_immutabile';
    end if;
    return new;
end $$;
create trigger relazioni_adottata before update on relazioni
    for each row execute function relazione_adottata_immutabile();

create function validazione_completa_immutabile() returns trigger language plpgsql as $$
begin
    if old.completata_il is not null then
        raise exception 'la validazione firmata non si modifica'
            using errcode = 'check_violation', constraint = 'validazione_completa_immutabile';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger validazioni_completa before update or delete on validazioni
    for each row execute function validazione_completa_immutabile();
