-- The approved plans that lack their final PDF, in every ente, in one call. Start-up used
-- to look ente by ente, a transaction each: seconds with thousands of enti. The function
-- runs as its caller, under the policies: it sets each ente in turn, as a request would
-- (listing the enti needs app.platform_admin, as before).
create function app_piani_senza_finale() returns table (ente_id uuid, anno int)
language plpgsql as $$
#variable_conflict use_column
declare e uuid;
begin
    for e in select id from enti order by id loop
        perform app_imposta('app.ente_id', e::text);
        return query
            select p.ente_id, p.anno from piani p
             where p.ente_id = e and p.stato = 'approvato'
               and not exists (select 1 from allegati_esportati a
                                where a.ente_id = p.ente_id and a.piano_id = p.id
                                  and a.piano_version = p.version and a.contenuto is not null);
    end loop;
    perform app_imposta('app.ente_id', '');
end $$;
