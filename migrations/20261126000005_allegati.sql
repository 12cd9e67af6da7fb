-- The PEG attachment: the ente's signing key (encrypted at rest), the PDFs exported (their
-- SHA-256, to recognise a copy signed elsewhere) and the archive of signed copies, which
-- is immutable. Ente-owned: ente_id in the keys, RLS enabled and forced.

create table firme_ente (
    ente_id uuid not null references enti (id),
    id uuid not null default gen_random_uuid(),
    -- Shown in the closing block of a signed attachment.
    firmatario text not null check (length(firmatario) between 1 and 200),
    ruolo text not null check (length(ruolo) between 1 and 200),
    -- From the certificate: shown to admins, never the key.
    soggetto text not null check (length(soggetto) <= 1000),
    emittente text not null check (length(emittente) <= 1000),
    valido_dal timestamptz not null,
    valido_al timestamptz not null,
    -- DER certificates, the signer's first.
    certificati bytea[] not null,
    -- nonce || AES-256-GCM(PKCS#8 private key), key from the server's configuration,
    -- the ente's id as associated data (a row copied to another ente does not decrypt).
    chiave_cifrata bytea not null,
    caricato_da uuid references users (id),
    caricato_il timestamptz not null default now(),
    primary key (ente_id, id),
    constraint firme_ente_una unique (ente_id)
);

create table allegati_esportati (
    ente_id uuid not null,
    id uuid not null default gen_random_uuid(),
    piano_id uuid not null,
    -- The plan's version when exported: a copy of an older approval is recognised as such.
    piano_version int not null,
    -- 'pdf' the final PDF; 'pades' / 'cades' the PDF (with the signer's name) that was
    -- signed here as PAdES / enveloped in a .p7m.
    tipo text not null check (tipo in ('pdf', 'pades', 'cades')),
    sha256 bytea not null check (length(sha256) = 32),
    dimensione bigint not null check (dimensione > 0),
    esportato_da uuid references users (id),
    esportato_il timestamptz not null default now(),
    primary key (ente_id, id),
    constraint allegati_esportati_hash unique (ente_id, piano_id, sha256),
    foreign key (ente_id, piano_id) references piani (ente_id, id) on delete cascade
);
create index allegati_esportati_dimensione on allegati_esportati (ente_id, piano_id, dimensione);

create table allegati_firmati (
    ente_id uuid not null,
    id uuid not null default gen_random_uuid(),
    piano_id uuid not null,
    esportato_id uuid not null,
    nome_file text not null check (length(nome_file) between 1 and 255),
    formato text not null check (formato in ('pades', 'cades')),
    sha256 bytea not null check (length(sha256) = 32),
    dimensione bigint not null check (dimensione > 0),
    contenuto bytea not null,
    firmatario text not null check (length(firmatario) <= 500),
    firmato_il timestamptz,
    caricato_da uuid references users (id),
    caricato_il timestamptz not null default now(),
    primary key (ente_id, id),
    constraint allegati_firmati_hash unique (ente_id, piano_id, sha256),
    foreign key (ente_id, piano_id) references piani (ente_id, id),
    foreign key (ente_id, esportato_id) references allegati_esportati (ente_id, id)
);

-- The archive keeps what was signed, as it was: no update, no delete, for anyone.
create function allegati_firmati_immutabili() returns trigger language plpgsql as $$
begin
    raise exception 'l''archivio delle copie firmate non si modifica';
end $$;
create trigger allegati_firmati_immutabili before update or delete on allegati_firmati
    for each row execute function allegati_firmati_immutabili();

do $$
declare t text;
begin
    foreach t in array array['firme_ente', 'allegati_esportati', 'allegati_firmati'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I using (ente_id = app_ente()) with check (ente_id = app_ente())',
                       t || '_ente', t);
    end loop;
end $$;
