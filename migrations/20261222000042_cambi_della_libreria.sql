-- An approved plan's head statement (`ssr::piani::leggi_con`) read its adopted objectives'
-- templates on every request: 30 objectives, their strutture and their templates, each
-- through its policy, to learn the templates' current version and title: the head
-- statement took 0.21–0.28 ms with that read and 0.11–0.15 ms without it (`pgbench`, one
-- connection, generic plans, the N = 10 bench database, as the runtime role, five
-- alternated runs on a quiet machine). While the plan is approved its objectives cannot
-- change (migration 0008); the templates can, at any time.
--
-- Each scope of templates (a firm, or the nil UUID for the base library) now counts its
-- changes: every insert, update or delete of a template adds one, in the writer's own
-- transaction. A count only grows and is written in commit order (the row is locked until
-- the writer commits), so two reads of the counts of the same scopes that give the same sum
-- saw the same templates of those scopes. The server keeps what an approved plan's
-- objectives adopted with the sum of the counts of the scopes the caller may see; the head
-- statement reads the counts and reads the adoptions again only when the sum, the plan's
-- version, or the role and settings that decide what the caller may see have moved.
--
-- The counts are written by a trigger that runs as the owner (SECURITY DEFINER): the
-- runtime role may only read them (no write policy, and no write grant: `db.rs`), through a
-- policy that shows the scopes whose templates it may see, as `modelli_read` does. No row
-- is written beforehand: a scope without one counts 0, and its first change writes 1.

create table modelli_cambi (
    ambito uuid primary key,
    cambi bigint not null
);

alter table modelli_cambi enable row level security;
create policy modelli_cambi_read on modelli_cambi for select
    using (ambito = '00000000-0000-0000-0000-000000000000'::uuid or ambito = app_firm()
           or app_serve_ente(ambito));

create function app_conta_cambio() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    insert into modelli_cambi (ambito, cambi)
    values (case tg_op when 'DELETE' then old.ambito else new.ambito end, 1)
    on conflict (ambito) do update set cambi = modelli_cambi.cambi + 1;
    return null;
end $$;

create trigger modelli_cambi after insert or update or delete on modelli
    for each row execute function app_conta_cambio();
