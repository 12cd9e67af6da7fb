//! Who may do what in an ente. The server is the authority; the browser uses the same
//! functions only to decide what to show.

use serde::{Deserialize, Serialize};

/// A person's role in one ente. Consultants get theirs from their firm, not a membership.
/// In forms and on the wire by its database name (`db_name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    #[serde(rename = "consultant")]
    Consulente,
    #[serde(rename = "ente_admin")]
    AmministratoreEnte,
    #[serde(rename = "responsabile")]
    Responsabile,
    #[serde(rename = "dipendente")]
    Dipendente,
    #[serde(rename = "nucleo")]
    Nucleo,
}

impl Role {
    /// Roles an ente admin can give through a membership.
    pub const MEMBERSHIP: [Role; 4] = [
        Role::AmministratoreEnte,
        Role::Responsabile,
        Role::Dipendente,
        Role::Nucleo,
    ];

    pub fn db_name(self) -> &'static str {
        match self {
            Role::Consulente => "consultant",
            Role::AmministratoreEnte => "ente_admin",
            Role::Responsabile => "responsabile",
            Role::Dipendente => "dipendente",
            Role::Nucleo => "nucleo",
        }
    }

    pub fn from_db(s: &str) -> Option<Role> {
        Some(match s {
            "consultant" => Role::Consulente,
            "ente_admin" => Role::AmministratoreEnte,
            "responsabile" => Role::Responsabile,
            "dipendente" => Role::Dipendente,
            "nucleo" => Role::Nucleo,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Consulente => "Consulente",
            Role::AmministratoreEnte => "Amministratore dell'ente",
            Role::Responsabile => "Responsabile di struttura",
            Role::Dipendente => "Dipendente",
            Role::Nucleo => "Nucleo di Valutazione / OIV",
        }
    }

    /// When a person holds two roles in one ente (member and consultant), the stronger wins.
    pub fn rank(self) -> u8 {
        match self {
            Role::Consulente => 5,
            Role::AmministratoreEnte => 4,
            Role::Responsabile => 3,
            Role::Nucleo => 2,
            Role::Dipendente => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `app_entra` (migration 0025) gives the ente's firm's consultant `consultant` over
    /// any membership: that holds while it is the strongest role.
    #[test]
    fn consulente_is_the_strongest() {
        for r in [
            Role::AmministratoreEnte,
            Role::Responsabile,
            Role::Dipendente,
            Role::Nucleo,
        ] {
            assert!(r.rank() < Role::Consulente.rank());
        }
    }

    #[test]
    fn db_names_round_trip() {
        for r in [
            Role::Consulente,
            Role::AmministratoreEnte,
            Role::Responsabile,
            Role::Dipendente,
            Role::Nucleo,
        ] {
            assert_eq!(Role::from_db(r.db_name()), Some(r));
        }
        assert_eq!(Role::from_db("root"), None);
        // Forms send the database name; serde reads the same.
        for r in Role::MEMBERSHIP {
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.db_name()));
        }
    }
}
