-- A page's header (the ente's name, the sections of the caller's role, «Cambia ente», the
-- bell) opened a transaction of its own on every page: `BEGIN` with the settings, one
-- statement, and the end, for what the caller's read already knows (the ente entered and
-- the role) and two small reads more. The caller's read of a page now gives those two too:
-- the unread reminders and, in an ente, whether the caller may enter another one. Files
-- (the plan's PDF, reports) do not ask for them.
--
-- Same name, one argument more: the three-argument function is replaced, not kept beside
-- it (nothing else calls it).
drop function app_chiamante_nell_ente(text, interval, text);

-- The caller of the session whose cookie's key is `p_chiave` (see
-- `app_chiamante_della_sessione`) and, when `p_slug` is given and the caller may enter
-- that ente, the ente's id, its name and the caller's role there (`app_entra`'s answer,
-- null otherwise). With `p_menu`, the header's reads: the caller's unread reminders and,
-- with the ente entered, whether they may enter another (a membership, or their firm's
-- ente, other than this one); null without.
create function app_chiamante_nell_ente(p_chiave text, p_durata interval, p_slug text,
                                        p_menu boolean)
returns table (
    user_id uuid,
    sessione uuid,
    email text,
    display_name text,
    is_platform_admin boolean,
    password_temporanea boolean,
    deve_attivare_2fa boolean,
    firm_id uuid,
    vista_dovuta boolean,
    ente_id uuid,
    ente_nome text,
    ruolo text,
    promemoria bigint,
    altri_enti boolean
)
language plpgsql as $$
declare
    c record;
    v_ente uuid;
    v_nome text;
    v_ruolo text;
    v_promemoria bigint;
    v_altri boolean;
begin
    select * into c from app_chiamante_della_sessione(p_chiave, p_durata);
    if not found then
        return;
    end if;
    -- `app.user_id` is the caller's already (`app_chiamante`); the rest as a door's
    -- opening writes it (`ssr/context.rs`, `impostazioni`).
    perform set_config('app.firm_id', coalesce(c.firm_id::text, ''), true),
            set_config('app.platform_admin',
                       case when c.is_platform_admin then 'on' else '' end, true);
    if p_menu then
        -- Before entering: the reminders the caller reads from any page (the ente's own
        -- policy would add none of theirs).
        select count(*) into v_promemoria from promemoria p
         where p.user_id = c.user_id and p.letto_il is null;
    end if;
    if p_slug is not null then
        select a.ente_id, a.nome, a.ruolo into v_ente, v_nome, v_ruolo
          from app_entra(p_slug) a;
    end if;
    if p_menu and v_ente is not null then
        -- Each `exists` stops at its first row (see `enti::per_menu`, the same question for
        -- calls from the browser).
        v_altri := exists (select 1 from memberships m
                            where m.user_id = c.user_id and m.ente_id <> v_ente
                              and not m.disabled and m.invito_hash is null)
                   or exists (select 1 from enti x where x.firm_id = c.firm_id and x.id <> v_ente);
    end if;
    return query
    select c.user_id, c.sessione, c.email, c.display_name, c.is_platform_admin,
           c.password_temporanea, c.deve_attivare_2fa, c.firm_id, c.vista_dovuta,
           v_ente, v_nome, v_ruolo, v_promemoria, v_altri;
end $$;
