-- A plan's page read the templates its objectives were adopted from in a lateral of its
-- head statement (`ssr::piani::Testa`): objectives, strutture and templates joined, each
-- through its policy, and a window numbering the rows. The server keeps what it read of
-- an approved plan (`approvati::Adozioni`) and the lateral read nothing while the
-- library's counts had not moved, but PostgreSQL set its plan nodes and policies up on
-- every request all the same: that is what a statement costs here, not the rows it reads
-- (migrations 0043 and 0044). With `pgbench` (one connection, the runtime role, generic
-- plans, BEGIN READ ONLY, the caller's read, the head statement, ROLLBACK; `bench genera
-- 10`, 15 alternated 1 s runs) the head statement of a kept plan took a median of 0.184 ms
-- with the lateral, 0.154 with this function, and 0.157 with no read of the adoptions.
--
-- The read is now this function, called only when what was kept does not hold: a
-- statement that does not call it does not set it up. STABLE, so that it reads the
-- caller's snapshot (the counts and the templates agree); not SECURITY DEFINER, so that
-- the policies are the caller's. It returns the plan's adoptions as JSON text, one array
-- per objective adopted from the library: (objective, template, version adopted, version
-- whose update was declined, current version, current title). Templates the caller may
-- not see are left out by their policies, as they were.
create function app_adozioni(p_ente uuid, p_piano uuid)
returns text
language plpgsql stable as $$
begin
    return (
        select coalesce(json_agg(json_build_array(o.id, o.modello_id, o.modello_versione,
                                                  o.modello_ignorata, m.versione_corrente,
                                                  m.titolo)), '[]')::text
          from obiettivi o
          join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
          join modelli m on m.id = o.modello_id
         where o.ente_id = p_ente and s.ente_id = p_ente and s.piano_id = p_piano);
end $$;
