//! The next year's plan from this year's approved one: strutture, objectives, phases,
//! template links and responsabili copied, dates a year later, weights kept, as a draft;
//! staff assignments only for people still in service. Running it again changes nothing.

use uuid::Uuid;

use super::context::EnteTx;
use crate::error::{AppError, AppResult};
use crate::model::EsitoRinnovo;

/// Makes the plan of `anno + 1` from the approved plan of `anno`, in the ente being worked in.
pub async fn nuovo_anno(tx: &mut EnteTx, anno: i32) -> AppResult<EsitoRinnovo> {
    let prossimo = anno + 1;
    let mut esito = EsitoRinnovo::non_fatto(prossimo, String::new());
    let esiste: bool =
        sqlx::query_scalar("select exists (select 1 from piani where ente_id = $1 and anno = $2)")
            .bind(tx.ente_id)
            .bind(prossimo)
            .fetch_one(&mut **tx)
            .await?;
    if esiste {
        esito.messaggio = format!("Il piano {prossimo} c'era già: non è stato cambiato.");
        return Ok(esito);
    }
    let origine: Option<(Uuid, String)> =
        sqlx::query_as("select id, stato from piani where ente_id = $1 and anno = $2")
            .bind(tx.ente_id)
            .bind(anno)
            .fetch_optional(&mut **tx)
            .await?;
    let origine = match origine {
        None => {
            return Err(AppError::NonValido(format!(
                "Non c'è un piano {anno} da cui partire."
            )))
        }
        Some((_, stato)) if stato != "approvato" => {
            return Err(AppError::NonValido(format!(
                "Il piano {anno} non è approvato: il {prossimo} parte da un piano approvato."
            )))
        }
        Some((id, _)) => id,
    };
    let nuovo: Uuid = sqlx::query_scalar(
        "insert into piani (ente_id, anno, triennio_da, triennio_a, titolo, regolamento,
                            riferimenti_normativi, programmazione_strategica, territorio)
         select ente_id, $3, triennio_da + 1, triennio_a + 1, titolo, regolamento,
                riferimenti_normativi, programmazione_strategica, territorio
           from piani where ente_id = $1 and id = $2
         returning id",
    )
    .bind(tx.ente_id)
    .bind(origine)
    .bind(prossimo)
    .fetch_one(&mut **tx)
    .await?;
    // New ids for every row first, so that children find their new parents.
    let strutture: Vec<Uuid> =
        sqlx::query_scalar("select id from strutture where ente_id = $1 and piano_id = $2")
            .bind(tx.ente_id)
            .bind(origine)
            .fetch_all(&mut **tx)
            .await?;
    let obiettivi: Vec<Uuid> = sqlx::query_scalar(
        "select o.id from obiettivi o join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
          where o.ente_id = $1 and s.piano_id = $2",
    )
    .bind(tx.ente_id)
    .bind(origine)
    .fetch_all(&mut **tx)
    .await?;
    let nuovi = |v: &[Uuid]| v.iter().map(|_| Uuid::new_v4()).collect::<Vec<_>>();
    let (nuove_s, nuovi_o) = (nuovi(&strutture), nuovi(&obiettivi));
    esito.strutture = sqlx::query(
        "insert into strutture (ente_id, id, piano_id, posizione, nome, responsabile_titolo,
                                responsabile_nome, responsabile_user_id, linea_strategica,
                                obiettivo_strategico, missioni, obiettivo_operativo)
         select s.ente_id, m.nuovo, $2, s.posizione, s.nome, s.responsabile_titolo,
                s.responsabile_nome, s.responsabile_user_id, s.linea_strategica,
                s.obiettivo_strategico, s.missioni, s.obiettivo_operativo
           from strutture s join unnest($3::uuid[], $4::uuid[]) m (vecchio, nuovo) on m.vecchio = s.id
          where s.ente_id = $1",
    )
    .bind(tx.ente_id)
    .bind(nuovo)
    .bind(&strutture)
    .bind(&nuove_s)
    .execute(&mut **tx)
    .await?
    .rows_affected() as usize;
    // A year later (Postgres keeps the day, and 29 February becomes 28 February). A date
    // confirmed outside its year is confirmed again by a person, not by the copy.
    let fuori: Vec<String> = sqlx::query_scalar(
        "select o.descrizione from obiettivi o join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
          where o.ente_id = $1 and s.piano_id = $2 and o.data_confermata
            and extract(year from o.data_fine) <> $3
          order by s.posizione, o.posizione",
    )
    .bind(tx.ente_id)
    .bind(origine)
    .bind(anno)
    .fetch_all(&mut **tx)
    .await?;
    esito.obiettivi = sqlx::query(
        "insert into obiettivi (ente_id, id, struttura_id, posizione, descrizione, peso, indicatori,
                                valori_attesi, data_fine, data_confermata, modello_id,
                                modello_versione, modello_ignorata)
         select o.ente_id, m.nuovo, ms.nuovo, o.posizione, o.descrizione, o.peso, o.indicatori,
                o.valori_attesi, (o.data_fine + interval '1 year')::date,
                o.data_confermata and extract(year from o.data_fine) = $6,
                o.modello_id, o.modello_versione, o.modello_ignorata
           from obiettivi o
           join unnest($2::uuid[], $3::uuid[]) m (vecchio, nuovo) on m.vecchio = o.id
           join unnest($4::uuid[], $5::uuid[]) ms (vecchio, nuovo) on ms.vecchio = o.struttura_id
          where o.ente_id = $1",
    )
    .bind(tx.ente_id)
    .bind(&obiettivi)
    .bind(&nuovi_o)
    .bind(&strutture)
    .bind(&nuove_s)
    .bind(anno)
    .execute(&mut **tx)
    .await?
    .rows_affected() as usize;
    esito.fasi = sqlx::query(
        "insert into fasi (ente_id, obiettivo_id, posizione, descrizione, peso, indicatori,
                           valori_attesi, data_fine, data_confermata)
         select f.ente_id, m.nuovo, f.posizione, f.descrizione, f.peso, f.indicatori,
                f.valori_attesi, (f.data_fine + interval '1 year')::date,
                f.data_confermata and extract(year from f.data_fine) = $4
           from fasi f join unnest($2::uuid[], $3::uuid[]) m (vecchio, nuovo) on m.vecchio = f.obiettivo_id
          where f.ente_id = $1",
    )
    .bind(tx.ente_id)
    .bind(&obiettivi)
    .bind(&nuovi_o)
    .bind(anno)
    .execute(&mut **tx)
    .await?
    .rows_affected() as usize;
    // In service on 1 January of the new year (or with no end date).
    let in_servizio =
        |n: u8| format!("(d.attivo_al is null or d.attivo_al >= make_date(${n}, 1, 1))");
    esito.assegnazioni = sqlx::query(&format!(
        "insert into assegnazioni (ente_id, obiettivo_id, dipendente_id, peso)
         select a.ente_id, m.nuovo, a.dipendente_id, a.peso
           from assegnazioni a
           join unnest($2::uuid[], $3::uuid[]) m (vecchio, nuovo) on m.vecchio = a.obiettivo_id
           join dipendenti d on d.ente_id = a.ente_id and d.id = a.dipendente_id
          where a.ente_id = $1 and {}",
        in_servizio(4)
    ))
    .bind(tx.ente_id)
    .bind(&obiettivi)
    .bind(&nuovi_o)
    .bind(prossimo)
    .execute(&mut **tx)
    .await?
    .rows_affected() as usize;
    let usciti: Vec<String> = sqlx::query_scalar(&format!(
        "select distinct d.cognome || ' ' || d.nome
           from assegnazioni a
           join unnest($2::uuid[]) m (vecchio) on m.vecchio = a.obiettivo_id
           join dipendenti d on d.ente_id = a.ente_id and d.id = a.dipendente_id
          where a.ente_id = $1 and not {}
          order by 1",
        in_servizio(3)
    ))
    .bind(tx.ente_id)
    .bind(&obiettivi)
    .bind(prossimo)
    .fetch_all(&mut **tx)
    .await?;
    let aggiornabili: Vec<(String, i32, i32)> = sqlx::query_as(
        "select m.titolo, greatest(o.modello_versione, coalesce(o.modello_ignorata, 0)), m.versione_corrente
           from obiettivi o
           join strutture s on s.ente_id = o.ente_id and s.id = o.struttura_id
           join modelli m on m.id = o.modello_id
          where o.ente_id = $1 and s.piano_id = $2
            and m.versione_corrente > greatest(o.modello_versione, coalesce(o.modello_ignorata, 0))
          order by s.posizione, o.posizione",
    )
    .bind(tx.ente_id)
    .bind(nuovo)
    .fetch_all(&mut **tx)
    .await?;
    for (titolo, da, a) in aggiornabili {
        esito.attenzione.push(format!(
            "Il modello «{titolo}» ha una versione più recente (v{a}, nel piano v{da})."
        ));
    }
    for nome in usciti {
        esito.attenzione.push(format!(
            "{nome} non è più in servizio: le sue assegnazioni non sono state copiate."
        ));
    }
    for descrizione in fuori {
        let breve: String = descrizione.chars().take(80).collect();
        esito.attenzione.push(format!(
            "La data di «{breve}» era confermata fuori dall'annualità: confermala di nuovo."
        ));
    }
    esito.creato = true;
    esito.messaggio = format!(
        "Piano {prossimo} creato come bozza: {} strutture, {} obiettivi, {} fasi, {} assegnazioni.",
        esito.strutture, esito.obiettivi, esito.fasi, esito.assegnazioni
    );
    super::users::audit(
        tx,
        "piano_rinnovato",
        serde_json::json!({ "da": anno, "anno": prossimo }),
    )
    .await?;
    Ok(esito)
}
