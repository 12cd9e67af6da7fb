-- The sessions of an account, as its owner sees them in «Le mie sessioni»: each login opens
-- one, logging out or «Chiudi le altre sessioni» closes it, and a closed one is refused at its
-- next request.
create table sessioni_utente (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users (id) on delete cascade,
    creata_at timestamptz not null default now(),
    vista_at timestamptz not null default now(),
    indirizzo text check (length(indirizzo) <= 64),
    agente text not null default '' check (length(agente) <= 300),
    chiusa_at timestamptz
);
create index sessioni_utente_user on sessioni_utente (user_id, creata_at desc);

alter table sessioni_utente enable row level security;
alter table sessioni_utente force row level security;
create policy sessioni_utente_proprie on sessioni_utente
    using (user_id = app_user()) with check (user_id = app_user());
