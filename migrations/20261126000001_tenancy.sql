-- Tenancy: consultancy firms, enti, users and their memberships.
-- Every table that holds an ente's data has ente_id in its keys and Row-Level Security
-- enabled and FORCED; policies read the transaction-local settings the application sets
-- (app.user_id, app.firm_id, app.ente_id, app.platform_admin) after it has authorised the request.

create function app_user() returns uuid language sql stable as
$$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create function app_ente() returns uuid language sql stable as
$$ select nullif(current_setting('app.ente_id', true), '')::uuid $$;
create function app_firm() returns uuid language sql stable as
$$ select nullif(current_setting('app.firm_id', true), '')::uuid $$;
create function app_is_platform_admin() returns boolean language sql stable as
$$ select coalesce(current_setting('app.platform_admin', true), '') = 'on' $$;

create table users (
    id uuid primary key default gen_random_uuid(),
    email text not null check (email = lower(email) and email like '%_@_%'),
    display_name text not null check (length(display_name) between 1 and 200),
    password_hash text not null,
    is_platform_admin boolean not null default false,
    disabled boolean not null default false,
    created_at timestamptz not null default now(),
    password_changed_at timestamptz not null default now(),
    constraint users_email_key unique (email)
);

create table firms (
    id uuid primary key default gen_random_uuid(),
    name text not null check (length(name) between 1 and 200),
    created_at timestamptz not null default now(),
    constraint firms_name_key unique (name)
);

create table firm_memberships (
    firm_id uuid not null references firms (id),
    user_id uuid not null references users (id),
    role text not null default 'consultant' check (role in ('consultant')),
    created_at timestamptz not null default now(),
    primary key (firm_id, user_id),
    -- A consultant works for one firm: the firm they act for is never ambiguous.
    constraint firm_memberships_user_key unique (user_id)
);

create table enti (
    id uuid primary key default gen_random_uuid(),
    firm_id uuid references firms (id),
    name text not null check (length(name) between 1 and 200),
    provincia text not null default '' check (length(provincia) <= 100),
    slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
    codice_istat text check (codice_istat ~ '^[0-9]{6}$'),
    codice_ipa text check (length(codice_ipa) <= 20),
    created_at timestamptz not null default now(),
    constraint enti_slug_key unique (slug)
);
create index enti_firm on enti (firm_id);

create table memberships (
    ente_id uuid not null references enti (id),
    user_id uuid not null references users (id),
    role text not null check (role in ('ente_admin', 'responsabile', 'dipendente', 'nucleo')),
    -- Disabled by the ente's admins: the account no longer enters this ente.
    disabled boolean not null default false,
    created_at timestamptz not null default now(),
    primary key (ente_id, user_id)
);
create index memberships_user on memberships (user_id);

-- What happened in an ente, by whom (role changes, disabled accounts, reopened plans...).
create table audit_log (
    ente_id uuid not null references enti (id),
    id bigint generated always as identity,
    user_id uuid references users (id),
    action text not null,
    detail jsonb not null default '{}',
    at timestamptz not null default now(),
    primary key (ente_id, id)
);

-- Policies never query their own table (Postgres would recurse): the firm a consultant
-- acts for is read first from their own membership row, then set as app.firm_id.
alter table firms enable row level security;
alter table firms force row level security;
create policy firms_access on firms
    using (app_is_platform_admin() or id = app_firm()
           or id in (select e.firm_id from enti e where e.id = app_ente()))
    with check (app_is_platform_admin());

alter table firm_memberships enable row level security;
alter table firm_memberships force row level security;
create policy firm_memberships_read on firm_memberships for select
    using (app_is_platform_admin() or user_id = app_user() or firm_id = app_firm());
create policy firm_memberships_insert on firm_memberships for insert
    with check (app_is_platform_admin() or firm_id = app_firm());
create policy firm_memberships_delete on firm_memberships for delete
    using (app_is_platform_admin() or firm_id = app_firm());

-- Enti: an ente is visible to its members, to the consultants of its firm, and while
-- working in it.
alter table enti enable row level security;
alter table enti force row level security;
create policy enti_access on enti
    using (app_is_platform_admin()
           or id = app_ente()
           or firm_id = app_firm()
           or id in (select m.ente_id from memberships m where m.user_id = app_user()))
    with check (app_is_platform_admin() or id = app_ente() or firm_id = app_firm());
-- Memberships: one's own (to list one's enti at login), and all of the ente being worked in.
alter table memberships enable row level security;
alter table memberships force row level security;
create policy memberships_read on memberships for select
    using (ente_id = app_ente() or user_id = app_user());
create policy memberships_insert on memberships for insert with check (ente_id = app_ente());
create policy memberships_update on memberships for update
    using (ente_id = app_ente()) with check (ente_id = app_ente());
create policy memberships_delete on memberships for delete using (ente_id = app_ente());

alter table audit_log enable row level security;
alter table audit_log force row level security;
create policy audit_log_ente on audit_log
    using (ente_id = app_ente()) with check (ente_id = app_ente());
