-- The one way a transaction gets its caller and its ente. SET LOCAL lasts until the
-- transaction ends, like set_config(..., true), but unlike it Citus forwards it to the
-- worker nodes (with citus.propagate_set_commands = 'local'): the tenancy then runs
-- unchanged on a distributed cluster. Only the settings the policies read may be set.
create function app_imposta(p_chiave text, p_valore text) returns void
language plpgsql as $$
begin
    if p_chiave not in ('app.user_id', 'app.firm_id', 'app.platform_admin', 'app.ente_id') then
        raise exception 'impostazione non ammessa: %', p_chiave;
    end if;
    execute format('set local %s = %L', p_chiave, coalesce(p_valore, ''));
end $$;
