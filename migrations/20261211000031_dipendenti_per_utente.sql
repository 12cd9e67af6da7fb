-- «I miei obiettivi» finds the caller's own row in the ente's staff registry (`d.user_id =
-- the caller`), then their assignments, objectives and phases. Without an index on the
-- person, each of its four reads started from all the ente's assignments and objectives
-- and kept the caller's at the end: work that grows with the size of the ente, not with
-- the person's few objectives (121 buffers against 45 for the reference-size ente of the
-- bench, and a comune with hundreds of employees reads hundreds of rows per page). The
-- staff registry's accounts are few per ente; the index holds only the rows linked to one.
create index dipendenti_utente on dipendenti (ente_id, user_id) where user_id is not null;
