-- Individual evaluation (D.Lgs 150/2009 art. 9) and the premi (CCNL Funzioni Locali): each
-- person's scheda for a plan's year with the steps of its cycle, what the premi read beside
-- it (absences, sanctions), and the distribution of the funds, simulated then final.
--
-- Privacy in the rows themselves: a person reads their own scheda, a responsabile the
-- schede they evaluate, the Nucleo the EQ schede, the ente's admins and the firm's
-- consultants all of them.

-- The caller's role in the current ente and their own staff record, as the policies need
-- them: set by the application after it has resolved them (like app.ente_id), read here
-- without a subquery (the policies stay distributable). Unset, they match nothing.
create or replace function app_imposta(p_chiave text, p_valore text) returns void
language plpgsql as $$
begin
    if p_chiave not in ('app.user_id', 'app.firm_id', 'app.platform_admin', 'app.ente_id',
                        'app.ruolo', 'app.dipendente_id') then
        raise exception 'impostazione non ammessa: %', p_chiave;
    end if;
    execute format('set local %s = %L', p_chiave, coalesce(p_valore, ''));
end $$;
create function app_ruolo() returns text language sql stable as
$$ select nullif(current_setting('app.ruolo', true), '') $$;
create function app_dipendente() returns uuid language sql stable as
$$ select nullif(current_setting('app.dipendente_id', true), '')::uuid $$;

create table valutazioni (
    ente_id uuid not null,
    piano_id uuid not null,
    dipendente_id uuid not null,
    categoria text not null check (categoria in ('eq', 'personale')),
    -- The struttura whose results count; its responsabile evaluates the staff. An EQ is
    -- evaluated by the Nucleo (valutatore_id null).
    struttura_id uuid not null,
    valutatore_id uuid references users (id),
    stato text not null default 'bozza'
        check (stato in ('bozza', 'proposta', 'presa_visione', 'revisione', 'definitiva')),
    -- [{"nome": behaviour, "voto": 1–5 or null}], in the dictionary's order.
    voti jsonb not null default '[]',
    differenziazione smallint check (differenziazione between 1 and 5),
    note text not null default '' check (length(note) <= 5000),
    colloquio_assegnazione date,
    colloquio_intermedio date,
    colloquio_finale date,
    -- At the proposal (and again at the decision): the sections' figures and the total.
    sezioni jsonb,
    punteggio numeric(5, 2) check (punteggio between 0 and 100),
    proposta_il timestamptz,
    proposta_da uuid references users (id),
    presa_visione_il date,
    revisione_il date,
    revisione_testo text check (length(revisione_testo) between 1 and 5000),
    audizione_il date,
    con_sindacato boolean,
    decisione_testo text check (length(decisione_testo) between 1 and 5000),
    decisa_il date,
    definitiva_il timestamptz,
    -- The final scheda as PDF/A signed (PAdES) by its evaluator, once.
    scheda_firmata bytea,
    firmata_da text check (length(firmata_da) <= 200),
    firmata_il timestamptz,
    version int not null default 1,
    primary key (ente_id, piano_id, dipendente_id),
    foreign key (ente_id, piano_id) references piani (ente_id, id) on delete cascade,
    foreign key (ente_id, dipendente_id) references dipendenti (ente_id, id) on delete cascade,
    check (scheda_firmata is null
           or (stato = 'definitiva' and firmata_da is not null and firmata_il is not null)),
    foreign key (ente_id, struttura_id) references strutture (ente_id, id) on delete cascade,
    check (stato = 'bozza' or (punteggio is not null and proposta_il is not null)),
    check (stato not in ('presa_visione', 'revisione') or presa_visione_il is not null),
    check (stato <> 'revisione' or revisione_testo is not null),
    check ((stato = 'definitiva') = (definitiva_il is not null))
);
create index valutazioni_valutatore on valutazioni (ente_id, piano_id, valutatore_id);

alter table valutazioni enable row level security;
alter table valutazioni force row level security;
create policy valutazioni_visibili on valutazioni
    using (ente_id = app_ente()
           and (app_ruolo() in ('consultant', 'ente_admin')
                or valutatore_id = app_user()
                or (categoria = 'eq' and app_ruolo() = 'nucleo')
                or dipendente_id = app_dipendente()))
    with check (ente_id = app_ente()
                and (app_ruolo() in ('consultant', 'ente_admin')
                     or valutatore_id = app_user()
                     or (categoria = 'eq' and app_ruolo() = 'nucleo')
                     or dipendente_id = app_dipendente()));

-- A final scheda does not change, but for its evaluator's signature, added once.
create function valutazione_definitiva_immutabile() returns trigger language plpgsql as $$
declare
    r valutazioni;
begin
    if tg_op = 'UPDATE' and old.stato = 'definitiva' and old.scheda_firmata is null
       and new.scheda_firmata is not null then
        r := new;
        r.scheda_firmata := null;
        r.firmata_da := old.firmata_da;
        r.firmata_il := old.firmata_il;
        r.version := old.version;
        if r is not distinct from old then
            return new;
        end if;
    end if;
    if old.stato = 'definitiva' then
        raise exception 'la valutazione definitiva non si modifica'
            using errcode = 'check_violation', constraint = 'valutazione_definitiva_immutabile';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger valutazioni_definitiva before update or delete on valutazioni
    for each row execute function valutazione_definitiva_immutabile();

-- What the premi read beside the score: absences that count (maternity, paternity and
-- parental leave never do, art. 9 c.3: they are recorded apart and only shown), and the
-- heaviest disciplinary sanction of the year (0 none … 4 suspension over 10 days).
create table dati_premi (
    ente_id uuid not null,
    piano_id uuid not null,
    dipendente_id uuid not null,
    assenze int not null default 0 check (assenze between 0 and 366),
    congedi int not null default 0 check (congedi between 0 and 366),
    sanzione smallint not null default 0 check (sanzione between 0 and 4),
    version int not null default 1,
    primary key (ente_id, piano_id, dipendente_id),
    foreign key (ente_id, piano_id) references piani (ente_id, id) on delete cascade,
    foreign key (ente_id, dipendente_id) references dipendenti (ente_id, id) on delete cascade
);

-- The distribution of a year's funds: its parameters (saved while simulating), then final.
create table premi (
    ente_id uuid not null,
    piano_id uuid not null,
    parametri jsonb not null,
    stato text not null default 'simulazione' check (stato in ('simulazione', 'definitivo')),
    -- The final distribution's pools and art. 20 tables (aggregates only).
    ripartizione jsonb,
    art20 jsonb,
    definitivo_il timestamptz,
    definito_da uuid references users (id),
    version int not null default 1,
    primary key (ente_id, piano_id),
    foreign key (ente_id, piano_id) references piani (ente_id, id) on delete cascade,
    check ((stato = 'definitivo') = (definitivo_il is not null and art20 is not null))
);

-- Each person's premio in the final distribution.
create table premi_individuali (
    ente_id uuid not null,
    piano_id uuid not null,
    dipendente_id uuid not null,
    categoria text not null check (categoria in ('eq', 'personale')),
    -- Their evaluator, who may read it (as on the scheda).
    valutatore_id uuid references users (id),
    punteggio numeric(5, 2) not null,
    esito text not null check (esito in ('ammesso', 'sotto_soglia', 'esclusa', 'assente')),
    base bigint not null check (base >= 0),
    maggiorazione bigint not null check (maggiorazione >= 0),
    primary key (ente_id, piano_id, dipendente_id),
    foreign key (ente_id, piano_id) references premi (ente_id, piano_id) on delete cascade,
    foreign key (ente_id, dipendente_id) references dipendenti (ente_id, id) on delete cascade
);

alter table dati_premi enable row level security;
alter table dati_premi force row level security;
create policy dati_premi_gestione on dati_premi
    using (ente_id = app_ente() and app_ruolo() in ('consultant', 'ente_admin'))
    with check (ente_id = app_ente() and app_ruolo() in ('consultant', 'ente_admin'));

alter table premi enable row level security;
alter table premi force row level security;
-- The parameters and the aggregates (published under art. 20 anyway) are read inside the
-- ente, as the Relazione reports them; only admins and consultants set them.
create policy premi_lettura on premi for select using (ente_id = app_ente());
create policy premi_inserimento on premi for insert
    with check (ente_id = app_ente() and app_ruolo() in ('consultant', 'ente_admin'));
create policy premi_modifica on premi for update
    using (ente_id = app_ente() and app_ruolo() in ('consultant', 'ente_admin'));

alter table premi_individuali enable row level security;
alter table premi_individuali force row level security;
-- Insert-only; read by admins and consultants, by the person, and by their evaluator.
create policy premi_individuali_lettura on premi_individuali for select
    using (ente_id = app_ente()
           and (app_ruolo() in ('consultant', 'ente_admin')
                or dipendente_id = app_dipendente()
                or valutatore_id = app_user()));
create policy premi_individuali_inserimento on premi_individuali for insert
    with check (ente_id = app_ente() and app_ruolo() in ('consultant', 'ente_admin'));

-- A final distribution does not change.
create function premi_definitivi_immutabili() returns trigger language plpgsql as $$
begin
    if old.stato = 'definitivo' then
        raise exception 'la ripartizione definitiva non si modifica'
            using errcode = 'check_violation', constraint = 'premi_definitivi_immutabili';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger premi_definitivi before update or delete on premi
    for each row execute function premi_definitivi_immutabili();
