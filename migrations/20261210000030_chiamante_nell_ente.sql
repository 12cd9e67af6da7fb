-- A GET under `/e/{slug}/` (a page, a file) reads its caller, then its first door enters
-- the ente with `app_entra`: a statement and a round trip of its own. The caller's read now
-- enters the ente in the same statement, with the settings the door's opening writes (the
-- caller, their firm, whether a platform administrator), and the request's doors open with
-- its answer, as later doors already did with the first door's. Nothing is set past the
-- statement: it runs in its own implicit transaction, as `app_chiamante_della_sessione`.

-- The caller of the session whose cookie's key is `p_chiave` (see
-- `app_chiamante_della_sessione`) and, when `p_slug` is given and the caller may enter
-- that ente, the ente's id, its name and the caller's role there (`app_entra`'s answer,
-- null otherwise).
create or replace function app_chiamante_nell_ente(p_chiave text, p_durata interval,
                                                   p_slug text)
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
    ruolo text
)
language plpgsql as $$
declare
    c record;
    v_ente uuid;
    v_nome text;
    v_ruolo text;
begin
    select * into c from app_chiamante_della_sessione(p_chiave, p_durata);
    if not found then
        return;
    end if;
    if p_slug is not null then
        -- `app.user_id` is the caller's already (`app_chiamante`); the rest as a door's
        -- opening writes it (`ssr/context.rs`, `impostazioni`).
        perform set_config('app.firm_id', coalesce(c.firm_id::text, ''), true),
                set_config('app.platform_admin',
                           case when c.is_platform_admin then 'on' else '' end, true);
        select a.ente_id, a.nome, a.ruolo into v_ente, v_nome, v_ruolo
          from app_entra(p_slug) a;
    end if;
    return query
    select c.user_id, c.sessione, c.email, c.display_name, c.is_platform_admin,
           c.password_temporanea, c.deve_attivare_2fa, c.firm_id, c.vista_dovuta,
           v_ente, v_nome, v_ruolo;
end $$;
