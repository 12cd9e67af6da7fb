-- A person's memberships in ente order: the header's «Cambia ente» asks for two of them on
-- every page, and with the index on user_id alone the planner scanned the table for a
-- person in many enti (a firm's or a platform's reader: 3 ms at 7,900 enti).
create index memberships_user_ente on memberships (user_id, ente_id);
drop index memberships_user;
