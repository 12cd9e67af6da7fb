//! What the activity log and the access log say, in Italian: one label per recorded action.

/// The label of an action recorded in an ente's activity log (`audit_log.action`).
pub fn azione(codice: &str) -> &str {
    match codice {
        "utente_invitato" => "Persona aggiunta (invito)",
        "invito_accettato" => "Invito accettato",
        "invito_rinnovato" => "Nuovo codice di invito",
        "ruolo_modificato" => "Ruolo modificato",
        "utente_disattivato" => "Utente disattivato",
        "utente_riattivato" => "Utente riattivato",
        "password_reimpostata" => "Password temporanea generata",
        "2fa_richiesta" => "Verifica in due passaggi resa obbligatoria",
        "2fa_non_richiesta" => "Verifica in due passaggi non più obbligatoria",
        "piano_creato" => "Piano creato",
        "piano_rinnovato" => "Piano dell'anno successivo creato dal piano approvato",
        "scadenza_spostata" => "Scadenza spostata",
        "piano_approvato" => "Piano approvato",
        "piano_riaperto" => "Piano riaperto come bozza",
        "personale_importato" => "Personale importato",
        "certificato_firma_caricato" => "Certificato di firma caricato",
        "certificato_firma_rimosso" => "Certificato di firma rimosso",
        "allegato_firmato" => "Allegato firmato",
        "allegato_archiviato" => "Copia firmata archiviata",
        "monitoraggio_creato" => "Monitoraggio aggiunto",
        "monitoraggi_predefiniti" => "Monitoraggi al 30/06 e al 30/09 aggiunti",
        "monitoraggio_inviato" => "Rilevazione inviata al Nucleo",
        "monitoraggio_riaperto" => "Rilevazione riaperta",
        "monitoraggio_chiuso" => "Monitoraggio chiuso con il referto",
        "rimodulazione_avviata" => "Rimodulazione avviata",
        "smvp_versione" => "Nuova versione del profilo SMVP",
        "smvp_adottato" => "Profilo SMVP dello studio adottato",
        "chiusura_avviata" => "Chiusura dell'anno avviata",
        "chiusura_profilo" => "Chiusura dell'anno: profilo SMVP aggiornato",
        "rettifica_nucleo" => "Rettifica del Nucleo su un obiettivo",
        "relazione_adottata" => "Relazione sulla Performance adottata",
        "validazione_firmata" => "Validazione della Relazione firmata",
        "schede_preparate" => "Schede di valutazione preparate",
        "valutazione_salvata" => "Scheda di valutazione salvata",
        "valutazione_proposta" => "Valutazione proposta dopo il colloquio finale",
        "valutazione_vista" => "Presa visione della valutazione",
        "valutazione_accettata" => "Valutazione accettata",
        "revisione_richiesta" => "Revisione della valutazione richiesta",
        "revisione_decisa" => "Revisione della valutazione decisa",
        "valutazione_definitiva" => "Valutazione resa definitiva",
        "dati_premi" => "Dati per i premi aggiornati",
        "premi_parametri" => "Parametri dei premi salvati",
        "premi_definitivi" => "Ripartizione dei premi resa definitiva",
        "scheda_firmata" => "Scheda di valutazione firmata dal valutatore",
        altro => altro,
    }
}

/// The label of an event of the access log (`registro_accessi.evento`).
pub fn evento(codice: &str) -> &str {
    match codice {
        "accesso" => "Accesso riuscito",
        "accesso_fallito" => "Accesso non riuscito",
        "accesso_limitato" => "Accesso bloccato: troppi tentativi",
        "codice_errato" => "Codice della verifica in due passaggi errato",
        "password_scaduta" => "Password temporanea scaduta",
        "password_cambiata" => "Password cambiata",
        "2fa_attivata" => "Verifica in due passaggi attivata",
        "2fa_disattivata" => "Verifica in due passaggi disattivata",
        "invito_accettato" => "Invito accettato",
        "2fa_studio_richiesta" => "Verifica in due passaggi resa obbligatoria per lo studio",
        "2fa_studio_non_richiesta" => "Verifica in due passaggi non più obbligatoria per lo studio",
        altro => altro,
    }
}

/// "Chrome su Linux" from a User-Agent header: enough for a person to recognise a session.
pub fn dispositivo(agente: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(k, _)| agente.contains(k))
    .map(|(_, n)| n);
    let sistema = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(k, _)| agente.contains(k))
    .map(|(_, n)| n);
    match (browser, sistema) {
        (Some(b), Some(s)) => format!("{b} su {s}"),
        (Some(b), None) => b.to_string(),
        (None, Some(s)) => format!("Browser su {s}"),
        (None, None) => "Dispositivo non riconosciuto".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_read_in_italian_and_unknown_ones_as_they_are() {
        assert_eq!(azione("piano_approvato"), "Piano approvato");
        assert_eq!(evento("accesso_fallito"), "Accesso non riuscito");
        assert_eq!(azione("nuova_azione"), "nuova_azione");
    }

    #[test]
    fn a_user_agent_reads_as_browser_and_system() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        assert_eq!(dispositivo(chrome), "Chrome su Linux");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0";
        assert_eq!(dispositivo(edge), "Edge su Windows");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(dispositivo(iphone), "Safari su iPhone");
        assert_eq!(dispositivo("curl/8.0"), "Dispositivo non riconosciuto");
    }
}
