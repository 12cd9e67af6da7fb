-- Entering an ente in one round trip. The door used to resolve the ente, then the
-- caller's membership, then set the ente and the role: three statements on every server
-- function of every page. This does the same in one, with the caller's settings already
-- set in the transaction (app.user_id, app.firm_id): it reads through the same policies
-- (security invoker), so an ente the caller has no business with returns no row, exactly
-- like one that does not exist.
--
-- The role: the ente's firm's consultant acts as `consultant` whatever their membership
-- (the strongest role, `Role::rank`; a unit test keeps the two in step); anyone else by
-- their active, accepted membership.
create function app_entra(p_slug text)
returns table (ente_id uuid, nome text, ruolo text)
language plpgsql as $$
declare
    v_id uuid;
    v_nome text;
    v_firm uuid;
    v_ruolo text;
    v_chiamante text := coalesce(current_setting('app.firm_id', true), '');
begin
    select e.id, e.name, e.firm_id into v_id, v_nome, v_firm from enti e where e.slug = p_slug;
    if v_id is null then
        return;
    end if;
    if v_chiamante <> '' and v_firm = v_chiamante::uuid then
        v_ruolo := 'consultant';
    else
        select m.role into v_ruolo from memberships m
         where m.user_id = nullif(current_setting('app.user_id', true), '')::uuid
           and m.ente_id = v_id and not m.disabled and m.invito_hash is null;
    end if;
    if v_ruolo is null then
        return;
    end if;
    perform app_imposta('app.ente_id', v_id::text), app_imposta('app.ruolo', v_ruolo);
    return query select v_id, v_nome, v_ruolo;
end $$;
