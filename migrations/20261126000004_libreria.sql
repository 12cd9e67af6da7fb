-- The template library: objective templates with their phases, in versions. Templates
-- with no firm form the shared base library (seeded below from the reference document,
-- read-only at run time); the others belong to one consultancy firm. A version is never
-- changed: editing a template adds the next one.

create table modelli (
    id uuid primary key default gen_random_uuid(),
    -- null: the base library, visible to every firm and ente, never written at run time.
    firm_id uuid references firms (id),
    -- The template this one was duplicated from, if any.
    origine_id uuid references modelli (id),
    versione_corrente int not null default 1 check (versione_corrente >= 1),
    ritirato boolean not null default false,
    created_by uuid references users (id),
    created_at timestamptz not null default now()
);
create index modelli_firm on modelli (firm_id);

create table modelli_versioni (
    modello_id uuid not null references modelli (id),
    versione int not null check (versione >= 1),
    titolo text not null check (length(titolo) between 1 and 300),
    descrizione text not null check (length(descrizione) between 1 and 10000),
    -- Hundredths of a percent point, as the plan's weights.
    peso numeric(5, 2) check (peso > 0 and peso <= 100),
    indicatori text not null default '' check (length(indicatori) <= 10000),
    valori_attesi text not null default '' check (length(valori_attesi) <= 10000),
    -- Due date relative to the annualità: day and month.
    scadenza_mese smallint check (scadenza_mese between 1 and 12),
    scadenza_giorno smallint check (scadenza_giorno between 1 and 31),
    -- [{descrizione, peso (hundredths), indicatori, valori_attesi, scadenza {mese, giorno}}]
    fasi jsonb not null default '[]' check (jsonb_typeof(fasi) = 'array'),
    tipi_struttura text[] not null default '{}',
    missioni text[] not null default '{}',
    natura text not null check (natura in ('mantenimento', 'sviluppo')),
    created_by uuid references users (id),
    created_at timestamptz not null default now(),
    -- Italian full-text search: title first, then description, then the rest.
    ricerca tsvector generated always as (
        setweight(to_tsvector('italian', titolo), 'A')
        || setweight(to_tsvector('italian', descrizione), 'B')
        || setweight(to_tsvector('italian', indicatori || ' ' || valori_attesi || ' ' || fasi::text), 'C')
    ) stored,
    primary key (modello_id, versione)
);
create index modelli_versioni_ricerca on modelli_versioni using gin (ricerca);

-- An objective remembers the template and version it was adopted from, and the newest
-- version whose update its editors dismissed.
alter table obiettivi
    add column modello_id uuid references modelli (id),
    add column modello_versione int,
    add column modello_ignorata int,
    add constraint obiettivi_modello check ((modello_id is null) = (modello_versione is null));
create index obiettivi_modello on obiettivi (modello_id) where modello_id is not null;


-- The base library: every distinct objective of the reference document (the consultant's
-- Word template, `app/modello/`), verbatim, with its phases; due dates as day and month;
-- tagged with the kinds of struttura and the DUP missions where the reference uses it.
with m as (insert into modelli (firm_id) values (null) returning id)
insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori, valori_attesi,
                              scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni, natura)
select id, 1, $t$Customer satisfaction: rilevazione e analisi dei risultati$t$,
$t$Coordinamento dell’implementazione e monitoraggio della Customer Satisfaction, attraverso l’utilizzo di applicazioni informatiche complesse o attraverso la somministrazione di specifici questionari di qualità all’utenza per la rilevazione dell’impatto dei singoli servizi erogati.$t$,
20, $t$Risultati prodotti dalle applicazioni informatiche.
Risultati dei questionari di qualità dei servizi.$t$,
$t$Produzione di specifico report di analisi del grado di soddisfazione degli utenti sui singoli servizi.
Ottenimento di almeno il 70% di feedback positivi.$t$,
12, 31,
$t$[
  {
    "descrizione": "coordinamento alla creazione o aggiornamento del questionario di rilevazione della customer satisfaction, verifica corretta diffusione del questionario sia mediante applicazioni informatiche che urne cartacee dislocate negli uffici che ricevono il pubblico.",
    "peso": 5000,
    "indicatori": "Creazione questionario.\nDiffusione del questionario sia mediante applicazioni informatiche che urne cartacee.",
    "valori_attesi": "Realizzazione di almeno un questionario all’anno.\nPubblicazione di un’applicazione dedicata sulla homepage del sito e posizionamento di un’urna in ogni ufficio che riceve il pubblico.",
    "scadenza": {
      "mese": 7,
      "giorno": 31
    }
  },
  {
    "descrizione": "coordinamento alla redazione dell’analisi dei risultati prodotti e verifica trasmissione del report di analisi all’Amministrazione e al Nucleo di Valutazione.",
    "peso": 5000,
    "indicatori": "Redazione dell’analisi dei risultati prodotti. Condivisione dei risultati emersi nell’analisi annuale.",
    "valori_attesi": "Realizzazione di almeno un report annuale. Trasmissione del report di analisi all’Amministrazione e al Nucleo di Valutazione.",
    "scadenza": {
      "mese": 12,
      "giorno": 31
    }
  }
]$t$::jsonb,
array['segreteria']::text[], array['01']::text[], 'sviluppo' from m;

with m as (insert into modelli (firm_id) values (null) returning id)
insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori, valori_attesi,
                              scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni, natura)
select id, 1, $t$Coordinamento di trasparenza e prevenzione della corruzione$t$,
$t$Coordinamento e controllo del rispetto obblighi e adempimenti relativi alla Trasparenza, di cui al dlgs n° 33/2013 e s.m.i. sulla sezione Amministrazione Trasparente.
Redazione dell’aggiornamento annuale al Piano Triennale sull’Anticorruzione entro i termini di legge, implementazione del nuovo PIAO, coordinamento e implementazione delle azioni volte alla prevenzione della corruzione previste nel piano e monitoraggio annuale.$t$,
20, $t$Sezione Amministrazione Trasparente.
Produzione di specifici report semestrali sul monitoraggio del PTPTC.
Relazione annuale sull’anticorruzione dell’ANAC da inviare al Nucleo di valutazione e da pubblicare sul sito.$t$,
$t$Assistenza alla corretta compilazione della griglia ANAC di controllo e invio al Nucleo di valutazione.
Controllo della pubblicazione degli incarichi affidati dalle strutture nell’anno
N. controlli a campione effettuati.
N. regolamenti specifici approvati.$t$,
12, 31,
$t$[
  {
    "descrizione": "redazione sulla relazione sull’anticorruzione e trasparenza relativa all’anno precedente.",
    "peso": 2500,
    "indicatori": "Redazione della relazione sulla base del modello predisposto dall’ANAC",
    "valori_attesi": "Pubblicazione della relazione sulla sezione dedicata di amministrazione trasparente.",
    "scadenza": {
      "mese": 1,
      "giorno": 31
    }
  },
  {
    "descrizione": "redazione aggiornamento annuale del piano triennale per la prevenzione della corruzione e trasparenza",
    "peso": 2500,
    "indicatori": "Redazione del piano annuale.",
    "valori_attesi": "Pubblicazione del piano sulla sezione dedicata di amministrazione trasparente.",
    "scadenza": {
      "mese": 3,
      "giorno": 31
    }
  },
  {
    "descrizione": "coordinamento del monitoraggio sull’implementazione del piano anticorruzione.",
    "peso": 2500,
    "indicatori": "Redazione del monitoraggio annuale sull’anticorruzione.",
    "valori_attesi": "Verifica e controllo della compilazione delle schede di monitoraggio da parte dei responsabili delle strutture.",
    "scadenza": {
      "mese": 12,
      "giorno": 31
    }
  },
  {
    "descrizione": "monitoraggio del rispetto degli obblighi di pubblicazione.",
    "peso": 2500,
    "indicatori": "Verifica della pubblicazione dei documenti oggetto di trasparenza.",
    "valori_attesi": "Accesso alla sezione trasparente e verifica della corretta pubblicazione in particolare delle informazioni relative agli incarichi e agli appalti.",
    "scadenza": {
      "mese": 12,
      "giorno": 31
    }
  }
]$t$::jsonb,
array['segreteria']::text[], array['01']::text[], 'mantenimento' from m;

with m as (insert into modelli (firm_id) values (null) returning id)
insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori, valori_attesi,
                              scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni, natura)
select id, 1, $t$Monitoraggio dei tempi medi di pagamento dei fornitori$t$,
$t$Monitoraggio del rispetto dei tempi medi di pagamento dei fornitori previsti dalla legge, attraverso una più tempestiva attività d’impegno e determinazione per la liquidazione consentendo all’ufficio ragioneria di emettere i mandati di pagamento in modo tempestivo rispettando l’ordine temporale di fatturazione.$t$,
10, $t$Tempi medi di pagamento dell’ente.$t$,
$t$Tempi medi di pagamento entro i 30 gg.
Valore indicatore annuale pubblicato sul sito uguale a 0.$t$,
12, 31,
$t$[
  {
    "descrizione": "monitoraggio trimestrale sul rispetto dei tempi medi di pagamento.",
    "peso": 5000,
    "indicatori": "Verifica dell’indicatore trimestrale di rispetto dei tempi medi di pagamento.",
    "valori_attesi": "Rispetto del limite temporale di pagamento entro 30 gg.",
    "scadenza": {
      "mese": 6,
      "giorno": 30
    }
  },
  {
    "descrizione": "pubblicazione dei dati sulla sezione amministrazione trasparente.",
    "peso": 5000,
    "indicatori": "Verifica della pubblicazione dei documenti oggetto di trasparenza.",
    "valori_attesi": "Accesso alla sezione trasparente e verifica della corretta pubblicazione degli indicatori previsti.",
    "scadenza": {
      "mese": 12,
      "giorno": 31
    }
  }
]$t$::jsonb,
array['segreteria']::text[], array['01']::text[], 'mantenimento' from m;

with m as (insert into modelli (firm_id) values (null) returning id)
insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori, valori_attesi,
                              scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni, natura)
select id, 1, $t$Contrattazione decentrata integrativa$t$,
$t$Gestione e coordinamento della contrattazione decentrata integrativa dell’anno di riferimento in conformità al CCNL comparto funzioni locali del 21.05.2018 e implementazione delle previsioni del nuovo CCNL del 2022.$t$,
20, $t$Implementazione del nuovo contratto decentrato integrativo e fondo del salario accessorio annuale.$t$,
$t$Corretta chiusura del processo di sottoscrizione definitiva e approvazione del nuovo CCDI dell’anno di riferimento.$t$,
7, 31,
$t$[
  {
    "descrizione": "verifica approvazione determina di costituzione del fondo del salario accessorio.",
    "peso": 5000,
    "indicatori": "Approvazione determina costituzione del fondo del salario accessorio.",
    "valori_attesi": "Verifica della corretta approvazione della determina.",
    "scadenza": {
      "mese": 5,
      "giorno": 31
    }
  },
  {
    "descrizione": "sottoscrizione definitiva del contratto decentrato integrativo economico.",
    "peso": 5000,
    "indicatori": "Sottoscrizione della preintesa del ccdi e conclusione della procedura di sottoscrizione definitiva.",
    "valori_attesi": "Corretta e tempestiva conclusione di tutte le fasi della contrattazione decentrata.",
    "scadenza": {
      "mese": 7,
      "giorno": 31
    }
  }
]$t$::jsonb,
array['segreteria']::text[], array['01']::text[], 'mantenimento' from m;

with m as (insert into modelli (firm_id) values (null) returning id)
insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori, valori_attesi,
                              scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni, natura)
select id, 1, $t$Lavoro agile (smart working)$t$,
$t$Coordinamento dell’implementazione del lavoro agile o smart working in particolare in considerazione dell’emergenza sanitaria esistente, anche mediante il ricorso a misure straordinarie e urgenti ai sensi delle disposizioni normative emanate, riorganizzando il lavoro mediante l’utilizzo dei strumenti informatici e telematici.$t$,
10, $t$Redazione del Piano Organizzativo del Lavoro Agile (non obbligatorio) o in alternativa coordinamento della programmazione delle attività relative al lavoro agile.$t$,
$t$Monitoraggio sull’implementazione del POLA da parte delle strutture, o in alternativa delle attività previste.
Controllo della rendicontazione prodotta dalle strutture organizzative e sulla redazione degli accordi individuali.$t$,
12, 31,
$t$[
  {
    "descrizione": "coordinamento della programmazione e implementazione del lavoro agile nelle strutture.",
    "peso": 5000,
    "indicatori": "Corretta applicazione del regolamento in materia di lavoro agile e rispetto delle norme speciali in concomitanza con la pandemia.",
    "valori_attesi": "Verifica del rispetto dei limiti minimi di personale in lavoro agile.\nVerifica del rispetto delle previsioni regolamentari in particolare in riferimento all’istruttoria delle domande presentate.",
    "scadenza": {
      "mese": 3,
      "giorno": 31
    }
  },
  {
    "descrizione": "controllo sulla rendicontazione delle strutture sull’implementazione del lavoro agile.",
    "peso": 5000,
    "indicatori": "Controllo della rendicontazione prodotta delle strutture sulla implementazione del lavoro agile.",
    "valori_attesi": "Verifica della produzione dei report sul lavoro agile e degli accordi individuali.",
    "scadenza": {
      "mese": 12,
      "giorno": 31
    }
  }
]$t$::jsonb,
array['segreteria']::text[], array['01']::text[], 'sviluppo' from m;

with m as (insert into modelli (firm_id) values (null) returning id)
insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori, valori_attesi,
                              scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni, natura)
select id, 1, $t$Monitoraggio della trasformazione digitale dell’Ente$t$,
$t$Monitoraggio del processo di trasformazione digitale dei servizi dell’Ente: processi di sviluppo, sviluppo dell'informatizzazione delle procedure.$t$,
20, $t$Supervisione dell’informatizzazione della procedura di accesso ai servizi dell’ente da parte degli utenti.$t$,
$t$Controllo dell’aggiornamento e pubblicazione di tutta la modulistica relativa ai servizi gestiti.$t$,
12, 31,
$t$[
  {
    "descrizione": "Formazione nativa dei documenti amministrativi in formato digitale – Pubblicazione dei documenti ed atti sul sito istituzionale nel rispetto dei requisiti di accessibilità.",
    "peso": 2500,
    "indicatori": "Rispetto dell’obbligo:\n- di formazione nativa del documento amministrativo;\n- di rispetto dei requisiti di accessibilità degli atti pubblicati sui siti web delle p.a.",
    "valori_attesi": "Formazione di tutti i documenti amministrativi (comprese lettere, istanze etc. che abbiano quali destinatari soggetti iscritti in IPA ed INI-PEC) in formato digitale;",
    "scadenza": {
      "mese": 5,
      "giorno": 31
    }
  },
  {
    "descrizione": "Utilizzo del gestionale per la creazione, sottoscrizione e pubblicazione delle Autorizzazioni dirigenziali.",
    "peso": 2500,
    "indicatori": "Informatizzazione della procedura per il rilascio delle Autorizzazioni dirigenziali.",
    "valori_attesi": "100% delle autorizzazioni rilasciate in formato digitale.",
    "scadenza": {
      "mese": 7,
      "giorno": 31
    }
  },
  {
    "descrizione": "Aggiornamento della modulistica on line.",
    "peso": 2500,
    "indicatori": "Revisione della modulistica per l’accesso ai servizi gestiti.",
    "valori_attesi": "Pubblicazione sul sito istituzionale in formato word e pdf di tutta la modulistica aggiornata relativa ai servizi specifici del Settore e necessaria all’attivazione dello sportello online per gli utenti.",
    "scadenza": {
      "mese": 9,
      "giorno": 30
    }
  },
  {
    "descrizione": "Individuazione e attivazione delle entrate da riscuotere obbligatoriamente tramite sistema PagoPa sul portale cittadino digitale.",
    "peso": 2500,
    "indicatori": "Analisi della tassonomia pubblicata da Agid con tutte le tipologie di entrata da riscuotere tramite PagoPa.",
    "valori_attesi": "Individuazione delle tipologie di entrata da attivare sul portale cittadino digitale per la riscossione tramite PagoPA",
    "scadenza": {
      "mese": 12,
      "giorno": 31
    }
  }
]$t$::jsonb,
array['segreteria']::text[], array['01']::text[], 'sviluppo' from m;

with m as (insert into modelli (firm_id) values (null) returning id)
insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori, valori_attesi,
                              scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni, natura)
select id, 1, $t$Trasparenza: obblighi e adempimenti (D.Lgs. 33/2013)$t$,
$t$Rispetto degli obblighi e adempimenti relativi alla Trasparenza, di cui al dlgs n° 33/2013 e s.m.i. sulla sezione Amministrazione Trasparente con particolare riferimento all’accessibilità dei contenuti sul sito web dell’Ente e risposta alle richieste di accesso, nel rispetto del corretto trattamento dei dati personali.$t$,
10, $t$Sezioni di Amministrazione Trasparente di competenza.
Rispetto delle previsioni normative e regolamentari interne.$t$,
$t$Corretto caricamento di tutti i documenti previsti dalla normativa sulle sezioni di amministrazione trasparente, nel rispetto del corretto trattamento dei dati personali.
Tempestiva risposta a tutte le richieste di accesso agli atti.$t$,
12, 31,
$t$[
  {
    "descrizione": "pubblicazione dei documenti previsti su amministrazione trasparente.",
    "peso": 10000,
    "indicatori": "Verifica della pubblicazione dei documenti oggetto di trasparenza.",
    "valori_attesi": "Accesso alla sezione trasparente e verifica della corretta pubblicazione in particolare delle informazioni relative agli incarichi e agli appalti.",
    "scadenza": {
      "mese": 12,
      "giorno": 31
    }
  }
]$t$::jsonb,
array['amministrativa', 'economico_finanziaria', 'tecnica', 'polizia_locale']::text[], array['01', '12', '06', '09', '08', '03']::text[], 'mantenimento' from m;

with m as (insert into modelli (firm_id) values (null) returning id)
insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori, valori_attesi,
                              scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni, natura)
select id, 1, $t$Prevenzione della corruzione (L. 190/2012)$t$,
$t$Prevenzione della corruzione ai sensi della L 190/2012 e implementazione delle azioni previste nel piano triennale di prevenzione della corruzione.$t$,
10, $t$Rispetto delle previsioni normative e regolamentari interne.
Adempimenti relativi al PTPTC$t$,
$t$Partecipazione alla redazione del PTPCT, con analisi delle aree di rischio di competenza, produzione dei report richiesti sulle attività di prevenzione della corruzione intraprese.$t$,
12, 31,
$t$[
  {
    "descrizione": "Monitoraggio sull’implementazione del piano anticorruzione.",
    "peso": 10000,
    "indicatori": "Redazione del monitoraggio semestrale o annuale sull’anticorruzione.",
    "valori_attesi": "Compilazione delle schede di monitoraggio sulle aree di rischio di appartenenza e gli atti adottati.",
    "scadenza": {
      "mese": 12,
      "giorno": 31
    }
  }
]$t$::jsonb,
array['amministrativa', 'economico_finanziaria', 'tecnica', 'polizia_locale']::text[], array['01', '12', '06', '09', '08', '03']::text[], 'mantenimento' from m;

with m as (insert into modelli (firm_id) values (null) returning id)
insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori, valori_attesi,
                              scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni, natura)
select id, 1, $t$Trasformazione digitale dei servizi dell’area$t$,
$t$Processo di trasformazione digitale dei servizi dell’Ente: sviluppo dell'informatizzazione delle procedure.$t$,
10, $t$Informatizzazione della procedura di accesso ai servizi dell’ente da parte degli utenti.$t$,
$t$Aggiornamento e pubblicazione online di tutta la modulistica relativa ai servizi gestiti.
Attivazione e verifica del funzionamento dell’accesso online ai servizi dell’Ente.$t$,
12, 31,
$t$[
  {
    "descrizione": "Formazione nativa dei documenti amministrativi in formato digitale – Pubblicazione dei documenti ed atti sul sito istituzionale nel rispetto dei requisiti di accessibilità.",
    "peso": 2500,
    "indicatori": "Rispetto dell’obbligo:\n- di formazione nativa del documento amministrativo;\n- di rispetto dei requisiti di accessibilità degli atti pubblicati sui siti web delle p.a.",
    "valori_attesi": "Formazione di tutti i documenti amministrativi (comprese lettere, istanze etc. che abbiano quali destinatari soggetti iscritti in IPA ed INI-PEC) in formato digitale;",
    "scadenza": {
      "mese": 5,
      "giorno": 31
    }
  },
  {
    "descrizione": "Utilizzo del gestionale per la creazione, sottoscrizione e pubblicazione delle Autorizzazioni dirigenziali.",
    "peso": 2500,
    "indicatori": "Informatizzazione della procedura per il rilascio delle Autorizzazioni dirigenziali.",
    "valori_attesi": "100% delle autorizzazioni rilasciate in formato digitale.",
    "scadenza": {
      "mese": 7,
      "giorno": 31
    }
  },
  {
    "descrizione": "Aggiornamento della modulistica on line.",
    "peso": 2500,
    "indicatori": "Revisione della modulistica per l’accesso ai servizi gestiti.",
    "valori_attesi": "Pubblicazione sul sito istituzionale in formato word e pdf di tutta la modulistica aggiornata relativa ai servizi specifici del Settore e necessaria all’attivazione dello sportello online per gli utenti.",
    "scadenza": {
      "mese": 9,
      "giorno": 30
    }
  },
  {
    "descrizione": "Individuazione e attivazione delle entrate da riscuotere obbligatoriamente tramite sistema PagoPa sul portale cittadino digitale.",
    "peso": 2500,
    "indicatori": "Analisi della tassonomia pubblicata da Agid con tutte le tipologie di entrata da riscuotere tramite PagoPa.",
    "valori_attesi": "Individuazione delle tipologie di entrata da attivare sul portale cittadino digitale per la riscossione tramite PagoPA",
    "scadenza": {
      "mese": 12,
      "giorno": 31
    }
  }
]$t$::jsonb,
array['amministrativa', 'economico_finanziaria', 'tecnica', 'polizia_locale']::text[], array['01', '12', '06', '09', '08', '03']::text[], 'sviluppo' from m;

with m as (insert into modelli (firm_id) values (null) returning id)
insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori, valori_attesi,
                              scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni, natura)
select id, 1, $t$Mantenimento degli standard dei servizi e dei tempi dei procedimenti$t$,
$t$Obiettivo di mantenimento: rispetto degli standard qualitativi e quantitativi relativi ai servizi gestiti ed erogati, monitoraggio e rispetto dei tempi previsti sulla chiusura dei procedimenti amministrativi, anche in ragione del persistere dello stato di emergenza pandemica e il conseguente utilizzo dell’istituto del lavoro agile.$t$,
10, $t$Indicatori di attività, efficienza, efficacia ed economicità relativi ai volumi prodotti sui servizi gestiti che si possono desumere anche dalla relazione al conto annuale, confronto tra gli indicatori dell’anno di riferimento rispetto all’anno precedente.$t$,
$t$Raggiungimento della media del 100% dei valori degli indicatori dell’anno precedente o superamento degli stessi, confronto con 5 indicatori di attività rilevanti.
Monitoraggio e rispetto dei tempi di chiusura dei procedimenti amministrativi come previsto da legge e disciplina regolamentare.$t$,
12, 31,
$t$[
  {
    "descrizione": "confronto tra gli indicatori di attività ed economicità dell’anno corrente con quelli dell’anno precedente al fine del mantenimento degli standard qualitativi e quantitativi.",
    "peso": 10000,
    "indicatori": "N. determine anno corrente e anno precedente.\nN. utenti gestiti anno corrente e anno precedente.\nN. pratiche elaborate anno corrente e anno precedente.\nN. messaggi di posta in uscita anno corrente e anno precedente.\nN. protocolli gestiti anno corrente e anno precedente.",
    "valori_attesi": "Mantenimento dello stesso standard complessivo dell’anno precedente o miglioramento degli indicatori.",
    "scadenza": {
      "mese": 12,
      "giorno": 31
    }
  }
]$t$::jsonb,
array['amministrativa', 'economico_finanziaria', 'tecnica', 'polizia_locale']::text[], array['01', '12', '06', '09', '08', '03']::text[], 'mantenimento' from m;

with m as (insert into modelli (firm_id) values (null) returning id)
insert into modelli_versioni (modello_id, versione, titolo, descrizione, peso, indicatori, valori_attesi,
                              scadenza_mese, scadenza_giorno, fasi, tipi_struttura, missioni, natura)
select id, 1, $t$Obiettivo di sviluppo specifico dell’area (da completare)$t$,
$t$Obiettivo di sviluppo specifico dell’area:$t$,
30, $t$$t$,
$t$$t$,
12, 31,
$t$[
  {
    "descrizione": "",
    "peso": 5000,
    "indicatori": "",
    "valori_attesi": "",
    "scadenza": {
      "mese": 10,
      "giorno": 31
    }
  },
  {
    "descrizione": "",
    "peso": 5000,
    "indicatori": "",
    "valori_attesi": "",
    "scadenza": {
      "mese": 12,
      "giorno": 31
    }
  }
]$t$::jsonb,
array['amministrativa', 'economico_finanziaria', 'tecnica', 'polizia_locale']::text[], array['01', '12', '06', '09', '08', '03']::text[], 'sviluppo' from m;


alter table modelli enable row level security;
alter table modelli force row level security;
-- Visible: the base library; to a consultant, their firm's templates; inside an ente, the
-- templates of the firm that serves it. Written only by the owning firm's consultants.
create policy modelli_read on modelli for select
    using (firm_id is null or firm_id = app_firm()
           or firm_id = (select e.firm_id from enti e where e.id = app_ente()));
create policy modelli_insert on modelli for insert with check (firm_id = app_firm());
create policy modelli_update on modelli for update
    using (firm_id = app_firm()) with check (firm_id = app_firm());

-- Versions follow their template's visibility; they are only ever added, never changed.
alter table modelli_versioni enable row level security;
alter table modelli_versioni force row level security;
create policy modelli_versioni_read on modelli_versioni for select
    using (exists (select 1 from modelli m where m.id = modello_id));
create policy modelli_versioni_insert on modelli_versioni for insert
    with check (exists (select 1 from modelli m where m.id = modello_id and m.firm_id = app_firm()));
