-- An approved plan cannot change, whatever the application does: every change to its
-- strutture, objectives, phases and assignments is refused by the database. The check takes
-- the plan row FOR SHARE, and approval takes it FOR UPDATE before it validates, so an edit
-- racing the approval either lands before it (and is validated) or is refused after it.

create function piano_modificabile(p_ente uuid, p_piano uuid) returns void
language plpgsql as $$
declare s text;
begin
    select stato into s from piani where ente_id = p_ente and id = p_piano for share;
    if s = 'approvato' then
        raise exception 'il piano è approvato e non si può modificare'
            using errcode = 'check_violation', constraint = 'piano_approvato_immutabile';
    end if;
end $$;

create function strutture_piano_modificabile() returns trigger language plpgsql as $$
declare r strutture;
begin
    r := case when tg_op = 'DELETE' then old else new end;
    perform piano_modificabile(r.ente_id, r.piano_id);
    if tg_op = 'UPDATE' and new.piano_id <> old.piano_id then
        perform piano_modificabile(old.ente_id, old.piano_id);
    end if;
    return r;
end $$;

create function obiettivi_piano_modificabile() returns trigger language plpgsql as $$
declare r obiettivi; p uuid;
begin
    r := case when tg_op = 'DELETE' then old else new end;
    select piano_id into p from strutture where ente_id = r.ente_id and id = r.struttura_id;
    perform piano_modificabile(r.ente_id, p);
    return r;
end $$;

-- Phases and assignments both hang from an objective.
create function obiettivo_piano_modificabile() returns trigger language plpgsql as $$
declare r record; p uuid;
begin
    if tg_op = 'DELETE' then r := old; else r := new; end if;
    select s.piano_id into p from obiettivi o join strutture s
        on s.ente_id = o.ente_id and s.id = o.struttura_id
     where o.ente_id = r.ente_id and o.id = r.obiettivo_id;
    perform piano_modificabile(r.ente_id, p);
    return r;
end $$;

create trigger strutture_piano_approvato before insert or update or delete on strutture
    for each row execute function strutture_piano_modificabile();
create trigger obiettivi_piano_approvato before insert or update or delete on obiettivi
    for each row execute function obiettivi_piano_modificabile();
create trigger fasi_piano_approvato before insert or update or delete on fasi
    for each row execute function obiettivo_piano_modificabile();
create trigger assegnazioni_piano_approvato before insert or update or delete on assegnazioni
    for each row execute function obiettivo_piano_modificabile();

-- The plan row itself: while approved, only reopening it (back to draft, its delibera
-- cleared) is allowed; its content does not change, and it is not deleted.
create function piani_approvato_immutabile() returns trigger language plpgsql as $$
begin
    if old.stato = 'approvato' and (
        tg_op = 'DELETE'
        or new.stato = 'approvato'
        or (new.anno, new.triennio_da, new.triennio_a, new.titolo, new.regolamento,
            new.riferimenti_normativi, new.programmazione_strategica, new.territorio)
           is distinct from
           (old.anno, old.triennio_da, old.triennio_a, old.titolo, old.regolamento,
            old.riferimenti_normativi, old.programmazione_strategica, old.territorio)
    ) then
        raise exception 'il piano è approvato e non si può modificare'
            using errcode = 'check_violation', constraint = 'piano_approvato_immutabile';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;

create trigger piani_approvato before update or delete on piani
    for each row execute function piani_approvato_immutabile();
