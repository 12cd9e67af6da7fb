//! The one door into an ente: one transaction per call, the tenant set inside it, the
//! action checked against the permission table before the body runs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use app::domain::permessi::Azione;
use app::error::AppError;
use app::ssr::{porta, Caller};
use server::testing::TestDb;
use sqlx::postgres::PgPoolOptions;
use uuid::Uuid;

use crate::support::two_tenants;

fn chiamante(user_id: Uuid, email: &str) -> Caller {
    Caller {
        user_id,
        email: email.into(),
        display_name: email.into(),
        is_platform_admin: false,
        firm_id: None,
        password_temporanea: false,
        deve_attivare_2fa: false,
        sessione: None,
    }
}

/// A pool of one connection that counts how many times a transaction (or a statement)
/// takes its connection.
async fn pool_contato(db: &TestDb) -> (sqlx::PgPool, Arc<AtomicUsize>) {
    let prese = Arc::new(AtomicUsize::new(0));
    let (a, b) = (prese.clone(), prese.clone());
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .after_connect(move |_, _| {
            a.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(()) })
        })
        .before_acquire(move |_, _| {
            b.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(true) })
        })
        .connect_with((*db.pool.connect_options()).clone())
        .await
        .unwrap();
    // The pool connects once on its own: count from here.
    prese.store(0, Ordering::SeqCst);
    (pool, prese)
}

#[tokio::test]
async fn one_call_is_one_transaction_with_the_tenant_set_inside() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let (pool, prese) = pool_contato(&db).await;
    let admin_b = chiamante(t.admin_b, "admin.b@test.it");

    let (ente, anno, in_transazione) = porta::in_ente_di(
        &pool,
        admin_b.clone(),
        "ente-b",
        Azione::LeggerePiano,
        async |ctx, tx| {
            let ente: String = sqlx::query_scalar("select current_setting('app.ente_id')")
                .fetch_one(&mut **tx)
                .await?;
            let p = app::ssr::piani::carica(tx, 2022).await?;
            // The ente was resolved in this same transaction, not in one before it.
            let dentro: bool = sqlx::query_scalar("select now() = statement_timestamp()")
                .fetch_one(&mut **tx)
                .await?;
            assert_eq!(ctx.ente_id, t.ente_b);
            Ok((ente, p.map(|p| p.anno), !dentro))
        },
    )
    .await
    .unwrap();
    assert_eq!(ente, t.ente_b.to_string());
    assert_eq!(anno, Some(2022));
    assert!(
        in_transazione,
        "the body runs inside the door's transaction"
    );
    assert_eq!(prese.load(Ordering::SeqCst), 1, "one call, one transaction");

    // Refused before the body: a dipendente may not read the plan. Still one transaction,
    // and nothing of the body ran.
    prese.store(0, Ordering::SeqCst);
    let dip = chiamante(t.dip_a, "dip.a@test.it");
    let r = porta::in_ente_di(&pool, dip, "ente-a", Azione::LeggerePiano, async |_, _| {
        panic!("the body of a refused call runs")
    })
    .await;
    assert_eq!(r, Err::<(), _>(AppError::NonAutorizzato));
    assert_eq!(prese.load(Ordering::SeqCst), 1);

    // Another ente: not found, as if it did not exist.
    let r = porta::in_ente_di(&pool, admin_b, "ente-a", Azione::Entrare, async |_, _| {
        Ok(())
    })
    .await;
    assert_eq!(r, Err(AppError::NonTrovato));

    // After the call the connection carries no tenant into the next one.
    let rimasto: String =
        sqlx::query_scalar("select coalesce(current_setting('app.ente_id', true), '')")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(rimasto, "");
}

#[tokio::test]
async fn the_tenant_is_set_only_through_its_function() {
    let db = TestDb::new().await;
    let mut tx = db.pool.begin().await.unwrap();
    // Only the settings the policies read.
    let e = sqlx::query("select app_imposta('search_path', 'pg_temp')")
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("impostazione non ammessa"), "{e}");
    tx.rollback().await.unwrap();
    // SET LOCAL: gone with the transaction.
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query("select app_imposta('app.ente_id', $1)")
        .bind(Uuid::new_v4().to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let dopo: String =
        sqlx::query_scalar("select coalesce(current_setting('app.ente_id', true), '')")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(dopo, "");
}

/// A page's request as Leptos renders it: the caller and the request's shared connection
/// in the request's parts, the pool in the context.
fn pagina(
    pool: &sqlx::PgPool,
    caller: Caller,
    richiesta: &app::ssr::richiesta::Richiesta,
) -> leptos::prelude::Owner {
    use leptos::prelude::{provide_context, Owner};
    let (mut parts, _) = http::Request::new(()).into_parts();
    parts.extensions.insert(caller);
    parts.extensions.insert(richiesta.clone());
    let owner = Owner::new();
    owner.with(|| {
        provide_context(parts);
        provide_context(pool.clone());
    });
    owner
}

/// What a door's transaction sees: the connection, its settings, whether it may write.
async fn stato(tx: &mut sqlx::PgConnection) -> (i32, String, String, String, String) {
    sqlx::query_as(
        "select pg_backend_pid(),
                coalesce(current_setting('app.ente_id', true), ''),
                coalesce(current_setting('app.ruolo', true), ''),
                coalesce(current_setting('app.dipendente_id', true), ''),
                current_setting('transaction_read_only')",
    )
    .fetch_one(tx)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_page_request_reads_only_and_enters_its_ente_once() {
    use app::domain::roles::Role;
    use app::ssr::richiesta::Richiesta;
    use leptos::reactive::computed::ScopedFuture;
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let admin_b = chiamante(t.admin_b, "admin.b@test.it");
    let richiesta = Richiesta::default();
    let pagina_1 = pagina(&db.pool, admin_b.clone(), &richiesta);

    let prova = async {
        // The plan: the ente entered, the role set, read-only.
        let (primo, ruolo) = porta::in_ente("ente-b", Azione::LeggerePiano, async |ctx, tx| {
            Ok((stato(tx).await, ctx.role))
        })
        .await
        .unwrap();
        assert_eq!(primo.1, t.ente_b.to_string());
        assert_eq!(primo.2, "ente_admin");
        assert_eq!(primo.4, "on", "a page's reads run read-only");
        assert_eq!(ruolo, Role::AmministratoreEnte);

        // Meanwhile the admin becomes a dipendente, who may not read the plan.
        let mut o = db.owner().await;
        sqlx::query("update memberships set role = 'dipendente' where user_id = $1")
            .bind(t.admin_b)
            .execute(&mut o)
            .await
            .unwrap();

        // The same page's next door enters with what the first learnt (no `app_entra`,
        // which would now say dipendente), in a transaction of its own.
        let (secondo, nome) = porta::in_ente("ente-b", Azione::LeggerePiano, async |ctx, tx| {
            let s = stato(tx).await;
            let ente: Option<i32> = sqlx::query_scalar(
                "select anno from piani where ente_id = $1 order by anno limit 1",
            )
            .bind(ctx.ente_id)
            .fetch_optional(&mut **tx)
            .await?;
            assert_eq!(
                ente,
                Some(2022),
                "the policies see the ente set in the opening"
            );
            Ok((s, ctx.ente_name.clone()))
        })
        .await
        .unwrap();
        assert_eq!((&*secondo.1, &*secondo.2), (&*primo.1, "ente_admin"));
        assert_eq!(secondo.4, "on");
        assert_eq!(nome, "Comune B");

        // The header: no ente, read-only.
        let terzo = porta::per_utente(async |_, tx| Ok(stato(tx).await))
            .await
            .unwrap();
        assert_eq!((&*terzo.1, &*terzo.2, &*terzo.4), ("", "", "on"));

        // Another ente is still not found.
        let r = porta::in_ente("ente-a", Azione::Entrare, async |_, _| Ok(())).await;
        assert_eq!(r, Err(AppError::NonTrovato));

        // A write fails, loudly.
        let r = porta::in_ente("ente-b", Azione::LeggerePiano, async |_, tx| {
            sqlx::query("update piani set anno = anno where ente_id = $1")
                .bind(t.ente_b)
                .execute(&mut **tx)
                .await?;
            Ok(())
        })
        .await;
        assert!(r.is_err(), "a page's GET does not write");
    };
    pagina_1.with(|| ScopedFuture::new(prova)).await;

    // The next page's request asks again: now a dipendente, refused.
    let pagina_2 = pagina(&db.pool, admin_b.clone(), &Richiesta::default());
    let r = pagina_2
        .with(|| {
            ScopedFuture::new(porta::in_ente(
                "ente-b",
                Azione::LeggerePiano,
                async |_, _| Ok(()),
            ))
        })
        .await;
    assert_eq!(r, Err(AppError::NonAutorizzato));

    // Outside a page (a call from the browser, a route): the transaction may write.
    let rw = porta::in_ente_di(
        &db.pool,
        admin_b,
        "ente-b",
        Azione::Entrare,
        async |_, tx| Ok(stato(tx).await.4),
    )
    .await
    .unwrap();
    assert_eq!(rw, "off");
}

#[tokio::test]
async fn a_page_door_ends_without_a_commit_and_leaves_no_transaction_behind() {
    use app::ssr::richiesta::Richiesta;
    use leptos::reactive::computed::ScopedFuture;
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    // One connection: every door below, and the check after them, take the same one.
    let (pool, _) = pool_contato(&db).await;
    let admin_b = chiamante(t.admin_b, "admin.b@test.it");
    let pagina_1 = pagina(&pool, admin_b.clone(), &Richiesta::default());
    let (primo, secondo, terzo) = pagina_1
        .with(|| {
            ScopedFuture::new(async {
                let leggi = async || {
                    porta::in_ente("ente-b", Azione::LeggerePiano, async |_, tx| {
                        let s = stato(tx).await;
                        // Inside the door's transaction, not a statement's own; and
                        // when that transaction began.
                        let dentro: (bool, String) =
                            sqlx::query_as("select now() <> statement_timestamp(), now()::text")
                                .fetch_one(&mut **tx)
                                .await?;
                        Ok((s, dentro))
                    })
                    .await
                    .unwrap()
                };
                let primo = leggi().await;
                let secondo = leggi().await;
                let terzo = porta::per_utente(async |_, tx| Ok(stato(tx).await))
                    .await
                    .unwrap();
                (primo, secondo, terzo)
            })
        })
        .await;
    assert!(
        primo.1 .0 && secondo.1 .0,
        "each door reads in a transaction"
    );
    assert_eq!(primo.0 .0, secondo.0 .0, "the same connection, in turn");
    // Had the first door's transaction stayed open, the second's BEGIN would have been
    // only a warning, and the second door would have read inside the first's transaction.
    assert_ne!(primo.1 .1, secondo.1 .1, "a transaction of its own");
    assert_eq!((&*primo.0 .4, &*secondo.0 .4), ("on", "on"));
    assert_eq!(secondo.0 .1, t.ente_b.to_string());
    assert_eq!((terzo.0, &*terzo.1, &*terzo.4), (primo.0 .0, "", "on"));

    // After the page the connection is out of the read-only transactions (in one of them
    // this would read "on"), with no setting left.
    let mut c = pool.acquire().await.unwrap();
    let dopo: (String, String) = sqlx::query_as(
        "select current_setting('transaction_read_only'),
                coalesce(current_setting('app.ente_id', true), '')",
    )
    .fetch_one(&mut *c)
    .await
    .unwrap();
    assert_eq!(dopo, ("off".into(), "".into()));
    // And a call that writes on it commits.
    drop(c);
    let scritto = porta::in_ente_di(&pool, admin_b, "ente-b", Azione::Entrare, async |_, tx| {
        let n: i64 = sqlx::query_scalar("select txid_current()")
            .fetch_one(&mut **tx)
            .await?;
        Ok(n)
    })
    .await
    .unwrap();
    let finita: bool = sqlx::query_scalar("select txid_status($1) = 'committed'")
        .bind(scritto)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(finita);
}

/// A file's GET (the plan's PDF, a report, an export) enters read only, like a page's
/// doors: a write there is refused by the database itself.
#[tokio::test]
async fn a_file_get_enters_read_only() {
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let (pool, _) = pool_contato(&db).await;
    let admin_b = chiamante(t.admin_b, "admin.b@test.it");
    let (s, scrittura) = porta::in_ente_in_lettura(
        &pool,
        admin_b.clone(),
        "ente-b",
        Azione::LeggerePiano,
        None,
        async |_, tx| {
            let s = stato(tx).await;
            let e = sqlx::query("update piani set titolo = titolo where ente_id = $1")
                .bind(tx.ente_id)
                .execute(&mut **tx)
                .await
                .map_err(|e| e.to_string());
            Ok((s, e))
        },
    )
    .await
    .unwrap();
    assert_eq!((s.1, &*s.4), (t.ente_b.to_string(), "on"));
    let errore = scrittura.unwrap_err();
    assert!(errore.contains("read-only transaction"), "{errore}");
}

/// Ente B as the middleware's read of the caller enters it for its administrator.
fn ente_b_da_amministratore(t: &crate::support::Tenants) -> app::ssr::richiesta::EnteNoto {
    app::ssr::richiesta::EnteNoto {
        slug: "ente-b".into(),
        id: t.ente_b,
        nome: "Comune B".into(),
        role: app::domain::roles::Role::AmministratoreEnte,
        firm: Some(t.firm_b),
    }
}

/// A GET under `/e/{slug}/` comes with its ente entered by the middleware's read of the
/// caller (`Richiesta::con`): the door opens with that answer and does not ask
/// `app_entra`, which here would say otherwise.
#[tokio::test]
async fn a_file_get_enters_with_the_ente_read_with_its_caller() {
    use app::domain::roles::Role;
    use app::ssr::richiesta::Richiesta;
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let admin_b = chiamante(t.admin_b, "admin.b@test.it");
    // As read with the caller, before the admin became a nucleo's member.
    let letto = ente_b_da_amministratore(&t);
    let mut o = db.owner().await;
    sqlx::query("update memberships set role = 'nucleo' where user_id = $1")
        .bind(t.admin_b)
        .execute(&mut o)
        .await
        .unwrap();
    let entra = async |richiesta| {
        porta::in_ente_in_lettura(
            &db.pool,
            admin_b.clone(),
            "ente-b",
            Azione::Entrare,
            richiesta,
            async |ctx, tx| Ok((stato(tx).await, ctx.role, ctx.ente_name.clone())),
        )
        .await
        .unwrap()
    };
    let (s, ruolo, nome) = entra(Some(Richiesta::con(Some(letto), None))).await;
    assert_eq!(
        (&*s.1, &*s.2, &*s.4),
        (&*t.ente_b.to_string(), "ente_admin", "on")
    );
    assert_eq!((ruolo, &*nome), (Role::AmministratoreEnte, "Comune B"));
    // Without it (nothing entered with the caller), the door asks: the role now.
    let (s, ruolo, _) = entra(Some(Richiesta::con(None, None))).await;
    assert_eq!((&*s.2, ruolo), ("nucleo", Role::Nucleo));
}

/// A page's header is what the request read with its caller (`Richiesta::con` with its
/// `Intestazione`): no door, so not what the database says meanwhile. For another ente's
/// page, or without it, the header asks through its door.
#[tokio::test]
async fn a_pages_header_is_the_one_read_with_its_caller() {
    use app::api::promemoria::navigazione;
    use app::ssr::richiesta::{Intestazione, Richiesta};
    use leptos::reactive::computed::ScopedFuture;
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let admin_b = chiamante(t.admin_b, "admin.b@test.it");
    let letto = ente_b_da_amministratore(&t);
    // As read with the caller; the database has no reminder of theirs and no other ente.
    let intestazione = Intestazione {
        promemoria: 7,
        altri_enti: true,
    };
    let menu = async |richiesta: Richiesta, slug: &str| {
        pagina(&db.pool, admin_b.clone(), &richiesta)
            .with(|| ScopedFuture::new(navigazione(slug.to_string())))
            .await
    };
    let con = || Richiesta::con(Some(letto.clone()), Some(intestazione));
    let m = menu(con(), "ente-b").await.unwrap();
    assert_eq!(
        (m.promemoria, m.altri_enti, m.ente),
        (7, true, Some(("ente-b".into(), "Comune B".into())))
    );
    assert!(
        m.sezioni.iter().any(|(t, _)| t == "Utenti"),
        "{:?}",
        m.sezioni
    );
    // Outside any ente: the bell read with the caller.
    assert_eq!(menu(con(), "").await.unwrap().promemoria, 7);
    // Another ente's page: its door, which finds it is not theirs.
    assert_eq!(menu(con(), "ente-a").await, Err(AppError::NonTrovato));
    // Nothing read with the caller: the door, and the database's answer.
    let m = menu(Richiesta::con(Some(letto.clone()), None), "ente-b")
        .await
        .unwrap();
    assert_eq!((m.promemoria, m.altri_enti), (0, false));
}

/// A door whose role was read already in this request (the middleware entered its ente)
/// refuses an action that role may not do before it opens anything: no connection is taken
/// for a 403. The same door for an action the role may do opens its transaction.
#[tokio::test]
async fn a_refused_door_of_an_ente_entered_already_opens_nothing() {
    use app::domain::roles::Role;
    use app::ssr::richiesta::{EnteNoto, Richiesta};
    let db = TestDb::new().await;
    let t = two_tenants(&db).await;
    let (pool, prese) = pool_contato(&db).await;
    let dip = chiamante(t.dip_a, "dip.a@test.it");
    let letto = EnteNoto {
        slug: "ente-a".into(),
        id: t.ente_a,
        nome: "Comune A".into(),
        role: Role::Dipendente,
        firm: Some(t.firm_a),
    };
    let porta_per = async |azione| {
        porta::in_ente_in_lettura(
            &pool,
            dip.clone(),
            "ente-a",
            azione,
            Some(Richiesta::con(Some(letto.clone()), None)),
            async |ctx, _| Ok(ctx.role),
        )
        .await
    };
    assert_eq!(
        porta_per(Azione::LeggerePiano).await,
        Err(AppError::NonAutorizzato)
    );
    assert_eq!(prese.load(Ordering::SeqCst), 0, "a 403 took a connection");
    assert_eq!(porta_per(Azione::Entrare).await, Ok(Role::Dipendente));
    assert_eq!(
        prese.load(Ordering::SeqCst),
        1,
        "the allowed door opens one"
    );
}
