//! SQL on `piani`, `strutture`, `obiettivi` and `fasi`. Every function takes an `EnteTx`:
//! the ente is already set for Row-Level Security, and is named again in every query.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use chrono::NaiveDate;
use uuid::Uuid;

use super::context::EnteTx;
use super::modello;
use crate::domain::libreria::{Campo, ContenutoModello};
use crate::domain::peso::Peso;
use crate::error::{AppError, AppResult, ResultExt};
use crate::model::{ModelloRif, PianoBreve, PianoView, RigaView, StrutturaView};

use crate::domain::plan::CampiRiga;
/// Objectives and phases share their shape: one set of functions, two tables.
pub use crate::domain::plan::Livello;

impl Livello {
    fn table(self) -> &'static str {
        match self {
            Livello::Obiettivo => "obiettivi",
            Livello::Fase => "fasi",
        }
    }
    fn parent(self) -> &'static str {
        match self {
            Livello::Obiettivo => "struttura_id",
            Livello::Fase => "obiettivo_id",
        }
    }
    pub fn nome(self) -> &'static str {
        match self {
            Livello::Obiettivo => "obiettivo",
            Livello::Fase => "fase",
        }
    }
}

type SummaryRow = (i32, i32, i32, String, Option<String>, Option<NaiveDate>);

pub async fn elenco(tx: &mut EnteTx) -> AppResult<Vec<PianoBreve>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "select anno, triennio_da, triennio_a, stato, delibera_numero, delibera_data
           from piani where ente_id = $1 order by anno desc",
    )
    .bind(tx.ente_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(anno, triennio_da, triennio_a, stato, delibera_numero, delibera_data)| PianoBreve {
                anno,
                triennio_da,
                triennio_a,
                approvato: stato == "approvato",
                delibera_numero,
                delibera_data,
            },
        )
        .collect())
}

/// A new plan for `anno`: empty, or the reference model's strutture, objectives and phases
/// with their dates moved to `anno`.
pub async fn crea(tx: &mut EnteTx, anno: i32, dal_modello: bool) -> AppResult<Uuid> {
    let m = modello::modello();
    let (rif, prog, terr) = if dal_modello {
        (
            m.riferimenti_normativi.as_str(),
            m.programmazione_strategica.as_str(),
            m.territorio.as_str(),
        )
    } else {
        ("", "", "")
    };
    let piano: Result<Uuid, sqlx::Error> = sqlx::query_scalar(
        "insert into piani (ente_id, anno, triennio_da, triennio_a, titolo,
                            riferimenti_normativi, programmazione_strategica, territorio)
         values ($1, $2, $2, $2 + 2, $3, $4, $5, $6) returning id",
    )
    .bind(tx.ente_id)
    .bind(anno)
    .bind(modello::TITOLO)
    .bind(rif)
    .bind(prog)
    .bind(terr)
    .fetch_one(&mut **tx)
    .await;
    let piano = piano.on_constraint(
        "piani_anno_key",
        &format!("Esiste già il piano {anno} di questo ente."),
    )?;
    if !dal_modello {
        return Ok(piano);
    }
    for (si, s) in m.strutture.iter().enumerate() {
        let sid: Uuid = sqlx::query_scalar(
            "insert into strutture (ente_id, piano_id, posizione, nome, responsabile_titolo,
                                    linea_strategica, obiettivo_strategico, missioni, obiettivo_operativo)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
        )
        .bind(tx.ente_id)
        .bind(piano)
        .bind(si as i32 + 1)
        .bind(&s.nome)
        .bind(&s.responsabile_titolo)
        .bind(&s.linea_strategica)
        .bind(&s.obiettivo_strategico)
        .bind(&s.missioni)
        .bind(&s.obiettivo_operativo)
        .fetch_one(&mut **tx)
        .await?;
        for (oi, o) in s.obiettivi.iter().enumerate() {
            let oid = insert_riga(
                tx,
                Livello::Obiettivo,
                sid,
                oi as i32 + 1,
                &CampiRiga {
                    descrizione: o.descrizione.clone(),
                    peso: Some(o.peso),
                    indicatori: o.indicatori.clone(),
                    valori_attesi: o.valori_attesi.clone(),
                    data_fine: Some(modello::sposta(o.data_fine, anno)),
                    data_confermata: false,
                },
            )
            .await?;
            for (fi, f) in o.fasi.iter().enumerate() {
                insert_riga(
                    tx,
                    Livello::Fase,
                    oid,
                    fi as i32 + 1,
                    &CampiRiga {
                        descrizione: f.descrizione.clone(),
                        peso: Some(f.peso),
                        indicatori: f.indicatori.clone(),
                        valori_attesi: f.valori_attesi.clone(),
                        data_fine: Some(modello::sposta(f.data_fine, anno)),
                        data_confermata: false,
                    },
                )
                .await?;
            }
        }
    }
    Ok(piano)
}

async fn insert_riga(
    tx: &mut EnteTx,
    livello: Livello,
    parent: Uuid,
    posizione: i32,
    c: &CampiRiga,
) -> AppResult<Uuid> {
    let sql = format!(
        "insert into {} (ente_id, {}, posizione, descrizione, peso, indicatori, valori_attesi, data_fine)
         values ($1, $2, $3, $4, $5::numeric / 100, $6, $7, $8) returning id",
        livello.table(),
        livello.parent()
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(tx.ente_id)
        .bind(parent)
        .bind(posizione)
        .bind(&c.descrizione)
        .bind(c.peso.map(|p| p.0 as i32))
        .bind(&c.indicatori)
        .bind(&c.valori_attesi)
        .bind(c.data_fine)
        .fetch_one(&mut **tx)
        .await?)
}

/// The columns of `RIGA_COLS` that make a `CampiRiga` (the weight stored as a fraction,
/// read as hundredths).
impl<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> for CampiRiga {
    fn from_row(row: &'r sqlx::postgres::PgRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(CampiRiga {
            descrizione: row.try_get("descrizione")?,
            peso: row
                .try_get::<Option<i32>, _>("peso")?
                .map(|p| Peso(p as u32)),
            indicatori: row.try_get("indicatori")?,
            valori_attesi: row.try_get("valori_attesi")?,
            data_fine: row.try_get("data_fine")?,
            data_confermata: row.try_get("data_confermata")?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct RigaRow {
    id: Uuid,
    parent: Uuid,
    #[sqlx(flatten)]
    campi: CampiRiga,
    version: i32,
}

/// A row of `RIGA_COLS` and its `parent`, as a view (its phases still to add): for
/// statements that read rows beside other columns (`personale::miei_obiettivi`).
pub(super) fn riga_da(row: &sqlx::postgres::PgRow) -> Result<(Uuid, RigaView), sqlx::Error> {
    use sqlx::FromRow;
    let r = RigaRow::from_row(row)?;
    Ok((r.parent, r.into()))
}

impl From<RigaRow> for RigaView {
    fn from(r: RigaRow) -> Self {
        RigaView {
            id: r.id,
            campi: r.campi,
            version: r.version,
            fasi: Vec::new(),
            modello: None,
        }
    }
}

pub(super) const RIGA_COLS: &str =
    "id, descrizione, (peso * 100)::int4 as peso, indicatori, valori_attesi,
     data_fine, data_confermata, version";

#[derive(sqlx::FromRow)]
struct PianoRow {
    id: Uuid,
    anno: i32,
    triennio_da: i32,
    triennio_a: i32,
    titolo: String,
    stato: String,
    delibera_numero: Option<String>,
    delibera_data: Option<NaiveDate>,
    regolamento: String,
    riferimenti_normativi: String,
    programmazione_strategica: String,
    territorio: String,
    version: i32,
    rimodulazione_motivo: Option<String>,
}

#[derive(sqlx::FromRow)]
struct StrutturaRow {
    id: Uuid,
    nome: String,
    responsabile_titolo: String,
    responsabile_nome: String,
    responsabile_user_id: Option<Uuid>,
    linea_strategica: String,
    obiettivo_strategico: String,
    missioni: Vec<String>,
    obiettivo_operativo: String,
    version: i32,
}

/// The whole plan of `anno`, in document order. Permissions are left for the caller to
/// fill in (`modificabile`, `approvabile_da_me`). An approved plan's content comes from
/// memory once read (`approvati`): its head is read first, and what may change under it
/// (the ente's name, the templates' titles) is read each time.
pub async fn carica(tx: &mut EnteTx, anno: i32) -> AppResult<Option<PianoView>> {
    Ok(leggi(tx, anno).await?.map(Letto::intero))
}

/// A plan as `leggi` found it: read whole, or kept in memory with what is read each time
/// beside it, so that a page showing it as a document need not copy it.
pub enum Letto {
    Intero(Box<PianoView>),
    Conservato(Conservato),
}

/// An approved plan kept (`approvati`), shared, and what was read for it now.
pub struct Conservato {
    piano: Arc<PianoView>,
    ente_nome: String,
    /// Shared with the adoptions kept (`approvati::Adozioni`), not copied for each request.
    modelli: Arc<HashMap<Uuid, ModelloRif>>,
}

impl Letto {
    pub fn id(&self) -> Uuid {
        self.vista().id
    }

    pub fn approvato(&self) -> bool {
        self.vista().approvato
    }

    /// The plan's content, without the templates adopted nor the ente's name when kept.
    fn vista(&self) -> &PianoView {
        match self {
            Letto::Intero(p) => p,
            Letto::Conservato(c) => &c.piano,
        }
    }

    /// The whole plan, as `carica` returns it: a kept one copied.
    pub fn intero(self) -> PianoView {
        match self {
            Letto::Intero(p) => *p,
            Letto::Conservato(c) => c.intero(),
        }
    }
}

impl Conservato {
    /// The kept content, the same for everyone: the ente's name and the templates' titles
    /// are beside it.
    pub fn contenuto(&self) -> &PianoView {
        &self.piano
    }

    /// Each objective's template, in document order.
    pub fn modelli(&self) -> Vec<(Uuid, &ModelloRif)> {
        (self.piano.strutture.iter().flat_map(|s| &s.obiettivi))
            .filter_map(|o| self.modelli.get(&o.id).map(|m| (o.id, m)))
            .collect()
    }

    /// The plan's head as read now (`PianoView::testa`): what a page that shows it as a
    /// document sends along.
    pub fn testa(&self) -> PianoView {
        PianoView {
            ente_nome: self.ente_nome.clone(),
            ..self.piano.testa()
        }
    }

    /// The whole plan: the kept content copied, with the ente's name and templates read now.
    pub fn intero(self) -> PianoView {
        let mut p = PianoView::clone(&self.piano);
        p.ente_nome = self.ente_nome;
        for o in p.strutture.iter_mut().flat_map(|s| &mut s.obiettivi) {
            o.modello = self.modelli.get(&o.id).cloned();
        }
        p
    }
}

/// `carica`, with an approved plan kept in memory left there (`Letto::Conservato`).
pub async fn leggi(tx: &mut EnteTx, anno: i32) -> AppResult<Option<Letto>> {
    static TESTA: LazyLock<Testa<0>> = LazyLock::new(|| Testa::con([], ""));
    Ok((leggi_con(tx, anno, &TESTA, |q| q).await?).map(|(letto, ..)| letto))
}

/// What the plan's page shows beside the plan, read with its head (`leggi_pagina`).
pub struct Accanto {
    /// The archive of signed copies (`allegato::archivio`).
    pub firmati: Vec<crate::model::FirmatoView>,
    /// Of a plan approved now, its lights (`monitoraggio::luci_da`): kept, or read with it.
    pub luci: Option<Arc<Vec<crate::model::LuceRiga>>>,
}

/// `leggi`, and what the plan's page shows beside the plan (`Accanto`), in the same
/// statement as its head: for a kept plan the page's whole read is that one statement,
/// where it was three. The progress kept of an approved plan, whose lights the page shows
/// (`approvati::Avanzamenti`, `$7`–`$10`), is not read again while the plan's count of
/// changes (`LUCI_CAMBI`), its version and the role and ente it was read as are what it
/// was read under (`LUCI_TENUTE`), and the transaction has written nothing.
pub async fn leggi_pagina(tx: &mut EnteTx, anno: i32) -> AppResult<Option<(Letto, Accanto)>> {
    use super::{allegato, approvati, monitoraggio};
    static TESTA: LazyLock<Testa<4>> = LazyLock::new(|| {
        Testa::con(
            [
                allegato::archivio_json("p.id"),
                format!(
                    "case when p.stato = 'approvato'
                           and not ({LUCI_TENUTE} is true and txid_current_if_assigned() is null)
                          then {} end",
                    monitoraggio::avanzamenti_json("$2", "null")
                ),
                "k.cambi::text".into(),
                "k.vista".into(),
            ],
            LUCI_CAMBI,
        )
    });
    let prima = approvati::avanzamenti(tx.ente_id, anno);
    let tenute = prima.as_deref();
    let lega = |q: Interrogazione<'static>| {
        q.bind(tenute.map(|l| l.piano))
            .bind(tenute.map(|l| l.version))
            .bind(tenute.map(|l| l.cambi))
            .bind(tenute.map(|l| l.vista.clone()))
    };
    let Some((letto, [firmati, avanzamenti, cambi, vista], testata)) =
        leggi_con(tx, anno, &TESTA, lega).await?
    else {
        return Ok(None);
    };
    let luci = match avanzamenti {
        _ if !letto.approvato() => None,
        // Not read: that kept is the plan's as it is (the statement compared it).
        None => prima.map(|a| a.luci(letto.vista())),
        Some(json) => {
            let piano = letto.vista();
            let per_obiettivo = Arc::new(monitoraggio::da_json(anno, &json)?);
            // Kept from a transaction that has written nothing: one that wrote progress may
            // roll back, and the count it read come again with other progress. And only of
            // the plan the head read, at its version: the lights are of its content. Kept
            // for «I miei obiettivi» of the plan too (`personale::miei_obiettivi`).
            let cambi: Option<i64> = cambi.and_then(|c| c.parse().ok());
            let stesso = (piano.id, piano.version) == (testata.id, testata.version);
            let tenere = testata.pulita && stesso && cambi.is_some() && vista.is_some();
            let a = Arc::new(approvati::Avanzamenti::new(
                piano.id,
                piano.version,
                vista.unwrap_or_default(),
                cambi.unwrap_or_default(),
                per_obiettivo,
            ));
            if tenere {
                approvati::conserva_avanzamenti(tx.ente_id, anno, a.clone());
            }
            Some(a.luci(piano))
        }
    };
    let accanto = Accanto {
        firmati: allegato::archivio_da(firmati.as_deref().unwrap_or("[]"))?,
        luci,
    };
    Ok(Some((letto, accanto)))
}

/// The plan as the head statement of `leggi_con` read it, and whether the transaction had
/// written nothing.
struct Testata {
    id: Uuid,
    version: i32,
    pulita: bool,
}

/// A statement of `leggi_con`, its parameters bound.
type Interrogazione<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// The plan's count of changes to its progress (migration 0044), and the role and ente it
/// is read as (the policies of the tables it counts read the ente): a lateral of the head
/// statement of `leggi_pagina` (`k`).
pub(crate) const LUCI_CAMBI: &str = "cross join lateral (
                select coalesce(sum(g.cambi), 0)::int8 as cambi,
                       concat_ws(' ', current_user, current_setting('app.ente_id', true)) as vista
                  from monitoraggio_cambi g where g.ente_id = $1 and g.piano_id = p.id) k";

/// The lights kept (`$7`–`$10`) were read under what `LUCI_CAMBI` reads now.
const LUCI_TENUTE: &str = "((p.id, p.version, k.cambi, k.vista) = ($7, $8, $9, $10))";

/// The statement of `leggi_con` with `N` SQL expressions of text beside the head, built
/// once by each caller (its text is the same on every call).
struct Testa<const N: usize>(String);

impl<const N: usize> Testa<N> {
    /// The head and, in the same round trip, the templates adopted (`app_adozioni`,
    /// migration 0045) as JSON text. Beside them the library's change count and the role
    /// and settings that decide which templates the statement sees (`CAMBI`): the
    /// adoptions kept for the plan (`approvati::Adozioni`, `$3`–`$6`) are not read again
    /// while these and the plan's version are what they were read under (`tenute`); the
    /// function is called, and its statement set up, only when they are not: no JSON
    /// means the kept adoptions hold (the function always returns text). `accanto`
    /// (of the plan `p`, the ente `$1` and the year `$2`) follow; `laterali` join the plan
    /// `p` to what `accanto` reads beside it.
    fn con(accanto: [String; N], laterali: &str) -> Self {
        let colonne: String = accanto.iter().map(|c| format!(", {c}")).collect();
        let tenute = "((p.id, p.version, c.cambi, c.vista) = ($3, $4, $5, $6))";
        Testa(format!(
            "select p.id, p.stato = 'approvato', p.version,
                case when {tenute} is true then null else app_adozioni($1, p.id) end,
                c.cambi, c.vista,
                txid_current_if_assigned() is null{colonne}
           from piani p
          cross join lateral ({CAMBI}) c {laterali}
          where p.ente_id = $1 and p.anno = $2"
        ))
    }
}

/// The sum of the change counts (migration 0042) of the scopes of templates the caller may
/// see: the base library, the caller's firm and the ente's, as the settings name them
/// (`modelli_read`). Counts only grow: the same sum, the same templates. Beside it, what
/// decides which templates the statement sees (`vista`): the role (the owner, who may
/// bypass the policies, keeps nothing a runtime read would take) and the settings
/// `modelli_read` reads.
const CAMBI: &str = "select coalesce(sum(g.cambi), 0)::int8 as cambi,
                concat_ws(' ', current_user, current_setting('app.ente_id', true),
                          current_setting('app.firm_id', true),
                          current_setting('app.firm_ente', true)) as vista
           from modelli_cambi g
          where g.ambito in ('00000000-0000-0000-0000-000000000000'::uuid,
                             nullif(current_setting('app.firm_id', true), '')::uuid,
                             nullif(split_part(current_setting('app.firm_ente', true), '/', 2),
                                    '')::uuid)";

/// `leggi`, with the `N` expressions of `testa` read in the same statement as the head and
/// returned beside the plan, with the head as read (`Testata`). `lega` binds the
/// parameters of `testa`'s expressions after the head's six.
async fn leggi_con<const N: usize>(
    tx: &mut EnteTx,
    anno: i32,
    testa: &'static Testa<N>,
    lega: impl FnOnce(Interrogazione<'static>) -> Interrogazione<'static>,
) -> AppResult<Option<(Letto, [Option<String>; N], Testata)>> {
    use sqlx::{FromRow, Row};
    let prima = super::approvati::adozioni(tx.ente_id, anno);
    let q = sqlx::query(&testa.0)
        .bind(tx.ente_id)
        .bind(anno)
        .bind(prima.as_ref().map(|a| a.piano))
        .bind(prima.as_ref().map(|a| a.version))
        .bind(prima.as_ref().map(|a| a.cambi))
        .bind(prima.as_ref().map(|a| a.vista.clone()));
    let Some(riga) = lega(q).fetch_optional(&mut **tx).await? else {
        return Ok(None);
    };
    let mut oltre: [Option<String>; N] = std::array::from_fn(|_| None);
    for (i, v) in oltre.iter_mut().enumerate() {
        *v = riga.try_get(7 + i)?;
    }
    let (id, approvato, version, adozioni, cambi, vista, pulita) =
        <(Uuid, bool, i32, Option<String>, i64, String, bool)>::from_row(&riga)?;
    let testata = Testata {
        id,
        version,
        pulita,
    };
    let modelli = match (adozioni, prima) {
        (None, Some(a)) => a.modelli.clone(),
        (adozioni, _) => {
            let modelli = Arc::new(adozioni_da(adozioni.as_deref().unwrap_or("[]"))?);
            // Kept from a transaction that has written nothing: one that wrote templates
            // may roll back, and the counts it read come again with other templates.
            if approvato && pulita {
                super::approvati::conserva_adozioni(
                    tx.ente_id,
                    anno,
                    super::approvati::Adozioni {
                        piano: id,
                        version,
                        vista,
                        cambi,
                        modelli: modelli.clone(),
                    },
                );
            }
            modelli
        }
    };
    let ente_nome = tx.ente_nome.clone();
    if approvato {
        if let Some(piano) = super::approvati::cerca(id, version) {
            let letto = Letto::Conservato(Conservato {
                piano,
                ente_nome,
                modelli,
            });
            return Ok(Some((letto, oltre, testata)));
        }
    }
    let Some(p) = carica_intero(tx, anno, Arc::unwrap_or_clone(modelli)).await? else {
        return Ok(None);
    };
    // Kept only if it was approved at that version from before the first read to after the
    // last (each statement reads its own snapshot; a reopening bumps the version), and only
    // by a transaction that has written nothing: one that approves the plan may still roll
    // back, and the version it set come again with other content.
    if approvato && p.approvato && (p.id, p.version) == (id, version) {
        let ancora: Option<bool> = sqlx::query_scalar(
            "select stato = 'approvato' and version = $3 and txid_current_if_assigned() is null
               from piani where ente_id = $1 and id = $2",
        )
        .bind(tx.ente_id)
        .bind(id)
        .bind(version)
        .fetch_optional(&mut **tx)
        .await?;
        if ancora == Some(true) {
            super::approvati::conserva(&p);
        }
    }
    Ok(Some((Letto::Intero(Box::new(p)), oltre, testata)))
}

/// `carica` from the database, every row, with the templates adopted as `carica` read them.
async fn carica_intero(
    tx: &mut EnteTx,
    anno: i32,
    mut modelli: HashMap<Uuid, ModelloRif>,
) -> AppResult<Option<PianoView>> {
    let Some(p) = sqlx::query_as::<_, PianoRow>(
        "select p.id, p.anno, p.triennio_da, p.triennio_a, p.titolo, p.stato, p.delibera_numero,
                p.delibera_data, p.regolamento, p.riferimenti_normativi,
                p.programmazione_strategica, p.territorio, p.version, p.rimodulazione_motivo
           from piani p
          where p.ente_id = $1 and p.anno = $2",
    )
    .bind(tx.ente_id)
    .bind(anno)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(None);
    };
    let strutture: Vec<StrutturaRow> = sqlx::query_as(
        "select id, nome, responsabile_titolo, responsabile_nome, responsabile_user_id,
                linea_strategica, obiettivo_strategico, missioni, obiettivo_operativo, version
           from strutture where ente_id = $1 and piano_id = $2 order by posizione",
    )
    .bind(tx.ente_id)
    .bind(p.id)
    .fetch_all(&mut **tx)
    .await?;
    let obiettivi: Vec<RigaRow> = sqlx::query_as(&format!(
        "select struttura_id as parent, {RIGA_COLS} from obiettivi
          where ente_id = $1 and struttura_id in (select id from strutture where ente_id = $1 and piano_id = $2)
          order by posizione"
    ))
    .bind(tx.ente_id)
    .bind(p.id)
    .fetch_all(&mut **tx)
    .await?;
    let fasi: Vec<RigaRow> = sqlx::query_as(&format!(
        "select obiettivo_id as parent, {RIGA_COLS} from fasi
          where ente_id = $1 and obiettivo_id in (
              select o.id from obiettivi o join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
               where o.ente_id = $1 and s.piano_id = $2)
          order by posizione"
    ))
    .bind(tx.ente_id)
    .bind(p.id)
    .fetch_all(&mut **tx)
    .await?;
    let mut fasi_by: HashMap<Uuid, Vec<RigaView>> = Default::default();
    for f in fasi {
        fasi_by.entry(f.parent).or_default().push(f.into());
    }
    let mut ob_by: HashMap<Uuid, Vec<RigaView>> = Default::default();
    for o in obiettivi {
        let parent = o.parent;
        let mut v: RigaView = o.into();
        v.fasi = fasi_by.remove(&v.id).unwrap_or_default();
        v.modello = modelli.remove(&v.id);
        ob_by.entry(parent).or_default().push(v);
    }
    Ok(Some(PianoView {
        id: p.id,
        ente_nome: tx.ente_nome.clone(),
        anno: p.anno,
        triennio_da: p.triennio_da,
        triennio_a: p.triennio_a,
        titolo: p.titolo,
        approvato: p.stato == "approvato",
        delibera_numero: p.delibera_numero,
        delibera_data: p.delibera_data,
        regolamento: p.regolamento,
        riferimenti_normativi: p.riferimenti_normativi,
        programmazione_strategica: p.programmazione_strategica,
        territorio: p.territorio,
        version: p.version,
        modificabile: false,
        approvabile_da_me: false,
        salva_modelli: false,
        // The reason stays with the approved version it led to; it says a rimodulazione is
        // under way only while the plan is a draft.
        rimodulazione: p.rimodulazione_motivo.filter(|_| p.stato == "bozza"),
        luci: Vec::new(),
        responsabili: Vec::new(),
        strutture: strutture
            .into_iter()
            .map(|s| StrutturaView {
                obiettivi: ob_by.remove(&s.id).unwrap_or_default(),
                id: s.id,
                nome: s.nome,
                responsabile_titolo: s.responsabile_titolo,
                responsabile_nome: s.responsabile_nome,
                responsabile_user_id: s.responsabile_user_id,
                linea_strategica: s.linea_strategica,
                obiettivo_strategico: s.obiettivo_strategico,
                missioni: s.missioni,
                obiettivo_operativo: s.obiettivo_operativo,
                version: s.version,
                modificabile: false,
            })
            .collect(),
        documento_pronto: false,
        allegato: None,
        documento_html: None,
    }))
}

/// The plan of `anno`: its id and whether it is approved (one row, for the callers that
/// need no more of it).
pub async fn id_e_approvato(tx: &mut EnteTx, anno: i32) -> AppResult<Option<(Uuid, bool)>> {
    Ok(
        sqlx::query_as(
            "select id, stato = 'approvato' from piani where ente_id = $1 and anno = $2",
        )
        .bind(tx.ente_id)
        .bind(anno)
        .fetch_optional(&mut **tx)
        .await?,
    )
}

/// Where a row sits: its struttura's responsabile and whether its plan is approved.
pub struct Collocazione {
    pub struttura_id: Uuid,
    pub responsabile_user_id: Option<Uuid>,
    pub approvato: bool,
}

pub async fn collocazione_struttura(tx: &mut EnteTx, struttura: Uuid) -> AppResult<Collocazione> {
    let row: Option<(Uuid, Option<Uuid>, String)> = sqlx::query_as(
        "select s.id, s.responsabile_user_id, p.stato from strutture s
           join piani p on p.ente_id = s.ente_id and p.id = s.piano_id
          where s.ente_id = $1 and s.id = $2",
    )
    .bind(tx.ente_id)
    .bind(struttura)
    .fetch_optional(&mut **tx)
    .await?;
    let (struttura_id, responsabile_user_id, stato) = row.ok_or(AppError::NonTrovato)?;
    Ok(Collocazione {
        struttura_id,
        responsabile_user_id,
        approvato: stato == "approvato",
    })
}

/// The struttura an objective or phase belongs to.
pub async fn struttura_di(tx: &mut EnteTx, livello: Livello, id: Uuid) -> AppResult<Uuid> {
    let sql = match livello {
        Livello::Obiettivo => "select struttura_id from obiettivi where ente_id = $1 and id = $2",
        Livello::Fase => {
            "select o.struttura_id from fasi f join obiettivi o on o.ente_id = f.ente_id and o.id = f.obiettivo_id
              where f.ente_id = $1 and f.id = $2"
        }
    };
    let s: Option<Uuid> = sqlx::query_scalar(sql)
        .bind(tx.ente_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    s.ok_or(AppError::NonTrovato)
}

pub async fn riga(tx: &mut EnteTx, livello: Livello, id: Uuid) -> AppResult<RigaView> {
    let row: Option<RigaRow> = sqlx::query_as(&format!(
        "select {} as parent, {RIGA_COLS} from {} where ente_id = $1 and id = $2",
        livello.parent(),
        livello.table()
    ))
    .bind(tx.ente_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Into::into).ok_or(AppError::NonTrovato)
}

/// What an objective or a phase is saved with.
pub type RigaInput = CampiRiga;

fn conflitto(livello: Livello, attuale: &RigaView) -> AppError {
    let testo: String = attuale.campi.descrizione.chars().take(120).collect();
    AppError::Conflitto(format!(
        "Un'altra persona ha modificato questa {cosa} mentre la modificavi. Ora è: «{testo}», peso {peso}, fine {data}. \
         Le tue modifiche sono ancora nei campi: scegli se tenerle o caricare la versione attuale.",
        cosa = if livello == Livello::Obiettivo { "voce (obiettivo)" } else { "voce (fase)" },
        peso = attuale.campi.peso.map(|p| p.label()).unwrap_or_else(|| "non indicato".into()),
        data = attuale
            .campi.data_fine
            .map(crate::domain::plan::data_label)
            .unwrap_or_else(|| "non indicata".into()),
    ))
}

/// Saves over `version` only: a newer version in the database means someone else saved
/// first, and the caller gets a conflict describing their change.
pub async fn salva_riga(
    tx: &mut EnteTx,
    livello: Livello,
    id: Uuid,
    version: i32,
    r: &RigaInput,
) -> AppResult<i32> {
    let new: Option<i32> = sqlx::query_scalar(&format!(
        "update {} set descrizione = $4, peso = $5::numeric / 100, indicatori = $6, valori_attesi = $7,
                data_fine = $8, data_confermata = $9, version = version + 1
          where ente_id = $1 and id = $2 and version = $3 returning version",
        livello.table()
    ))
    .bind(tx.ente_id)
    .bind(id)
    .bind(version)
    .bind(&r.descrizione)
    .bind(r.peso.map(|p| p.0 as i32))
    .bind(&r.indicatori)
    .bind(&r.valori_attesi)
    .bind(r.data_fine)
    .bind(r.data_confermata)
    .fetch_optional(&mut **tx)
    .await?;
    match new {
        Some(v) => Ok(v),
        None => Err(conflitto(livello, &riga(tx, livello, id).await?)),
    }
}

/// A new empty objective (in a struttura) or phase (in an objective), at the end.
pub async fn aggiungi_riga(
    tx: &mut EnteTx,
    livello: Livello,
    parent: Uuid,
    data_fine: Option<NaiveDate>,
) -> AppResult<RigaView> {
    let next: i32 = sqlx::query_scalar(&format!(
        "select coalesce(max(posizione), 0) + 1 from {} where ente_id = $1 and {} = $2",
        livello.table(),
        livello.parent()
    ))
    .bind(tx.ente_id)
    .bind(parent)
    .fetch_one(&mut **tx)
    .await?;
    let campi = CampiRiga {
        data_fine,
        ..CampiRiga::default()
    };
    let id = insert_riga(tx, livello, parent, next, &campi).await?;
    riga(tx, livello, id).await
}

pub async fn elimina_riga(
    tx: &mut EnteTx,
    livello: Livello,
    id: Uuid,
    version: i32,
) -> AppResult<()> {
    let parent: Option<(Uuid, i32)> = sqlx::query_as(&format!(
        "delete from {} where ente_id = $1 and id = $2 and version = $3 returning {}, posizione",
        livello.table(),
        livello.parent()
    ))
    .bind(tx.ente_id)
    .bind(id)
    .bind(version)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((parent, pos)) = parent else {
        return Err(conflitto(livello, &riga(tx, livello, id).await?));
    };
    // Keep the numbering gapless: 1, 2, 3 ...
    sqlx::query(&format!(
        "update {} set posizione = posizione - 1 where ente_id = $1 and {} = $2 and posizione > $3",
        livello.table(),
        livello.parent()
    ))
    .bind(tx.ente_id)
    .bind(parent)
    .bind(pos)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves a row one place up (-1) or down (+1) among its siblings.
pub async fn sposta_riga(tx: &mut EnteTx, livello: Livello, id: Uuid, su: bool) -> AppResult<()> {
    sposta(tx, livello.table(), livello.parent(), id, su).await
}

/// Moves a struttura one place up or down in its plan.
pub async fn sposta_struttura(tx: &mut EnteTx, id: Uuid, su: bool) -> AppResult<()> {
    sposta(tx, "strutture", "piano_id", id, su).await
}

/// Swaps row `id` of `table` with its neighbour among the rows of the same `parent`.
async fn sposta(
    tx: &mut EnteTx,
    table: &str,
    parent_col: &str,
    id: Uuid,
    su: bool,
) -> AppResult<()> {
    let (parent, pos): (Uuid, i32) = sqlx::query_as(&format!(
        "select {parent_col}, posizione from {table} where ente_id = $1 and id = $2"
    ))
    .bind(tx.ente_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NonTrovato)?;
    let other = if su { pos - 1 } else { pos + 1 };
    let swapped = sqlx::query(&format!(
        "update {table} set posizione = case when id = $2 then $4 else $3 end
          where ente_id = $1 and {parent_col} = $5 and (id = $2 or posizione = $4)"
    ))
    .bind(tx.ente_id)
    .bind(id)
    .bind(pos)
    .bind(other)
    .bind(parent)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if swapped < 2 {
        return Err(AppError::NonValido(if su {
            "È già la prima.".into()
        } else {
            "È già l'ultima.".into()
        }));
    }
    Ok(())
}

pub struct StrutturaInput {
    pub nome: String,
    pub responsabile_titolo: String,
    pub responsabile_nome: String,
    pub responsabile_user_id: Option<Uuid>,
    pub linea_strategica: String,
    pub obiettivo_strategico: String,
    pub missioni: Vec<String>,
    pub obiettivo_operativo: String,
}

pub async fn salva_struttura(
    tx: &mut EnteTx,
    id: Uuid,
    version: i32,
    s: &StrutturaInput,
) -> AppResult<i32> {
    let new: Option<i32> = sqlx::query_scalar(
        "update strutture set nome = $4, responsabile_titolo = $5, responsabile_nome = $6,
                responsabile_user_id = $7, linea_strategica = $8, obiettivo_strategico = $9,
                missioni = $10, obiettivo_operativo = $11, version = version + 1
          where ente_id = $1 and id = $2 and version = $3 returning version",
    )
    .bind(tx.ente_id)
    .bind(id)
    .bind(version)
    .bind(&s.nome)
    .bind(&s.responsabile_titolo)
    .bind(&s.responsabile_nome)
    .bind(s.responsabile_user_id)
    .bind(&s.linea_strategica)
    .bind(&s.obiettivo_strategico)
    .bind(&s.missioni)
    .bind(&s.obiettivo_operativo)
    .fetch_optional(&mut **tx)
    .await?;
    new.ok_or_else(|| {
        AppError::Conflitto(
            "Un'altra persona ha modificato questa struttura mentre la modificavi: ricarica la pagina per vedere la versione attuale (le tue modifiche restano nei campi finché non ricarichi).".into(),
        )
    })
}

pub async fn aggiungi_struttura(tx: &mut EnteTx, piano: Uuid) -> AppResult<Uuid> {
    Ok(sqlx::query_scalar(
        "insert into strutture (ente_id, piano_id, posizione)
         values ($1, $2, (select coalesce(max(posizione), 0) + 1 from strutture where ente_id = $1 and piano_id = $2))
         returning id",
    )
    .bind(tx.ente_id)
    .bind(piano)
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn elimina_struttura(tx: &mut EnteTx, id: Uuid) -> AppResult<()> {
    let r = sqlx::query("delete from strutture where ente_id = $1 and id = $2")
        .bind(tx.ente_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    super::one_row(r)
}

pub struct PianoInput {
    pub regolamento: String,
    pub riferimenti_normativi: String,
    pub programmazione_strategica: String,
    pub territorio: String,
}

pub async fn salva_piano(
    tx: &mut EnteTx,
    id: Uuid,
    version: i32,
    p: &PianoInput,
) -> AppResult<i32> {
    let new: Option<i32> = sqlx::query_scalar(
        "update piani set regolamento = $4, riferimenti_normativi = $5, programmazione_strategica = $6,
                territorio = $7, version = version + 1
          where ente_id = $1 and id = $2 and version = $3 and stato = 'bozza' returning version",
    )
    .bind(tx.ente_id)
    .bind(id)
    .bind(version)
    .bind(&p.regolamento)
    .bind(&p.riferimenti_normativi)
    .bind(&p.programmazione_strategica)
    .bind(&p.territorio)
    .fetch_optional(&mut **tx)
    .await?;
    new.ok_or_else(|| AppError::Conflitto("Un'altra persona ha modificato il piano mentre lo modificavi: ricarica la pagina per vedere la versione attuale.".into()))
}

/// Locks the plan row of `anno` until the transaction ends (approval): edits take it FOR
/// SHARE in the database, so they wait, then see the new state.
pub async fn blocca(tx: &mut EnteTx, anno: i32) -> AppResult<()> {
    sqlx::query("select 1 from piani where ente_id = $1 and anno = $2 for update")
        .bind(tx.ente_id)
        .bind(anno)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn imposta_stato(
    tx: &mut EnteTx,
    id: Uuid,
    approvato: bool,
    delibera: Option<(&str, NaiveDate)>,
) -> AppResult<()> {
    sqlx::query(
        "update piani set stato = $3, delibera_numero = $4, delibera_data = $5, version = version + 1,
                rimodulazione_motivo = case when $3 = 'bozza' then null else rimodulazione_motivo end
          where ente_id = $1 and id = $2",
    )
    .bind(tx.ente_id)
    .bind(id)
    .bind(if approvato { "approvato" } else { "bozza" })
    .bind(delibera.map(|d| d.0))
    .bind(delibera.map(|d| d.1))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Members of the ente who can be responsabile of a struttura: (user id, name).
pub async fn responsabili(tx: &mut EnteTx) -> AppResult<Vec<(Uuid, String)>> {
    Ok(sqlx::query_as(
        "select u.id, u.display_name from memberships m join users u on u.id = m.user_id
          where m.ente_id = $1 and m.role = 'responsabile' and not m.disabled order by u.display_name",
    )
    .bind(tx.ente_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// The phases of an objective, in order.
pub async fn fasi_di(tx: &mut EnteTx, obiettivo: Uuid) -> AppResult<Vec<RigaView>> {
    let rows: Vec<RigaRow> = sqlx::query_as(&format!(
        "select obiettivo_id as parent, {RIGA_COLS} from fasi where ente_id = $1 and obiettivo_id = $2 order by posizione"
    ))
    .bind(tx.ente_id)
    .bind(obiettivo)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The templates a plan's objectives were adopted from, by objective, from the JSON text of
/// `app_adozioni` (migration 0045): an array per objective, (objective, template, version
/// adopted, version whose update was declined, current version, current title).
fn adozioni_da(json: &str) -> AppResult<HashMap<Uuid, ModelloRif>> {
    let righe: Vec<(Uuid, Uuid, i32, Option<i32>, i32, String)> =
        serde_json::from_str(json).map_err(AppError::interno)?;
    Ok((righe.into_iter())
        .map(|(ob, modello, versione, ignorata, ultima, titolo)| {
            (ob, adottato((modello, versione, ignorata, ultima, titolo)))
        })
        .collect())
}

/// A template adopted (the objective's id aside).
fn adottato(
    (id, versione, ignorata, ultima, titolo): (Uuid, i32, Option<i32>, i32, String),
) -> ModelloRif {
    let visto = versione.max(ignorata.unwrap_or(0));
    ModelloRif {
        id,
        titolo,
        versione,
        ultima,
        aggiornamento: ultima > visto,
    }
}

/// The template the objective `id` was adopted from, if any (a plan's, `carica` reads with
/// its head): of its plan's adoptions, as the plan's page reads them.
async fn modello_adottato(tx: &mut EnteTx, id: Uuid) -> AppResult<Option<ModelloRif>> {
    let json: Option<String> = sqlx::query_scalar(
        "select app_adozioni($1, s.piano_id) from obiettivi o
           join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
          where o.ente_id = $1 and o.id = $2",
    )
    .bind(tx.ente_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(adozioni_da(json.as_deref().unwrap_or("[]"))?.remove(&id))
}

/// (template, version adopted, plan year) of an objective adopted from the library.
pub async fn adozione(tx: &mut EnteTx, obiettivo: Uuid) -> AppResult<(Uuid, i32, i32)> {
    let row: Option<(Option<Uuid>, Option<i32>, i32)> = sqlx::query_as(
        "select o.modello_id, o.modello_versione, p.anno from obiettivi o
           join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
           join piani p on p.ente_id = s.ente_id and p.id = s.piano_id
          where o.ente_id = $1 and o.id = $2",
    )
    .bind(tx.ente_id)
    .bind(obiettivo)
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some((Some(m), Some(v), anno)) => Ok((m, v, anno)),
        Some(_) => Err(AppError::NonValido(
            "Questo obiettivo non viene dalla libreria dei modelli.".into(),
        )),
        None => Err(AppError::NonTrovato),
    }
}

async fn inserisci_fasi(
    tx: &mut EnteTx,
    obiettivo: Uuid,
    c: &ContenutoModello,
    anno: i32,
) -> AppResult<()> {
    for (i, f) in c.fasi.iter().enumerate() {
        insert_riga(
            tx,
            Livello::Fase,
            obiettivo,
            i as i32 + 1,
            &CampiRiga {
                descrizione: f.descrizione.clone(),
                peso: f.peso,
                indicatori: f.indicatori.clone(),
                valori_attesi: f.valori_attesi.clone(),
                data_fine: f.scadenza.map(|s| s.data(anno)),
                data_confermata: false,
            },
        )
        .await?;
    }
    Ok(())
}

/// A copy of a template version at the end of a struttura, dates in `anno`; the objective
/// remembers the template and the version. The copy is the ente's own from now on.
pub async fn adotta(
    tx: &mut EnteTx,
    struttura: Uuid,
    modello: Uuid,
    versione: i32,
    c: &ContenutoModello,
    anno: i32,
) -> AppResult<Uuid> {
    let next: i32 = sqlx::query_scalar(
        "select coalesce(max(posizione), 0) + 1 from obiettivi where ente_id = $1 and struttura_id = $2",
    )
    .bind(tx.ente_id)
    .bind(struttura)
    .fetch_one(&mut **tx)
    .await?;
    let id = insert_riga(
        tx,
        Livello::Obiettivo,
        struttura,
        next,
        &CampiRiga {
            descrizione: c.descrizione.clone(),
            peso: c.peso,
            indicatori: c.indicatori.clone(),
            valori_attesi: c.valori_attesi.clone(),
            data_fine: c.scadenza.map(|s| s.data(anno)),
            data_confermata: false,
        },
    )
    .await?;
    sqlx::query(
        "update obiettivi set modello_id = $3, modello_versione = $4 where ente_id = $1 and id = $2",
    )
    .bind(tx.ente_id)
    .bind(id)
    .bind(modello)
    .bind(versione)
    .execute(&mut **tx)
    .await?;
    inserisci_fasi(tx, id, c, anno).await?;
    Ok(id)
}

/// Takes the chosen fields of template version `versione` into an adopted objective saved
/// at `version` (a newer one is a conflict); the objective then records that version.
pub async fn applica_modello(
    tx: &mut EnteTx,
    id: Uuid,
    version: i32,
    campi: &[Campo],
    c: &ContenutoModello,
    versione: i32,
    anno: i32,
) -> AppResult<i32> {
    let has = |k: Campo| campi.contains(&k);
    let new: Option<i32> = sqlx::query_scalar(
        "update obiettivi set
                descrizione = case when $4 then $5 else descrizione end,
                peso = case when $6 then $7::numeric / 100 else peso end,
                indicatori = case when $8 then $9 else indicatori end,
                valori_attesi = case when $10 then $11 else valori_attesi end,
                data_fine = case when $12 then $13 else data_fine end,
                data_confermata = case when $12 then false else data_confermata end,
                modello_versione = $14, modello_ignorata = null, version = version + 1
          where ente_id = $1 and id = $2 and version = $3 and modello_id is not null
          returning version",
    )
    .bind(tx.ente_id)
    .bind(id)
    .bind(version)
    .bind(has(Campo::Descrizione))
    .bind(&c.descrizione)
    .bind(has(Campo::Peso))
    .bind(c.peso.map(|p| p.0 as i32))
    .bind(has(Campo::Indicatori))
    .bind(&c.indicatori)
    .bind(has(Campo::ValoriAttesi))
    .bind(&c.valori_attesi)
    .bind(has(Campo::DataFine))
    .bind(c.scadenza.map(|s| s.data(anno)))
    .bind(versione)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(new) = new else {
        return Err(conflitto(
            Livello::Obiettivo,
            &riga(tx, Livello::Obiettivo, id).await?,
        ));
    };
    if has(Campo::Fasi) {
        sqlx::query("delete from fasi where ente_id = $1 and obiettivo_id = $2")
            .bind(tx.ente_id)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        inserisci_fasi(tx, id, c, anno).await?;
    }
    Ok(new)
}

/// "Not this update": the objective stops offering template versions up to `versione`.
pub async fn ignora_modello(tx: &mut EnteTx, id: Uuid, versione: i32) -> AppResult<()> {
    super::one_row(
        sqlx::query(
            "update obiettivi set modello_ignorata = $3
              where ente_id = $1 and id = $2 and modello_id is not null",
        )
        .bind(tx.ente_id)
        .bind(id)
        .bind(versione)
        .execute(&mut **tx)
        .await?,
    )
}

/// The plan year of a struttura.
pub async fn anno_di_struttura(tx: &mut EnteTx, struttura: Uuid) -> AppResult<i32> {
    let anno: Option<i32> = sqlx::query_scalar(
        "select p.anno from strutture s join piani p on p.ente_id = s.ente_id and p.id = s.piano_id
          where s.ente_id = $1 and s.id = $2",
    )
    .bind(tx.ente_id)
    .bind(struttura)
    .fetch_optional(&mut **tx)
    .await?;
    anno.ok_or(AppError::NonTrovato)
}

/// An objective with its phases and its template, as the editor shows it.
pub async fn obiettivo_completo(tx: &mut EnteTx, id: Uuid) -> AppResult<RigaView> {
    let mut r = riga(tx, Livello::Obiettivo, id).await?;
    r.fasi = fasi_di(tx, id).await?;
    r.modello = modello_adottato(tx, id).await?;
    Ok(r)
}

/// The DUP missions of the struttura an objective belongs to.
pub async fn missioni_di_obiettivo(tx: &mut EnteTx, obiettivo: Uuid) -> AppResult<Vec<String>> {
    let m: Option<Vec<String>> = sqlx::query_scalar(
        "select s.missioni from obiettivi o join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
          where o.ente_id = $1 and o.id = $2",
    )
    .bind(tx.ente_id)
    .bind(obiettivo)
    .fetch_optional(&mut **tx)
    .await?;
    m.ok_or(AppError::NonTrovato)
}
