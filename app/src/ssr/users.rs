//! SQL on `users`, `memberships` and `firm_memberships`.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::context::{imposta, Caller, EnteTx, UserTx};
use super::one_row;
use super::password::OneTime;
use super::richiesta::{EnteNoto, Intestazione, Tenuta};
use crate::domain::roles::Role;
use crate::domain::validate::TEMPORANEA_ORE;
use crate::error::{AppError, AppResult};
use crate::model::CodiceTipo;
use crate::model::{ConsulenteView, Membro};

/// What login needs: the account with this e-mail, if any.
pub struct LoginRow {
    pub id: Uuid,
    pub password_hash: String,
    pub disabled: bool,
    pub password_changed_at: DateTime<Utc>,
    /// Set by someone else: to be changed at this login.
    pub password_temporanea: bool,
    /// A temporary password that no longer works.
    pub password_scaduta: bool,
    /// A second factor is asked after the password.
    pub totp_attivo: bool,
}

pub async fn for_login(pool: &PgPool, email: &str) -> AppResult<Option<LoginRow>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        password_hash: String,
        disabled: bool,
        password_changed_at: DateTime<Utc>,
        password_temporanea: bool,
        password_scaduta: bool,
        totp_attivo: bool,
    }
    // The runtime role cannot read the hash column: one account's, through the function.
    let row: Option<Row> = sqlx::query_as(
        "select id, password_hash, disabled, password_changed_at, password_temporanea,
                password_scaduta, totp_attivo
           from credenziali_accesso($1)",
    )
    .bind(email)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| LoginRow {
        id: r.id,
        password_hash: r.password_hash,
        disabled: r.disabled,
        password_changed_at: r.password_changed_at,
        password_temporanea: r.password_temporanea,
        password_scaduta: r.password_scaduta,
        totp_attivo: r.totp_attivo,
    }))
}

/// Accepts the invitations of `user_id` whose code has this digest (still valid): to an
/// ente, or to a firm. Returns the names of the enti and firms joined. The code is what
/// proves the owner of the account wants them, so the caller must have authenticated the
/// account first (its password, or the code itself as the temporary password).
pub async fn accetta_inviti(
    conn: &mut sqlx::PgConnection,
    user_id: Uuid,
    digest: &str,
) -> AppResult<Vec<String>> {
    imposta(conn, "app.user_id", &user_id.to_string()).await?;
    let mut joined = Vec::new();
    for (tabella, colonna, impostazione, nomi) in [
        ("memberships", "ente_id", "app.ente_id", "enti"),
        ("firm_memberships", "firm_id", "app.firm_id", "firms"),
    ] {
        let ids: Vec<Uuid> = sqlx::query_scalar(&format!(
            "select {colonna} from {tabella}
              where user_id = $1 and invito_hash = $2 and invito_scade_at > now()"
        ))
        .bind(user_id)
        .bind(digest)
        .fetch_all(&mut *conn)
        .await?;
        for id in ids {
            // The membership policies scope writes to the ente (firm) being worked in.
            imposta(conn, impostazione, &id.to_string()).await?;
            sqlx::query(&format!(
                "update {tabella} set invito_hash = null, invito_scade_at = null, invito_nome = null
                  where {colonna} = $1 and user_id = $2 and invito_hash = $3"
            ))
            .bind(id)
            .bind(user_id)
            .bind(digest)
            .execute(&mut *conn)
            .await?;
            if tabella == "memberships" {
                sqlx::query(
                    "insert into audit_log (ente_id, user_id, action, detail)
                     values ($1, $2, 'invito_accettato', '{}')",
                )
                .bind(id)
                .bind(user_id)
                .execute(&mut *conn)
                .await?;
            }
            joined.push(
                sqlx::query_scalar(&format!("select name from {nomi} where id = $1"))
                    .bind(id)
                    .fetch_one(&mut *conn)
                    .await?,
            );
        }
    }
    Ok(joined)
}

/// What a request's first statement read: the caller, whether it wrote the session's last
/// activity (`vista`), the ente the request's path names, if the caller may enter it, and,
/// for a page, what its header reads besides; and the transaction it was read in, if kept.
pub struct Chiamata {
    pub caller: Caller,
    pub vista: bool,
    pub ente: Option<EnteNoto>,
    pub intestazione: Option<Intestazione>,
    pub tenuta: Option<Tenuta>,
}

/// The caller of the session whose cookie holds `chiave`: `None` if the session is closed,
/// expired (idle, or older than `durata`), its password changed since, or the account gone
/// or disabled. With `slug`, also the ente of that slug as `app_entra` enters it (its id,
/// name and the caller's role there), `None` if the caller has no business there; with
/// `menu` (a page), also its header's reads (`Intestazione`). With `slug` (only a GET,
/// which changes nothing, names one), read in a `READ ONLY` transaction that is kept
/// (`Chiamata::tenuta`) when the ente was entered, for the request's first door
/// (`Richiesta::prendi`).
pub async fn carica_chiamante(
    pool: &PgPool,
    chiave: &str,
    durata: std::time::Duration,
    slug: Option<&str>,
    menu: bool,
) -> AppResult<Option<Chiamata>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        user_id: Uuid,
        sessione: Uuid,
        email: String,
        display_name: String,
        is_platform_admin: bool,
        password_temporanea: bool,
        deve_attivare_2fa: bool,
        firm_id: Option<Uuid>,
        vista_dovuta: bool,
        ente_id: Option<Uuid>,
        ente_nome: Option<String>,
        ruolo: Option<String>,
        promemoria: Option<i64>,
        altri_enti: Option<bool>,
        ente_firm: Option<Uuid>,
    }
    // Every request reads its session and its caller, a GET under `/e/{slug}/` enters its
    // ente, and a page reads its header's counts: one statement
    // (`app_chiamante_nell_ente`), in its own implicit transaction or, kept for the
    // request's first door, a `READ ONLY` one (only under `/e/{slug}/`: there the first
    // door is nearly always that ente's). Kept, its settings are those the function writes,
    // every one a door's opening writes, which would otherwise end with the statement.
    // An expired temporary password ends the session too. «Le mie sessioni» lists and
    // closes the sessions active within the idle timeout: this one's last activity is
    // written apart, when a minute or more old.
    let mut tx = match slug {
        Some(_) => Some(super::context::inizia(pool, Some("begin read only".into())).await?),
        None => None,
    };
    let query = sqlx::query_as(
        "select * from app_chiamante_nell_ente($1, make_interval(secs => $2), $3, $4)",
    )
    .bind(chiave)
    .bind(durata.as_secs_f64())
    .bind(slug)
    .bind(menu);
    let row: Option<Row> = match tx.as_mut() {
        Some(tx) => query.fetch_optional(&mut **tx).await?,
        None => query.fetch_optional(pool).await?,
    };
    let Some(r) = row else {
        return Ok(None);
    };
    // `vista`: written now (by this request, not another one of the same minute), on
    // another connection: the kept one is let go first, not held while waiting for it.
    if r.vista_dovuta {
        tx = None;
    }
    let vista = r.vista_dovuta && {
        let mut tx = come_utente(pool, r.user_id).await?;
        let scritta = sqlx::query(
            "update sessioni_utente set vista_at = now()
              where id = $2 and user_id = $1 and chiusa_at is null
                and vista_at < now() - interval '1 minute'",
        )
        .bind(r.user_id)
        .bind(r.sessione)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        tx.commit().await?;
        scritta
    };
    let ente = match (slug, r.ente_id, r.ente_nome, r.ruolo) {
        (Some(slug), Some(id), Some(nome), Some(ruolo)) => Some(EnteNoto::da_app_entra(
            slug,
            (id, nome, &ruolo, r.ente_firm),
        )?),
        _ => None,
    };
    let tenuta = match (tx, &ente) {
        (Some(tx), Some(e)) => Some(Tenuta::new(tx, r.user_id, (e.id, e.role))),
        _ => None,
    };
    Ok(Some(Chiamata {
        caller: Caller {
            user_id: r.user_id,
            email: r.email,
            display_name: r.display_name,
            is_platform_admin: r.is_platform_admin,
            firm_id: r.firm_id,
            password_temporanea: r.password_temporanea,
            deve_attivare_2fa: r.deve_attivare_2fa,
            sessione: Some(r.sessione),
        },
        vista,
        ente,
        intestazione: r.promemoria.map(|promemoria| Intestazione {
            promemoria,
            altri_enti: r.altri_enti.unwrap_or(false),
        }),
        tenuta,
    }))
}

pub async fn nome_studio(tx: &mut UserTx, firm_id: Uuid) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar("select name from firms where id = $1")
        .bind(firm_id)
        .fetch_optional(&mut **tx)
        .await?)
}

pub async fn membri(tx: &mut EnteTx) -> AppResult<Vec<Membro>> {
    // A pending invitation shows what the inviter typed, and nothing of the account (its
    // name, whether it is used elsewhere) until its owner accepts.
    let rows: Vec<(Uuid, String, String, String, bool, bool, bool)> = sqlx::query_as(
        "select u.id, u.email,
                case when m.invito_hash is null then u.display_name else m.invito_nome end,
                m.role, m.disabled,
                m.invito_hash is null and (u.ambiti > 1 or u.is_platform_admin),
                m.invito_hash is not null
           from memberships m join users u on u.id = m.user_id
          where m.ente_id = $1
          order by 3, u.email",
    )
    .bind(tx.ente_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(user_id, email, display_name, role, disabled, condiviso, in_attesa)| {
                Some(Membro {
                    user_id,
                    email,
                    display_name,
                    role: Role::from_db(&role)?,
                    disabled,
                    condiviso,
                    in_attesa,
                })
            },
        )
        .collect())
}

/// The account with this e-mail, created with the code as its temporary password if it does
/// not exist yet. An existing account is left untouched: it joins only when its owner enters
/// the code (see `accetta_inviti`).
async fn account_for_invite(
    conn: &mut sqlx::PgConnection,
    email: &str,
    display_name: &str,
    code: &OneTime,
) -> AppResult<Uuid> {
    let created: Option<Uuid> = sqlx::query_scalar(
        "insert into users (email, display_name, password_hash, password_temporanea, password_scade_at)
         values ($1, $2, $3, true, now() + make_interval(hours => $4))
         on conflict (email) do nothing returning id",
    )
    .bind(email)
    .bind(display_name)
    .bind(&code.hash)
    .bind(TEMPORANEA_ORE as i32)
    .fetch_optional(&mut *conn)
    .await?;
    match created {
        Some(id) => Ok(id),
        None => Ok(sqlx::query_scalar("select id from users where email = $1")
            .bind(email)
            .fetch_one(&mut *conn)
            .await?),
    }
}

/// Invites `email` into the ente with `role`: a pending membership that its owner accepts
/// with the code (as the temporary password of a new account, or in «Accetta un invito»).
/// The inviter is told the same whether the account existed or not.
pub async fn aggiungi_membro(
    tx: &mut EnteTx,
    email: &str,
    display_name: &str,
    role: Role,
    code: &OneTime,
) -> AppResult<Uuid> {
    let user_id = account_for_invite(tx, email, display_name, code).await?;
    let inserted = sqlx::query(
        "insert into memberships (ente_id, user_id, role, invito_hash, invito_scade_at, invito_nome)
         values ($1, $2, $3, $4, now() + make_interval(hours => $5), $6)
         on conflict (ente_id, user_id) do nothing",
    )
    .bind(tx.ente_id)
    .bind(user_id)
    .bind(role.db_name())
    .bind(&code.digest)
    .bind(TEMPORANEA_ORE as i32)
    .bind(display_name)
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::NonValido(format!(
            "{email} è già un utente di questo ente."
        )));
    }
    Ok(user_id)
}

pub async fn imposta_ruolo(tx: &mut EnteTx, user_id: Uuid, role: Role) -> AppResult<()> {
    let r = sqlx::query("update memberships set role = $3 where ente_id = $1 and user_id = $2")
        .bind(tx.ente_id)
        .bind(user_id)
        .bind(role.db_name())
        .execute(&mut **tx)
        .await?;
    one_row(r)
}

pub async fn imposta_disattivato(tx: &mut EnteTx, user_id: Uuid, disabled: bool) -> AppResult<()> {
    let r = sqlx::query("update memberships set disabled = $3 where ente_id = $1 and user_id = $2")
        .bind(tx.ente_id)
        .bind(user_id)
        .bind(disabled)
        .execute(&mut **tx)
        .await?;
    one_row(r)
}

/// A new code for a member of this ente. A pending invitation gets a new invitation code
/// (and, for an account the invitation itself created and nobody has used yet, the same code
/// as its temporary password). An active member gets a temporary password, only if the
/// account is used nowhere else: not in another ente, not by a firm, not as platform
/// administrator. Those change their own password.
pub async fn reimposta_password(
    tx: &mut EnteTx,
    user_id: Uuid,
    code: &OneTime,
) -> AppResult<CodiceTipo> {
    let pending: Option<bool> = sqlx::query_scalar(
        "select invito_hash is not null from memberships where ente_id = $1 and user_id = $2",
    )
    .bind(tx.ente_id)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?;
    match pending {
        None => Err(AppError::NonTrovato),
        Some(true) => {
            sqlx::query(
                "update memberships set invito_hash = $3,
                        invito_scade_at = now() + make_interval(hours => $4)
                  where ente_id = $1 and user_id = $2",
            )
            .bind(tx.ente_id)
            .bind(user_id)
            .bind(&code.digest)
            .bind(TEMPORANEA_ORE as i32)
            .execute(&mut **tx)
            .await?;
            sqlx::query(
                "update users set password_hash = $2, password_changed_at = now(),
                        password_scade_at = now() + make_interval(hours => $3)
                  where id = $1 and password_temporanea and ambiti <= 1 and not is_platform_admin",
            )
            .bind(user_id)
            .bind(&code.hash)
            .bind(TEMPORANEA_ORE as i32)
            .execute(&mut **tx)
            .await?;
            Ok(CodiceTipo::Accesso)
        }
        Some(false) => {
            let r = sqlx::query(
                "update users set password_hash = $2, password_changed_at = now(),
                        password_temporanea = true,
                        password_scade_at = now() + make_interval(hours => $3)
                  where id = $1 and ambiti <= 1 and not is_platform_admin",
            )
            .bind(user_id)
            .bind(&code.hash)
            .bind(TEMPORANEA_ORE as i32)
            .execute(&mut **tx)
            .await?;
            if r.rows_affected() == 1 {
                Ok(CodiceTipo::PasswordTemporanea)
            } else {
                Err(AppError::NonValido(
                    "Questo account si usa anche fuori da questo ente: per sicurezza la password può \
                     cambiarla solo il titolare, dalla pagina «Il mio account»."
                        .into(),
                ))
            }
        }
    }
}

pub async fn audit(tx: &mut EnteTx, action: &str, detail: serde_json::Value) -> AppResult<()> {
    sqlx::query("insert into audit_log (ente_id, user_id, action, detail) values ($1, $2, $3, $4)")
        .bind(tx.ente_id)
        .bind(tx.user_id)
        .bind(action)
        .bind(detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The names of the enti and the firm the user belongs to (context words a password must not
/// be made of).
pub async fn nomi_enti(
    pool: &PgPool,
    user_id: Uuid,
    firm_id: Option<Uuid>,
) -> AppResult<Vec<String>> {
    let mut tx = come_utente(pool, user_id).await?;
    // The firm's row is visible only to the firm at work.
    if let Some(f) = firm_id {
        imposta(&mut tx, "app.firm_id", &f.to_string()).await?;
    }
    let nomi = sqlx::query_scalar(
        "select e.name from enti e join memberships m on m.ente_id = e.id where m.user_id = $1
         union select f.name from firms f join firm_memberships fm on fm.firm_id = f.id
          where fm.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(nomi)
}

/// The signed-in user's own hash (the only one the function returns).
pub async fn hash_password(pool: &PgPool, user_id: Uuid) -> AppResult<String> {
    let mut tx = come_utente(pool, user_id).await?;
    let hash: Option<String> = sqlx::query_scalar("select hash_password_propria()")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    hash.ok_or(AppError::NonTrovato)
}

/// The owner's own password: permanent.
pub async fn imposta_password_propria(
    pool: &PgPool,
    user_id: Uuid,
    password_hash: &str,
) -> AppResult<()> {
    sqlx::query(
        "update users set password_hash = $2, password_changed_at = now(),
                password_temporanea = false, password_scade_at = null
          where id = $1",
    )
    .bind(user_id)
    .bind(password_hash)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn consulenti(tx: &mut UserTx, firm_id: Uuid) -> AppResult<Vec<ConsulenteView>> {
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
        "select u.id, u.email,
                case when fm.invito_hash is null then u.display_name
                     else fm.invito_nome || ' (invito in attesa)' end
           from firm_memberships fm join users u on u.id = fm.user_id
          where fm.firm_id = $1 order by 3",
    )
    .bind(firm_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user_id, email, display_name)| ConsulenteView {
            user_id,
            email,
            display_name,
        })
        .collect())
}

/// Invites a consultant into the firm, as `add_member` does for an ente. A person works
/// for one firm only.
pub async fn aggiungi_consulente(
    tx: &mut UserTx,
    firm_id: Uuid,
    email: &str,
    display_name: &str,
    code: &OneTime,
) -> AppResult<()> {
    let user_id = account_for_invite(tx, email, display_name, code).await?;
    let r = sqlx::query(
        "insert into firm_memberships (firm_id, user_id, invito_hash, invito_scade_at, invito_nome)
         values ($1, $2, $3, now() + make_interval(hours => $4), $5)
         on conflict do nothing",
    )
    .bind(firm_id)
    .bind(user_id)
    .bind(&code.digest)
    .bind(TEMPORANEA_ORE as i32)
    .bind(display_name)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::NonValido(format!(
            "{email} è già consulente di uno studio."
        )));
    }
    Ok(())
}

pub async fn password_cambiata_il(pool: &PgPool, user_id: Uuid) -> AppResult<DateTime<Utc>> {
    Ok(
        sqlx::query_scalar("select password_changed_at from users where id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?,
    )
}

/// A transaction that sees what the user sees of their own rows (`app.user_id` set).
pub(crate) async fn come_utente(
    pool: &PgPool,
    user_id: Uuid,
) -> AppResult<sqlx::Transaction<'static, sqlx::Postgres>> {
    super::context::inizia(
        pool,
        Some(format!(
            "begin; {}",
            super::context::impostazioni(user_id, None, false, None)
        )),
    )
    .await
}

/// What the second factor needs of an account.
#[derive(sqlx::FromRow)]
pub struct SecondoFattore {
    pub segreto: Option<Vec<u8>>,
    pub attivo: bool,
    pub ultimo_passo: Option<i64>,
    pub password_changed_at: DateTime<Utc>,
    pub email: String,
}

pub async fn secondo_fattore(pool: &PgPool, user_id: Uuid) -> AppResult<Option<SecondoFattore>> {
    Ok(sqlx::query_as(
        "select totp_segreto as segreto, totp_attivo as attivo,
                totp_ultimo_passo as ultimo_passo, password_changed_at, email
           from users where id = $1 and not disabled",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?)
}

pub async fn stato_2fa(pool: &PgPool, user_id: Uuid) -> AppResult<crate::model::Stato2fa> {
    let mut tx = come_utente(pool, user_id).await?;
    let (attivo, richiesto, codici_rimasti): (bool, bool, i64) = sqlx::query_as(
        "select u.totp_attivo, app_richiede_2fa(u.id),
                (select count(*) from codici_recupero c where c.user_id = u.id and c.usato_at is null)
           from users u where u.id = $1",
    )
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(crate::model::Stato2fa {
        attivo,
        richiesto,
        codici_rimasti,
    })
}

/// Stores a secret being enrolled (not active until confirmed).
pub async fn iscrivi_totp(pool: &PgPool, user_id: Uuid, cifrato: &[u8]) -> AppResult<()> {
    let r = sqlx::query(
        "update users set totp_segreto = $2, totp_ultimo_passo = null
          where id = $1 and not totp_attivo",
    )
    .bind(user_id)
    .bind(cifrato)
    .execute(pool)
    .await?;
    if r.rows_affected() == 1 {
        Ok(())
    } else {
        Err(AppError::NonValido(
            "La verifica in due passaggi è già attiva.".into(),
        ))
    }
}

/// Turns the enrolled secret on, with new recovery codes (their digests).
pub async fn attiva_totp(
    pool: &PgPool,
    user_id: Uuid,
    passo: i64,
    digest: &[String],
) -> AppResult<()> {
    let mut tx = come_utente(pool, user_id).await?;
    sqlx::query("update users set totp_attivo = true, totp_ultimo_passo = $2 where id = $1")
        .bind(user_id)
        .bind(passo)
        .execute(&mut *tx)
        .await?;
    cancella_codici_recupero(&mut tx, user_id).await?;
    sqlx::query("insert into codici_recupero (user_id, hash) select $1, unnest($2::text[])")
        .bind(user_id)
        .bind(digest)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The account's recovery codes are gone (a new set follows, or the factor is off).
async fn cancella_codici_recupero(conn: &mut sqlx::PgConnection, user_id: Uuid) -> AppResult<()> {
    sqlx::query("delete from codici_recupero where user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn disattiva_totp(pool: &PgPool, user_id: Uuid) -> AppResult<()> {
    let mut tx = come_utente(pool, user_id).await?;
    sqlx::query(
        "update users set totp_attivo = false, totp_segreto = null, totp_ultimo_passo = null
          where id = $1",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    cancella_codici_recupero(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes the time step `passo` as used, if it is later than the last one: a code works once,
/// even when two requests carry it at the same time.
pub async fn usa_passo(pool: &PgPool, user_id: Uuid, passo: i64) -> AppResult<bool> {
    let r = sqlx::query(
        "update users set totp_ultimo_passo = $2
          where id = $1 and totp_attivo and (totp_ultimo_passo is null or totp_ultimo_passo < $2)",
    )
    .bind(user_id)
    .bind(passo)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Uses up one recovery code, if it is one of the account's and still unused.
pub async fn usa_codice_recupero(pool: &PgPool, user_id: Uuid, digest: &str) -> AppResult<bool> {
    let mut tx = come_utente(pool, user_id).await?;
    let r = sqlx::query(
        "update codici_recupero set usato_at = now()
          where user_id = $1 and hash = $2 and usato_at is null",
    )
    .bind(user_id)
    .bind(digest)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(r.rows_affected() == 1)
}

/// Whether the ente asks the second factor of all its people.
pub async fn richiedi_2fa(tx: &mut EnteTx, richiesto: bool) -> AppResult<()> {
    sqlx::query("update enti set richiede_2fa = $2 where id = $1")
        .bind(tx.ente_id)
        .bind(richiesto)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn richiede_2fa(tx: &mut EnteTx) -> AppResult<bool> {
    Ok(
        sqlx::query_scalar("select richiede_2fa from enti where id = $1")
            .bind(tx.ente_id)
            .fetch_one(&mut **tx)
            .await?,
    )
}
