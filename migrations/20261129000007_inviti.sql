-- Invitations and temporary passwords.
-- An existing account joins an ente or a firm only when its owner enters the single-use code
-- the inviting admin was given: until then the membership is pending (invito_hash set) and
-- grants nothing. Passwords set by someone other than the owner are temporary: they must be
-- changed at the first login and stop working when they expire.

alter table users
    add column password_temporanea boolean not null default false,
    add column password_scade_at timestamptz;

alter table memberships
    add column invito_hash text check (invito_hash ~ '^[0-9a-f]{64}$'),
    add column invito_scade_at timestamptz,
    -- The name the inviter typed: shown to them instead of the account's own name, which
    -- they must not learn before the owner accepts.
    add column invito_nome text check (length(invito_nome) between 1 and 200),
    add constraint memberships_invito_scade check ((invito_hash is null) = (invito_scade_at is null));

alter table firm_memberships
    add column invito_hash text check (invito_hash ~ '^[0-9a-f]{64}$'),
    add column invito_scade_at timestamptz,
    add column invito_nome text check (length(invito_nome) between 1 and 200),
    add constraint firm_memberships_invito_scade check ((invito_hash is null) = (invito_scade_at is null));

-- Accepting sets the firm while the invitee works in the transaction; the firm's own
-- consultants may also issue a new code.
create policy firm_memberships_update on firm_memberships for update
    using (app_is_platform_admin() or firm_id = app_firm())
    with check (app_is_platform_admin() or firm_id = app_firm());

-- An ente is visible to its members only once they have accepted.
drop policy enti_access on enti;
create policy enti_access on enti
    using (app_is_platform_admin()
           or id = app_ente()
           or firm_id = app_firm()
           or id in (select m.ente_id from memberships m
                      where m.user_id = app_user() and m.invito_hash is null))
    with check (app_is_platform_admin() or id = app_ente() or firm_id = app_firm());
