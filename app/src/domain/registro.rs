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
        "piano_approvato" => "Piano approvato",
        "piano_riaperto" => "Piano riaperto come bozza",
        "personale_importato" => "Personale importato",
        "certificato_firma_caricato" => "Certificato di firma caricato",
        "certificato_firma_rimosso" => "Certificato di firma rimosso",
        "allegato_firmato" => "Allegato firmato",
        "allegato_archiviato" => "Copia firmata archiviata",
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
        altro => altro,
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
}
