-- In how many places an account is used (memberships of enti, a consultancy firm). An ente's
-- admins may reset only the password of an account used in their ente alone: the password
-- is the account's, and another ente's admins must not take over someone they share.
-- Counted by triggers, because Row-Level Security hides other enti's memberships from the
-- admin who asks (and must keep hiding which enti those are).
alter table users add column ambiti int not null default 0 check (ambiti >= 0);

create function users_ambiti() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        update users set ambiti = ambiti + 1 where id = new.user_id;
    elsif tg_op = 'DELETE' then
        update users set ambiti = ambiti - 1 where id = old.user_id;
    end if;
    return null;
end $$;

create trigger memberships_ambiti after insert or delete on memberships
    for each row execute function users_ambiti();
create trigger firm_memberships_ambiti after insert or delete on firm_memberships
    for each row execute function users_ambiti();

-- Existing accounts: counted once, with the owner seeing every row for the moment.
alter table memberships no force row level security;
alter table firm_memberships no force row level security;
update users u set ambiti =
    (select count(*) from memberships m where m.user_id = u.id)
    + (select count(*) from firm_memberships f where f.user_id = u.id);
alter table memberships force row level security;
alter table firm_memberships force row level security;
