-- A responsabile may propose, with an objective's progress, a rimodulazione of it: a new
-- expected value, indicator, deadline or weight, dropping it, or adding one; with the reason.
alter table avanzamenti
    add column proposta text check (proposta in ('valore', 'indicatore', 'scadenza', 'peso', 'elimina', 'aggiungi')),
    add column proposta_testo text not null default '' check (length(proposta_testo) <= 5000),
    add constraint avanzamenti_proposta_obiettivo check (proposta is null or fase_id is null);
