//! What server functions hand to pages: plain data, serialisable both ways.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::roles::Role;

/// An ente the user may enter, with their role there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnteBreve {
    pub slug: String,
    pub name: String,
    pub provincia: String,
    pub role: Role,
}

/// What the landing page shows after login.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaPersonale {
    pub display_name: String,
    pub email: String,
    pub is_platform_admin: bool,
    pub firm_name: Option<String>,
    pub enti: Vec<EnteBreve>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnteScheda {
    pub slug: String,
    pub name: String,
    pub provincia: String,
    pub role: Role,
    /// What the caller must do, nearest deadline first.
    #[serde(default)]
    pub scadenze: Vec<ScadenzaView>,
    /// The server's date, which the deadlines are counted from.
    #[serde(default)]
    pub oggi: Option<chrono::NaiveDate>,
}

/// Something the caller must do by a date, with the page to do it on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScadenzaView {
    pub testo: String,
    pub scadenza: chrono::NaiveDate,
    pub link: String,
}

/// A member of an ente, as its admins see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membro {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    /// Also used in another ente, by a firm or as platform admin: only its holder may
    /// change its password.
    #[serde(default)]
    pub condiviso: bool,
    /// Invited, not yet accepted: the membership grants nothing until the owner enters the
    /// code. `display_name` is then the name the inviter typed.
    #[serde(default)]
    pub in_attesa: bool,
}

/// What a one-time code shown to an admin is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodiceTipo {
    /// A new account or an invitation of an existing one: the admin may not learn which.
    Accesso,
    /// A new temporary password for a member of the ente.
    PasswordTemporanea,
}

/// A code shown once to the admin who added or reset an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OneTimePassword {
    pub email: String,
    pub codice: String,
    pub tipo: CodiceTipo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsulenteView {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudioBreve {
    pub id: Uuid,
    pub name: String,
    pub enti: i64,
    pub consultants: i64,
}

/// A plan in the list of an ente's plans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PianoBreve {
    pub anno: i32,
    pub triennio_da: i32,
    pub triennio_a: i32,
    pub approvato: bool,
    pub delibera_numero: Option<String>,
    pub delibera_data: Option<chrono::NaiveDate>,
}

/// The plan's rows live with the plan's rules (`domain::plan`).
pub use crate::domain::plan::{ModelloRif, RigaView};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrutturaView {
    pub id: Uuid,
    pub nome: String,
    pub responsabile_titolo: String,
    pub responsabile_nome: String,
    pub responsabile_user_id: Option<Uuid>,
    pub linea_strategica: String,
    pub obiettivo_strategico: String,
    pub missioni: Vec<String>,
    pub obiettivo_operativo: String,
    pub version: i32,
    /// Whether the caller may edit this struttura (and its objectives) now.
    pub modificabile: bool,
    pub obiettivi: Vec<RigaView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PianoView {
    pub id: Uuid,
    pub ente_nome: String,
    pub anno: i32,
    pub triennio_da: i32,
    pub triennio_a: i32,
    pub titolo: String,
    pub approvato: bool,
    pub delibera_numero: Option<String>,
    pub delibera_data: Option<chrono::NaiveDate>,
    pub regolamento: String,
    pub riferimenti_normativi: String,
    pub programmazione_strategica: String,
    pub territorio: String,
    pub version: i32,
    /// The caller may edit the plan's own fields, add and remove strutture.
    pub modificabile: bool,
    /// The caller may approve (and reopen) the plan.
    pub approvabile_da_me: bool,
    /// The caller is a consultant: objectives may be saved into their firm's library.
    #[serde(default)]
    pub salva_modelli: bool,
    /// A rimodulazione is under way (the plan is a draft again): why.
    #[serde(default)]
    pub rimodulazione: Option<String>,
    /// Each objective's and phase's light at its struttura's latest submitted checkpoint
    /// (an approved plan's page only).
    #[serde(default)]
    pub luci: Vec<LuceRiga>,
    /// Members with the responsabile role, to link a struttura to its account.
    pub responsabili: Vec<(Uuid, String)>,
    pub strutture: Vec<StrutturaView>,
    /// The page was rendered with the plan's document already in it (`documento_html`):
    /// the strutture, lights and texts were left out of this copy, which hydration reads.
    #[serde(default)]
    pub documento_pronto: bool,
    /// The attachment section's state, read with the plan by its page (the plan page's
    /// server function; `None` elsewhere).
    #[serde(default)]
    pub allegato: Option<AllegatoStato>,
    /// That document, rendered once per content and kept (server side only).
    #[serde(skip)]
    pub documento_html: Option<std::sync::Arc<DocumentoReso>>,
}

/// A plan's document as the server renders it once and keeps it: its HTML and, made the
/// first time a page sends it, the same compressed to be joined into any page's brotli
/// stream (`server::innesto`), so that the document is not compressed again per page.
#[derive(Debug, Default)]
pub struct DocumentoReso {
    pub html: std::sync::Arc<str>,
    pub br: std::sync::OnceLock<Vec<u8>>,
    /// What it was kept under (`ssr::documenti::Chiave`): the plan and its content's hash.
    pub chiave: (Uuid, u64),
}

impl PartialEq for DocumentoReso {
    fn eq(&self, altro: &Self) -> bool {
        self.html == altro.html
    }
}

impl PianoView {
    /// Nothing on the page is editable by the caller: the plan is shown as a document.
    pub fn documento(&self) -> bool {
        !self.modificabile && self.strutture.iter().all(|s| !s.modificabile)
    }

    /// The plan without what its document shows (strutture, lights, narrative texts): the
    /// copy a page with the document already rendered sends along for hydration. Every
    /// field is named, so that a new one is a choice made here.
    pub fn testa(&self) -> PianoView {
        PianoView {
            id: self.id,
            ente_nome: self.ente_nome.clone(),
            anno: self.anno,
            triennio_da: self.triennio_da,
            triennio_a: self.triennio_a,
            titolo: self.titolo.clone(),
            approvato: self.approvato,
            delibera_numero: self.delibera_numero.clone(),
            delibera_data: self.delibera_data,
            regolamento: String::new(),
            riferimenti_normativi: String::new(),
            programmazione_strategica: String::new(),
            territorio: String::new(),
            version: self.version,
            modificabile: self.modificabile,
            approvabile_da_me: self.approvabile_da_me,
            salva_modelli: self.salva_modelli,
            rimodulazione: self.rimodulazione.clone(),
            luci: Vec::new(),
            responsabili: self.responsabili.clone(),
            strutture: Vec::new(),
            documento_pronto: self.documento_pronto,
            allegato: self.allegato.clone(),
            documento_html: self.documento_html.clone(),
        }
    }

    /// The plain snapshot the rules run on.
    pub fn doc(&self) -> crate::domain::plan::PianoDoc {
        use crate::domain::plan::{FaseDoc, ObiettivoDoc, PianoDoc, StrutturaDoc};
        PianoDoc {
            anno: self.anno,
            strutture: self
                .strutture
                .iter()
                .map(|s| StrutturaDoc {
                    nome: s.nome.clone(),
                    obiettivi: s
                        .obiettivi
                        .iter()
                        .map(|o| ObiettivoDoc {
                            descrizione: o.campi.descrizione.clone(),
                            peso: o.campi.peso,
                            data_fine: o.campi.data_fine,
                            data_confermata: o.campi.data_confermata,
                            fasi: o
                                .fasi
                                .iter()
                                .map(|f| FaseDoc {
                                    descrizione: f.campi.descrizione.clone(),
                                    peso: f.campi.peso,
                                    data_fine: f.campi.data_fine,
                                    data_confermata: f.campi.data_confermata,
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// An employee of the staff registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DipendenteView {
    pub id: Uuid,
    pub matricola: String,
    pub cognome: String,
    pub nome: String,
    pub area: crate::domain::personale::Area,
    pub profilo: String,
    pub struttura: String,
    pub email: Option<String>,
    pub attivo_dal: Option<chrono::NaiveDate>,
    pub attivo_al: Option<chrono::NaiveDate>,
    pub ha_accesso: bool,
}

/// The outcome of a CSV import: either every bad row, or what was imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EsitoImport {
    /// (line, reason): when not empty, nothing was imported.
    pub errori: Vec<(usize, String)>,
    pub nuovi: u32,
    pub aggiornati: u32,
    pub invariati: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssegnazioneView {
    pub id: Uuid,
    pub obiettivo_id: Uuid,
    pub dipendente_id: Uuid,
    pub peso: Option<crate::domain::peso::Peso>,
    pub version: i32,
}

/// An objective one may assign staff to: (id, "1", description).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObiettivoBreve {
    pub id: Uuid,
    pub numero: String,
    pub descrizione: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrutturaAssegnazioni {
    pub id: Uuid,
    pub nome: String,
    pub modificabile: bool,
    pub obiettivi: Vec<ObiettivoBreve>,
}

/// The plan's "Dipendenti coinvolti sugli obiettivi", all strutture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssegnazioniPiano {
    pub anno: i32,
    pub approvato: bool,
    /// (id, "Cognome Nome (matricola)")
    pub dipendenti: Vec<(Uuid, String)>,
    pub strutture: Vec<StrutturaAssegnazioni>,
    pub righe: Vec<AssegnazioneView>,
}

/// One objective in "I miei obiettivi".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MioObiettivo {
    pub struttura: String,
    pub numero: String,
    pub peso_mio: Option<crate::domain::peso::Peso>,
    pub obiettivo: RigaView,
    /// Its progress at the latest checkpoint whose record was submitted.
    #[serde(default)]
    pub avanzamento: Option<AvanzamentoMio>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MieiObiettivi {
    pub nome: String,
    pub anni: Vec<i32>,
    pub anno: Option<i32>,
    pub obiettivi: Vec<MioObiettivo>,
}

/// A template in the library's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelloBreve {
    pub id: Uuid,
    /// Part of the shared base library (read-only), not of the firm's.
    pub base: bool,
    pub ritirato: bool,
    pub versione: i32,
    pub contenuto: crate::domain::libreria::ContenutoModello,
}

/// Who uses a template: one row per ente and version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsoModello {
    pub ente: String,
    pub slug: String,
    pub versione: i32,
    pub obiettivi: i64,
    /// Of those objectives, how many set the newer version aside.
    pub messi_da_parte: i64,
}

/// One template, at one of its versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelloView {
    pub id: Uuid,
    pub base: bool,
    pub ritirato: bool,
    pub versione_corrente: i32,
    /// The version shown (the current one unless an older one was asked for).
    pub versione: i32,
    pub contenuto: crate::domain::libreria::ContenutoModello,
    /// (version, "31/12/2022", author)
    pub versioni: Vec<(i32, String, String)>,
    /// The caller's firm owns it: they may edit, retire it.
    pub modificabile: bool,
    /// The consultant's enti that adopted it (empty for others).
    pub uso: Vec<UsoModello>,
}

/// A newer template version for an adopted objective, field by field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggiornamento {
    pub obiettivo_id: Uuid,
    pub obiettivo_version: i32,
    pub titolo: String,
    pub da: i32,
    pub a: i32,
    pub differenze: Vec<crate::domain::libreria::Differenza>,
}

/// The ente's signing certificate, as admins see it (never the key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirmaInfo {
    pub firmatario: String,
    pub ruolo: String,
    pub soggetto: String,
    pub emittente: String,
    pub valido_al: chrono::NaiveDate,
}

/// How a copy of the attachment is signed: PAdES (a signed PDF) or CAdES (a .p7m envelope).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormatoFirma {
    Pades,
    Cades,
}

impl FormatoFirma {
    /// Its name in the database and in forms.
    pub fn db(self) -> &'static str {
        match self {
            FormatoFirma::Pades => "pades",
            FormatoFirma::Cades => "cades",
        }
    }
}

/// A signed copy in the plan's archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirmatoView {
    pub id: Uuid,
    pub nome_file: String,
    /// "pades" or "cades".
    pub formato: String,
    pub sha256: String,
    pub dimensione: i64,
    pub firmatario: String,
    pub firmato_il: Option<chrono::DateTime<chrono::Utc>>,
    pub caricato_il: chrono::DateTime<chrono::Utc>,
}

/// The plan page's "Allegato PDF" section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllegatoStato {
    pub approvato: bool,
    /// The caller may configure the signature, sign, and archive signed copies.
    pub gestione: bool,
    pub firma: Option<FirmaInfo>,
    pub firmati: Vec<FirmatoView>,
}

/// The caller's second factor, as «Il mio account» shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stato2fa {
    pub attivo: bool,
    /// Required of this account: it cannot be turned off, nor the account used without it.
    pub richiesto: bool,
    pub codici_rimasti: i64,
}

/// A second factor being enrolled: its secret as text, its otpauth URI and QR code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Iscrizione2fa {
    pub segreto: String,
    pub uri: String,
    pub qr_svg: String,
}

/// A line of an ente's activity log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoceRegistro {
    /// dd/mm/yyyy hh:mm, Italian time.
    pub quando: String,
    pub chi: String,
    /// The action's code (`domain::registro::azione` gives its label).
    pub azione: String,
    pub dettaglio: String,
}

/// A line of the access log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoceAccesso {
    pub quando: String,
    pub email: String,
    /// The event's code (`domain::registro::evento` gives its label).
    pub evento: String,
    pub indirizzo: String,
}

/// One of the account's open sessions, in «Le mie sessioni».
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessioneView {
    pub id: Uuid,
    pub creata: String,
    pub vista: String,
    pub indirizzo: String,
    /// "Chrome su Linux".
    pub dispositivo: String,
    /// The session this list is seen from.
    pub questa: bool,
}

/// A monitoring checkpoint in the plan's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitoraggioBreve {
    pub id: Uuid,
    pub scadenze: crate::domain::monitoraggio::Scadenze,
    pub version: i32,
    pub chiuso_il: Option<chrono::DateTime<chrono::Utc>>,
    pub referto_firmatario: Option<String>,
    /// Strutture whose record was submitted, of all the plan's strutture.
    pub inviate: i64,
    pub strutture: i64,
}

/// The checkpoints of a plan, and what the caller may do with them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitoraggiPiano {
    pub anno: i32,
    pub ente_nome: String,
    pub approvato: bool,
    pub elenco: Vec<MonitoraggioBreve>,
    /// The caller sets the checkpoints (ente admins, consultants).
    pub puo_impostare: bool,
}

/// Progress of an objective or a phase at a checkpoint, as saved.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AvanzamentoView {
    /// 0: nothing saved yet.
    pub version: i32,
    pub percentuale: Option<crate::domain::monitoraggio::Percentuale>,
    pub valore_effettivo: String,
    pub valore_data: Option<chrono::NaiveDate>,
    pub valore_fonte: String,
    pub nota: String,
    pub causa: Option<crate::domain::monitoraggio::Causa>,
    pub causa_testo: String,
    pub azione_correttiva: String,
    /// A rimodulazione proposed with an objective's progress (phases: none).
    #[serde(default)]
    pub proposta: Option<crate::domain::monitoraggio::Proposta>,
    #[serde(default)]
    pub proposta_testo: String,
    /// When it was finished (the lateness penalty of the year-end score reads it).
    #[serde(default)]
    pub conclusa_il: Option<chrono::NaiveDate>,
}

/// A rimodulazione proposed at a checkpoint, in the plan's list of proposals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PropostaView {
    pub data: chrono::NaiveDate,
    pub struttura: String,
    pub obiettivo: String,
    pub proposta: crate::domain::monitoraggio::Proposta,
    pub testo: String,
}

/// An objective or a phase with its progress at a checkpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RigaMonitorata {
    pub obiettivo_id: Uuid,
    pub fase_id: Option<Uuid>,
    /// "1", "1.2".
    pub numero: String,
    pub riga: RigaView,
    pub avanzamento: AvanzamentoView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenzaView {
    pub id: Uuid,
    pub nome_file: String,
    pub dimensione: i64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotaNucleoView {
    pub testo: String,
    pub version: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObiettivoMonitorato {
    pub obiettivo: RigaMonitorata,
    pub fasi: Vec<RigaMonitorata>,
    pub nota_nucleo: Option<NotaNucleoView>,
    pub evidenze: Vec<EvidenzaView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrutturaMonitorata {
    pub id: Uuid,
    pub nome: String,
    pub responsabile: String,
    pub stato: crate::domain::monitoraggio::Stato,
    pub version: i32,
    /// The caller fills in this struttura's record (and submits it) now.
    pub compilabile: bool,
    pub obiettivi: Vec<ObiettivoMonitorato>,
}

/// One checkpoint with every struttura's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitoraggioView {
    pub id: Uuid,
    pub anno: i32,
    pub ente_nome: String,
    pub scadenze: crate::domain::monitoraggio::Scadenze,
    /// When the work of the plan starts (its approval, or 1 January).
    pub inizio: chrono::NaiveDate,
    pub chiuso_il: Option<chrono::DateTime<chrono::Utc>>,
    pub referto_firmatario: Option<String>,
    pub strutture: Vec<StrutturaMonitorata>,
    /// The caller is the Nucleo: annotates and closes.
    pub nucleo: bool,
    /// The caller reopens submitted records (ente admins, consultants).
    pub puo_riaprire: bool,
}

impl MonitoraggioView {
    /// The expected progress and the light of an objective or phase at this checkpoint.
    pub fn luce(
        &self,
        r: &RigaMonitorata,
    ) -> Option<(
        crate::domain::monitoraggio::Percentuale,
        crate::domain::monitoraggio::Semaforo,
    )> {
        r.avanzamento.percentuale.and_then(|p| {
            crate::domain::monitoraggio::luce(
                p,
                self.inizio,
                r.riga.campi.data_fine,
                self.scadenze.riferimento,
            )
        })
    }
}

/// An employee's objective's progress at the latest submitted checkpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AvanzamentoMio {
    pub data: chrono::NaiveDate,
    pub inizio: chrono::NaiveDate,
    pub obiettivo: AvanzamentoView,
    /// By phase id.
    pub fasi: Vec<(Uuid, AvanzamentoView)>,
}

/// An approved version of a plan in its list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersioneBreve {
    pub numero: i32,
    pub delibera_numero: String,
    pub delibera_data: chrono::NaiveDate,
    pub motivo: String,
    pub approvata_il: chrono::DateTime<chrono::Utc>,
}

/// The versions of a plan, and what the caller may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersioniPiano {
    pub anno: i32,
    pub ente_nome: String,
    pub approvato: bool,
    /// A rimodulazione under way, and why.
    pub rimodulazione: Option<String>,
    pub versioni: Vec<VersioneBreve>,
    /// Rimodulazioni proposed by the responsabili at the checkpoints.
    #[serde(default)]
    pub proposte: Vec<PropostaView>,
}

/// What a firm-wide action did in one ente.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EsitoEnte {
    pub ente: String,
    pub creato: bool,
    pub messaggio: String,
}

/// An objective's or a phase's progress and light at a checkpoint.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct LuceRiga {
    pub riga: Uuid,
    pub data: chrono::NaiveDate,
    pub percentuale: crate::domain::monitoraggio::Percentuale,
    pub semaforo: Option<crate::domain::monitoraggio::Semaforo>,
}

/// A version of an SMVP profile in its list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersioneProfilo {
    pub numero: i32,
    pub profilo: crate::domain::smvp::Profilo,
    /// The firm version it was adopted from (an ente's versions).
    pub da_studio: Option<i32>,
    pub nota: String,
    pub autore: String,
    pub creato_il: chrono::DateTime<chrono::Utc>,
}

/// The firm's profile offered to an ente: its version and the fields that differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OffertaStudio {
    pub studio: String,
    pub versione: VersioneProfilo,
    pub differenze: Vec<crate::domain::smvp::Campo>,
}

/// An ente's SMVP profile page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmvpEnte {
    pub ente_nome: String,
    /// Newest first; empty: the defaults apply until the first version.
    pub versioni: Vec<VersioneProfilo>,
    pub studio: Option<OffertaStudio>,
    pub puo_modificare: bool,
}

/// A firm's SMVP profile page: its versions and which one each ente adopted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmvpStudio {
    pub versioni: Vec<VersioneProfilo>,
    /// (ente, slug, the firm version its current profile came from).
    pub enti: Vec<(String, String, Option<i32>)>,
}

/// An indicator measured at the year's end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MisuraView {
    pub id: Uuid,
    pub descrizione: String,
    pub misura: crate::domain::smvp::Misura,
    pub fonte: String,
    pub version: i32,
}

impl MisuraView {
    /// The indicator in words, as the year-end page and the Relazione say it: «Pratiche
    /// evase: atteso 400, effettivo 372».
    pub fn testo(&self) -> String {
        use crate::domain::plan::data_label;
        use crate::domain::smvp::{numero, Misura};
        let valore = match &self.misura {
            Misura::Numero {
                atteso,
                effettivo,
                decrescente,
            } => format!(
                "atteso {}, effettivo {}{}",
                numero(*atteso),
                effettivo
                    .map(numero)
                    .unwrap_or_else(|| "non indicato".into()),
                if *decrescente {
                    " (meno è meglio)"
                } else {
                    ""
                }
            ),
            Misura::SiNo { effettivo } => match effettivo {
                Some(true) => "realizzato".into(),
                Some(false) => "non realizzato".into(),
                None => "realizzazione non indicata".into(),
            },
            Misura::Data { atteso, effettivo } => format!(
                "entro il {}, realizzato {}",
                data_label(*atteso),
                effettivo
                    .map(|d| format!("il {}", data_label(d)))
                    .unwrap_or_else(|| "— non indicato".into())
            ),
        };
        format!("{}: {valore}", self.descrizione)
    }
}

/// A decision of the Nucleo on an objective's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RettificaView {
    /// "punteggio", "non_valutabile", "annullata".
    pub tipo: String,
    pub punteggio: Option<f64>,
    pub motivo: String,
    pub autore: String,
    pub quando: chrono::DateTime<chrono::Utc>,
}

impl RettificaView {
    pub fn descrizione(&self) -> String {
        match (self.tipo.as_str(), self.punteggio) {
            ("punteggio", Some(p)) => format!(
                "Punteggio rettificato a {}",
                crate::domain::smvp::percento(p)
            ),
            ("non_valutabile", _) => "Non valutabile (causa esterna)".into(),
            _ => "Rettifica annullata".into(),
        }
    }
}

/// An objective's year-end result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EsitoObiettivo {
    pub id: Uuid,
    pub numero: String,
    pub descrizione: String,
    pub peso: Option<crate::domain::peso::Peso>,
    pub indicatori: String,
    pub valori_attesi: String,
    pub metodo: crate::domain::smvp::Metodo,
    /// 0: the profile's default.
    pub metodo_version: i32,
    pub misure: Vec<MisuraView>,
    /// The computed score, or what it lacks.
    pub calcolato: Result<crate::domain::smvp::Punteggio, String>,
    /// The final record's actual value and cause of deviation, as reported.
    #[serde(default)]
    pub valore_effettivo: String,
    #[serde(default)]
    pub causa: String,
    /// The Nucleo's decisions, oldest first; the last one counts.
    pub rettifiche: Vec<RettificaView>,
    /// What counts in the struttura's result (None: not evaluable, or not computable).
    pub finale: Option<f64>,
    pub non_valutabile: bool,
}

/// A struttura's year-end result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EsitoStruttura {
    pub id: Uuid,
    pub nome: String,
    pub responsabile: String,
    /// The caller enters its indicators now.
    pub compilabile: bool,
    pub fte: f64,
    pub risultato: Option<crate::domain::smvp::Punteggio>,
    pub obiettivi: Vec<EsitoObiettivo>,
}

/// The year being closed: the final checkpoint, the profile it is scored with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChiusuraTestata {
    pub monitoraggio_id: Uuid,
    pub data: chrono::NaiveDate,
    pub chiuso: bool,
    pub profilo_numero: i32,
    pub profilo: crate::domain::smvp::Profilo,
    /// The ente's newest profile version, when newer than the one in use.
    pub profilo_piu_recente: Option<i32>,
}

/// The year-end page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChiusuraView {
    pub anno: i32,
    pub ente_nome: String,
    pub approvato: bool,
    pub testata: Option<ChiusuraTestata>,
    pub ente: Option<crate::domain::smvp::Punteggio>,
    pub strutture: Vec<EsitoStruttura>,
    /// Ente admins and consultants: start the year-end, choose methods, change profile.
    pub puo_impostare: bool,
    /// The Nucleo: overrides.
    pub nucleo: bool,
    /// The Relazione is adopted: the results are frozen.
    #[serde(default)]
    pub relazione_adottata: bool,
}

/// An objective drawn for the Nucleo to examine, with its evidence files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampioneView {
    pub obiettivo_id: Uuid,
    /// "Segreteria – obiettivo 2".
    pub dove: String,
    pub descrizione: String,
    /// (checkpoint, file) of every checkpoint of the year.
    pub evidenze: Vec<(Uuid, EvidenzaView)>,
    /// Who examined it, and when.
    pub esaminato: Option<(String, chrono::DateTime<chrono::Utc>)>,
}

/// The Nucleo's validation of the Relazione.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidazioneView {
    pub componenti: i32,
    pub conformita: bool,
    pub attendibilita: bool,
    pub comprensibilita: bool,
    pub modifiche_motivate: bool,
    /// "validata", "validata_osservazioni", "non_validata".
    pub esito: Option<String>,
    pub testo: String,
    pub campione: Vec<CampioneView>,
    pub firmatari: Vec<String>,
    pub firmata_da_me: bool,
    pub completata_il: Option<chrono::DateTime<chrono::Utc>>,
    pub version: i32,
}

/// The Relazione sulla Performance page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelazioneView {
    pub anno: i32,
    pub ente_nome: String,
    /// "bozza", "adottata", "validata".
    pub stato: String,
    pub contesto: String,
    pub pari_opportunita: String,
    pub delibera_numero: Option<String>,
    pub delibera_data: Option<chrono::NaiveDate>,
    /// 0: nothing saved yet.
    pub version: i32,
    /// The year-end has every result: the Relazione may be adopted.
    pub risultati_completi: bool,
    pub avviata: bool,
    pub puo_modificare: bool,
    pub nucleo: bool,
    pub validazione: Option<ValidazioneView>,
}

/// The label of a validation's outcome.
pub fn esito_label(esito: &str) -> &'static str {
    match esito {
        "validata" => "Validata",
        "validata_osservazioni" => "Validata con osservazioni",
        "non_validata" => "Non validata",
        _ => "—",
    }
}

/// How a scheda's figures were computed: the sections, each with its «perché» or what it
/// lacks, and the total. Kept with the scheda from its proposal on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalcoloScheda {
    pub risultati: Result<crate::domain::smvp::Punteggio, String>,
    pub assegnati: Vec<crate::domain::scheda::Assegnato>,
    pub obiettivi: Result<crate::domain::smvp::Punteggio, String>,
    pub comportamenti: Result<crate::domain::smvp::Punteggio, String>,
    pub differenziazione: Result<crate::domain::smvp::Punteggio, String>,
    pub totale: Result<crate::domain::smvp::Punteggio, String>,
}

impl CalcoloScheda {
    /// Each section with its figure or what it lacks, in the scheda's order.
    pub fn sezioni(
        &self,
    ) -> [(
        crate::domain::scheda::Sezione,
        &Result<crate::domain::smvp::Punteggio, String>,
    ); 4] {
        use crate::domain::scheda::Sezione;
        [
            (Sezione::Risultati, &self.risultati),
            (Sezione::Obiettivi, &self.obiettivi),
            (Sezione::Comportamenti, &self.comportamenti),
            (Sezione::Differenziazione, &self.differenziazione),
        ]
    }
}

/// A person's evaluation, as its page shows it to the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchedaView {
    pub anno: i32,
    pub ente_nome: String,
    pub dipendente_id: Uuid,
    /// "Cognome Nome".
    pub nome: String,
    pub matricola: String,
    pub categoria: crate::domain::premi::Categoria,
    pub struttura: String,
    /// "Mario Rossi", or "Nucleo di Valutazione" for an EQ.
    pub valutatore: String,
    pub stato: crate::domain::scheda::Stato,
    pub version: i32,
    pub scheda: crate::domain::scheda::Scheda,
    pub calcolo: CalcoloScheda,
    /// The behaviours and their 1–5 scores, in the dictionary's order.
    pub voti: Vec<(String, Option<u8>)>,
    pub differenziazione: Option<u8>,
    /// An EQ's own staff scores, as the Nucleo judges the differentiation.
    pub dispersione_staff: Option<crate::domain::scheda::Dispersione>,
    pub note: String,
    pub colloquio_assegnazione: Option<chrono::NaiveDate>,
    pub colloquio_intermedio: Option<chrono::NaiveDate>,
    pub colloquio_finale: Option<chrono::NaiveDate>,
    pub proposta_il: Option<chrono::DateTime<chrono::Utc>>,
    pub presa_visione_il: Option<chrono::NaiveDate>,
    /// The last day a review may be requested.
    pub scadenza_richiesta: Option<chrono::NaiveDate>,
    pub revisione_il: Option<chrono::NaiveDate>,
    pub revisione_testo: Option<String>,
    /// The last day the evaluator decides the review.
    pub scadenza_decisione: Option<chrono::NaiveDate>,
    pub audizione_il: Option<chrono::NaiveDate>,
    pub con_sindacato: Option<bool>,
    pub decisione_testo: Option<String>,
    pub decisa_il: Option<chrono::NaiveDate>,
    pub definitiva_il: Option<chrono::DateTime<chrono::Utc>>,
    /// Signed by its evaluator: who (the name on the certificate), when.
    pub firmata: Option<(String, chrono::DateTime<chrono::Utc>)>,
    /// The caller evaluates this person / is this person.
    pub valutatore_io: bool,
    pub valutato_io: bool,
    /// The caller sets the premi's data (absences, sanctions).
    pub gestione_premi: bool,
    /// (absences that count, neutral leave, sanction level, version; 0: none yet).
    pub dati_premi: (i32, i32, i16, i32),
    pub oggi: chrono::NaiveDate,
    /// The final premio: (base, bonus), in cents.
    pub premio: Option<(i64, i64)>,
}

impl SchedaView {
    /// The steps of the cycle so far, with their dates: (step, what), for the page and the
    /// scheda's PDF.
    pub fn percorso(&self) -> Vec<(String, String)> {
        use crate::domain::plan::{data_label, giorno_label};
        let mut p: Vec<(String, String)> = Vec::new();
        for (passo, data) in [
            (
                "Colloquio di assegnazione degli obiettivi",
                self.colloquio_assegnazione,
            ),
            ("Colloquio intermedio", self.colloquio_intermedio),
            ("Colloquio finale", self.colloquio_finale),
            (
                "Proposta del valutatore",
                self.proposta_il
                    .map(crate::domain::calendario::data_in_italia),
            ),
        ] {
            if let Some(d) = data {
                p.push((passo.into(), data_label(d)));
            }
        }
        let fino = |d: Option<chrono::NaiveDate>| d.map(data_label).unwrap_or_default();
        if let Some(x) = self.presa_visione_il {
            p.push((
                "Presa visione".into(),
                format!(
                    "{} (revisione richiedibile fino al {})",
                    data_label(x),
                    fino(self.scadenza_richiesta)
                ),
            ));
        }
        if let (Some(x), Some(t)) = (self.revisione_il, &self.revisione_testo) {
            p.push((
                "Revisione richiesta".into(),
                format!(
                    "{}, «{t}» (da decidere entro il {})",
                    data_label(x),
                    fino(self.scadenza_decisione)
                ),
            ));
        }
        if let (Some(x), Some(t)) = (self.decisa_il, &self.decisione_testo) {
            p.push((
                "Decisione".into(),
                format!(
                    "{}, dopo l'audizione del {}{}: «{t}»",
                    data_label(x),
                    fino(self.audizione_il),
                    if self.con_sindacato == Some(true) {
                        ", con un rappresentante sindacale"
                    } else {
                        ""
                    }
                ),
            ));
        }
        if let Some(x) = self.definitiva_il {
            p.push(("Definitiva".into(), giorno_label(x)));
        }
        p
    }
}

/// A row of the evaluations' list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValutazioneRiga {
    pub dipendente_id: Uuid,
    pub nome: String,
    pub matricola: String,
    pub categoria: crate::domain::premi::Categoria,
    pub struttura: String,
    pub valutatore: String,
    pub stato: crate::domain::scheda::Stato,
    pub punteggio: Option<f64>,
}

/// An evaluator's spread of scores, before they are final.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalisiValutatore {
    pub valutatore: String,
    pub dispersione: crate::domain::scheda::Dispersione,
}

/// The evaluations of a plan's year the caller may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValutazioniView {
    pub anno: i32,
    pub ente_nome: String,
    /// The year-end record is started (the results sections need it).
    pub chiusura_avviata: bool,
    /// Ente admins and consultants: prepare the schede, run the premi.
    pub gestione: bool,
    /// The Nucleo: the aggregates and the EQ schede.
    pub nucleo: bool,
    pub righe: Vec<ValutazioneRiga>,
    /// Per evaluator, with the top band's threshold and the art. 81 quota it is read against.
    pub analisi: Vec<AnalisiValutatore>,
    pub fascia_alta: f64,
    pub quota_maggiorazione: f64,
    /// People assigned to the plan's objectives who have no scheda yet.
    pub da_preparare: usize,
}

/// The premi of a plan's year: the distribution simulated with the parameters shown, or the
/// final one. The Nucleo sees the art. 20 aggregates only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PremiView {
    pub anno: i32,
    pub ente_nome: String,
    /// The parameters shown: simulated, or the saved ones.
    pub parametri: crate::domain::premi::Parametri,
    /// The saved parameters' version (0: none saved yet).
    pub version: i32,
    pub definitivo: bool,
    /// The parameters shown differ from the saved ones.
    pub simulazione: bool,
    /// (field, message) of the simulated parameters: nothing is computed while there are any.
    pub errori: Vec<(String, String)>,
    /// Each pool with every person's premio (admins and consultants only).
    pub ripartizione: Vec<crate::domain::premi::Ripartizione>,
    pub art20: Vec<crate::domain::premi::Art20>,
    /// Schede of the year, and how many are final.
    pub schede: usize,
    pub definitive: usize,
    pub gestione: bool,
    /// The ranking's tie-break order, as declared.
    pub ordine: String,
}

/// Where an ente's plan of the year stands, as the firm's cockpit shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StatoPiano {
    Nessuno,
    Bozza,
    Approvato,
    Firmato,
    Rimodulazione,
}

impl StatoPiano {
    pub const TUTTI: [StatoPiano; 5] = [
        StatoPiano::Nessuno,
        StatoPiano::Bozza,
        StatoPiano::Approvato,
        StatoPiano::Firmato,
        StatoPiano::Rimodulazione,
    ];

    pub fn codice(self) -> &'static str {
        match self {
            StatoPiano::Nessuno => "nessuno",
            StatoPiano::Bozza => "bozza",
            StatoPiano::Approvato => "approvato",
            StatoPiano::Firmato => "firmato",
            StatoPiano::Rimodulazione => "rimodulazione",
        }
    }

    pub fn da_codice(s: &str) -> Option<StatoPiano> {
        StatoPiano::TUTTI.into_iter().find(|t| t.codice() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            StatoPiano::Nessuno => "nessun piano",
            StatoPiano::Bozza => "bozza",
            StatoPiano::Approvato => "approvato",
            StatoPiano::Firmato => "firmato",
            StatoPiano::Rimodulazione => "in rimodulazione",
        }
    }
}

/// One ente in the firm's cockpit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RigaCruscotto {
    pub slug: String,
    pub nome: String,
    pub provincia: String,
    pub stato: StatoPiano,
    /// Rules the plan breaks (none without a plan).
    pub violazioni: usize,
    /// Objectives whose template has a newer version not yet taken or set aside.
    pub modelli_nuovi: i64,
    /// Employees whose assignments reach 100%, of those assigned.
    pub personale_completo: i64,
    pub personale_assegnato: i64,
    /// The current monitoring checkpoint: "30/06/2024: 3/5 schede inviate", or none.
    pub monitoraggio: Option<String>,
    /// The next deadline still to meet: what, when, days left (negative: late).
    pub prossima: Option<(String, NaiveDate, i64)>,
    pub pagina_scadenza: Option<String>,
    /// The plan of the year after exists already.
    pub piano_successivo: bool,
}

/// The firm's cockpit for a year: the page of enti asked for, and what the filters offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CruscottoView {
    pub anno: i32,
    pub anni: Vec<i32>,
    pub righe: Vec<RigaCruscotto>,
    /// Enti matching the filters, and of the firm.
    pub trovati: usize,
    pub totale: usize,
    pub pagina: usize,
    pub pagine: usize,
    /// Enti per plan state, of the whole firm (not only the filtered ones).
    pub per_stato: Vec<(StatoPiano, usize)>,
    pub in_ritardo: usize,
    pub province: Vec<String>,
}

/// What the next year's plan was made of, for one ente.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EsitoRinnovo {
    pub slug: String,
    pub ente: String,
    /// The year of the new plan.
    pub anno: i32,
    /// Made now; false: it existed already (nothing was changed) or it could not be made.
    pub creato: bool,
    pub messaggio: String,
    pub strutture: usize,
    pub obiettivi: usize,
    pub fasi: usize,
    pub assegnazioni: usize,
    /// What needs attention in the new draft, in words.
    pub attenzione: Vec<String>,
}

impl EsitoRinnovo {
    /// Nothing made for the plan of `anno`, and why (the ente's names are the caller's).
    pub fn non_fatto(anno: i32, messaggio: String) -> EsitoRinnovo {
        EsitoRinnovo {
            slug: String::new(),
            ente: String::new(),
            anno,
            creato: false,
            messaggio,
            strutture: 0,
            obiettivi: 0,
            fasi: 0,
            assegnazioni: 0,
            attenzione: Vec::new(),
        }
    }
}

/// One deadline of an ente's year, as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScadenzaEnte {
    pub titolo: String,
    pub norma: String,
    pub data: NaiveDate,
    pub giorni: i64,
    pub fatta: bool,
    pub pagina: String,
    /// Editable here (the kinds a firm sets; checkpoints are set with the monitoring).
    pub tipo: Option<crate::domain::scadenze::Tipo>,
    /// Moved for this ente from the firm's (or the national) default.
    pub spostata: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScadenzeView {
    pub anno: i32,
    pub scadenze: Vec<ScadenzaEnte>,
    pub modificabili: bool,
}

/// A reminder in the bell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromemoriaView {
    pub id: Uuid,
    pub ente: String,
    pub titolo: String,
    pub testo: String,
    pub percorso: String,
    pub scadenza: NaiveDate,
    pub sollecito: bool,
    pub letto: bool,
}

/// The firm's deadline days for all its enti (day, month per kind) and its reminder days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScadenzeStudio {
    pub giorni: Vec<(crate::domain::scadenze::Tipo, u32, u32)>,
    pub regole: crate::domain::scadenze::Regole,
}

/// The header's menu: the ente being worked in and the sections the caller's role opens
/// there, the other enti to switch to, the firm's sections, the unread reminders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Menu {
    pub ente: Option<(String, String)>,
    pub sezioni: Vec<(String, String)>,
    /// The caller may enter other enti too («Cambia ente»).
    pub altri_enti: bool,
    pub studio: Vec<(String, String)>,
    pub promemoria: i64,
}
