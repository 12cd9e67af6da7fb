//! SQL on `enti`.

use uuid::Uuid;

use super::context::{EnteTx, UserTx};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult, ResultExt};
use crate::model::EnteBreve;

/// Every ente the caller may enter: their active memberships and their firm's enti.
pub async fn accessibili(
    tx: &mut UserTx,
    user_id: Uuid,
    firm_id: Option<Uuid>,
) -> AppResult<Vec<EnteBreve>> {
    let rows: Vec<RigaBreve> =
        sqlx::query_as(&format!("select {BREVE} from enti e order by e.name"))
            .bind(user_id)
            .bind(firm_id)
            .fetch_all(&mut **tx)
            .await?;
    Ok(rows.into_iter().filter_map(breve).collect())
}

/// The header's menu in the ente of `slug`: that ente as `accessibili` gives it, whether
/// the caller may enter another one, and how many of their reminders are unread (the bell,
/// as `promemoria::da_leggere`), in one statement: it runs on every page. «Another» is
/// `app_altri_enti` (migration 0035), the question a page rendered on the server asks too:
/// one membership or one firm's ente other than this, each an `exists` that stops at the
/// first row, planned without the bitmap of every membership that the policy's `or` would
/// steer it to.
pub async fn per_menu(
    tx: &mut UserTx,
    user_id: Uuid,
    firm_id: Option<Uuid>,
    slug: &str,
) -> AppResult<Option<(EnteBreve, bool, i64)>> {
    type Riga = (String, String, String, Option<String>, bool, bool, i64);
    let row: Option<Riga> = sqlx::query_as(&format!(
        "select {BREVE},
                    app_altri_enti($1, e.id, $2),
                    (select count(*) from promemoria p
                      where p.user_id = $1 and p.letto_il is null)
               from enti e where e.slug = $3"
    ))
    .bind(user_id)
    .bind(firm_id)
    .bind(slug)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row
        .and_then(|(s, n, p, m, c, altro, bell)| breve((s, n, p, m, c)).map(|e| (e, altro, bell))))
}

/// An ente's slug, name, provincia, the caller's membership role and whether it is their
/// firm's (`$1` the user, `$2` their firm).
const BREVE: &str = "e.slug, e.name, e.provincia,
    (select m.role from memberships m
      where m.ente_id = e.id and m.user_id = $1 and not m.disabled),
    e.firm_id is not distinct from $2 and $2 is not null";

type RigaBreve = (String, String, String, Option<String>, bool);

/// The ente, with the strongest of the caller's roles there; none: not theirs to enter.
fn breve((slug, name, provincia, member, consultant): RigaBreve) -> Option<EnteBreve> {
    let member = member.as_deref().and_then(Role::from_db);
    let consultant = consultant.then_some(Role::Consulente);
    let role = [member, consultant]
        .into_iter()
        .flatten()
        .max_by_key(|r| r.rank())?;
    Some(EnteBreve {
        slug,
        name,
        provincia,
        role,
    })
}

/// The ente's slug, name and provincia.
pub async fn scheda(tx: &mut EnteTx) -> AppResult<(String, String, String)> {
    Ok(
        sqlx::query_as("select slug, name, provincia from enti where id = $1")
            .bind(tx.ente_id)
            .fetch_one(&mut **tx)
            .await?,
    )
}

pub struct NuovoEnte<'a> {
    pub firm_id: Uuid,
    pub name: &'a str,
    pub provincia: &'a str,
    pub slug: &'a str,
    pub codice_istat: Option<&'a str>,
    pub codice_ipa: Option<&'a str>,
}

pub async fn crea(tx: &mut UserTx, e: NuovoEnte<'_>) -> AppResult<()> {
    let r = sqlx::query(
        "insert into enti (firm_id, name, provincia, slug, codice_istat, codice_ipa)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(e.firm_id)
    .bind(e.name)
    .bind(e.provincia)
    .bind(e.slug)
    .bind(e.codice_istat)
    .bind(e.codice_ipa)
    .execute(&mut **tx)
    .await;
    r.on_constraints(&[
        (
            "enti_slug_key",
            AppError::NonValido(format!(
                "Esiste già un ente con indirizzo «{}»: cambia il nome.",
                e.slug
            )),
        ),
        (
            "enti_codice_istat_check",
            AppError::NonValido("Il codice ISTAT è formato da 6 cifre.".into()),
        ),
        (
            "enti_codice_ipa_check",
            AppError::NonValido("Il codice IPA non può superare 20 caratteri.".into()),
        ),
    ])?;
    Ok(())
}

/// The enti of the caller's firm `firm` (the enti's policy shows a consultant no others).
pub async fn dello_studio(
    tx: &mut UserTx,
    firm: Uuid,
) -> AppResult<Vec<super::cruscotto::EnteDelloStudio>> {
    let rows: Vec<(Uuid, String, String, String)> = sqlx::query_as(
        "select id, slug, name, provincia from enti where firm_id = $1 and firm_id = app_firm() order by name",
    )
    .bind(firm)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, slug, nome, provincia)| super::cruscotto::EnteDelloStudio {
                id,
                slug,
                nome,
                provincia,
            },
        )
        .collect())
}
