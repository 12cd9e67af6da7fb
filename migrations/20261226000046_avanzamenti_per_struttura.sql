-- The progress at the latest checkpoint each struttura submitted (`app_avanzamenti`,
-- migration 0044) was found row by row: for every progress row of the plan, a subquery
-- looked for its struttura's latest submitted record again. And `p_obiettivi is null or
-- obiettivo_id = any (p_obiettivi)`, in a plan kept for the session (PL/pgSQL), could use
-- no index for the list: «I miei obiettivi» of a person with three objectives read every
-- progress row of the plan and ran the subquery for each. With the demo's checkpoints in
-- every ente (`bench genera N --monitoraggi`) that page served some 400–600 requests a
-- second, where the plan page served 1,400–2,100.
--
-- The same answer, found the other way round: each struttura's latest checkpoint with its
-- record submitted, once (at most one row per struttura, with a unique date per plan:
-- `monitoraggi_data_key`), then its objectives (the ones asked for, if given) and their
-- progress at that checkpoint, each by an index that starts with `ente_id`. Same
-- signature, same JSON, still STABLE and with the caller's rights (the policies apply).
create or replace function app_avanzamenti(p_ente uuid, p_anno int, p_obiettivi uuid[])
returns text
language plpgsql stable as $$
begin
    return (
        select coalesce(json_agg(x), '[]')::text from (
            with piano as (
                select p.id, coalesce(v.delibera_data, p.delibera_data) as approvazione
                  from piani p
                  left join piani_versioni v on v.ente_id = p.ente_id and v.piano_id = p.id
                                            and v.numero = 1
                 where p.ente_id = p_ente and p.anno = p_anno),
            ultime as (
                select distinct on (r.struttura_id) r.struttura_id, m.id, m.data_riferimento
                  from piano
                  join monitoraggi m on m.ente_id = p_ente and m.piano_id = piano.id
                  join rilevazioni r on r.ente_id = p_ente and r.monitoraggio_id = m.id
                                    and r.inviata_il is not null
                 order by r.struttura_id, m.data_riferimento desc)
            select u.data_riferimento as data, piano.approvazione,
                   a.obiettivo_id, a.fase_id, a.version,
                   (a.percentuale * 100)::int4 as centesimi, a.valore_effettivo,
                   a.valore_data, a.valore_fonte, a.nota, a.causa, a.causa_testo,
                   a.azione_correttiva, a.proposta, a.proposta_testo, a.conclusa_il
              from ultime u
              cross join piano
              join obiettivi o on o.ente_id = p_ente and o.struttura_id = u.struttura_id
              join avanzamenti a on a.ente_id = p_ente and a.monitoraggio_id = u.id
                                and a.obiettivo_id = o.id
             where p_obiettivi is null or o.id = any (p_obiettivi)
        ) x);
end $$;
