-- The final PDF of an approved plan is made once, when the plan is approved, and kept:
-- a download serves these bytes (a GET changes nothing), and a copy signed elsewhere is
-- matched against them. One final PDF per approved version of a plan.
alter table allegati_esportati add column contenuto bytea;
alter table allegati_esportati add constraint allegati_esportati_contenuto
    check (contenuto is null or (tipo = 'pdf' and length(contenuto) = dimensione));
create unique index allegati_esportati_finale on allegati_esportati (ente_id, piano_id, piano_version)
    where contenuto is not null;
