-- An ente is visible to its accepted members: asked as "is the caller a member of this
-- ente" (one probe of memberships' primary key per ente read), no longer as "is this ente
-- among all of the caller's" (a hash of every membership of theirs, built for each query:
-- 16 ms for a Nucleo member of thousands of enti, seen in the national-scale bench).
drop policy enti_access on enti;
create policy enti_access on enti
    using (app_is_platform_admin()
           or id = app_ente()
           or firm_id = app_firm()
           or exists (select 1 from memberships m
                       where m.ente_id = enti.id and m.user_id = app_user()
                         and m.invito_hash is null))
    with check (app_is_platform_admin() or id = app_ente() or firm_id = app_firm());
