//! Who may do what in an ente, as one table: every check on the server (and every choice
//! of what a page shows) asks `Role::puo(Azione)`. The per-row rule of the responsabile
//! (their own strutture only) is `Role::puo_sulla_struttura`.

use serde::{Deserialize, Serialize};

use super::roles::Role;

/// What a person may ask to do in an ente.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Azione {
    /// Enter the ente: its home page, its name, "I miei obiettivi" (each sees their own).
    Entrare,
    /// Read the plan, download its PDF and the archived signed copies.
    LeggerePiano,
    /// Create a plan, edit any struttura, add and remove strutture, approve and reopen.
    ModificarePiano,
    /// Edit a struttura (and assign its staff): the plan's editors, or a responsabile on
    /// their own strutture (checked per row with `puo_sulla_struttura`).
    ModificareStruttura,
    /// Adopt templates of the firm's library into the plan and follow their updates.
    UsareLibreria,
    /// Turn an objective of the ente into a template of the firm's library.
    ScrivereLibreria,
    /// Invite people, set roles, disable accounts, reset passwords, require the second
    /// factor, read the activity log.
    GestireUtenti,
    /// The staff registry: import, edit, employee logins.
    GestirePersonale,
    /// The ente's signing certificate, signing the attachment, archiving signed copies.
    Firmare,
    /// Set the monitoring checkpoints of an approved plan; reopen a submitted record.
    ImpostareMonitoraggio,
    /// Fill in and submit a struttura's progress at a checkpoint: the plan's editors, or a
    /// responsabile on their own strutture (checked per row with `puo_sulla_struttura`).
    CompilareMonitoraggio,
    /// The Nucleo's part: annotate the objectives, close the checkpoint with its Referto.
    ValutareMonitoraggio,
    /// The ente's SMVP profile (its own versions, adopting the firm's), starting the
    /// year-end record and choosing each objective's method.
    ImpostareValutazione,
    /// The Nucleo's part at the year's end: override a score, validate the results.
    ValidareRisultati,
    /// The premi: the funds and their rules, the data they read (absences, sanctions), the
    /// final distribution and its outputs; and preparing the year's schede.
    GestirePremi,
}

impl Azione {
    pub const TUTTE: [Azione; 15] = [
        Azione::Entrare,
        Azione::LeggerePiano,
        Azione::ModificarePiano,
        Azione::ModificareStruttura,
        Azione::UsareLibreria,
        Azione::ScrivereLibreria,
        Azione::GestireUtenti,
        Azione::GestirePersonale,
        Azione::Firmare,
        Azione::ImpostareMonitoraggio,
        Azione::CompilareMonitoraggio,
        Azione::ValutareMonitoraggio,
        Azione::ImpostareValutazione,
        Azione::ValidareRisultati,
        Azione::GestirePremi,
    ];
}

impl Role {
    /// Whether this role may do `azione` in its ente.
    pub fn puo(self, azione: Azione) -> bool {
        use Azione::*;
        use Role::*;
        match azione {
            Entrare => true,
            LeggerePiano => self != Dipendente,
            ModificarePiano
            | GestireUtenti
            | GestirePersonale
            | Firmare
            | ImpostareMonitoraggio
            | ImpostareValutazione
            | GestirePremi => {
                matches!(self, Consulente | AmministratoreEnte)
            }
            ModificareStruttura | UsareLibreria | CompilareMonitoraggio => {
                matches!(self, Consulente | AmministratoreEnte | Responsabile)
            }
            ScrivereLibreria => self == Consulente,
            ValutareMonitoraggio | ValidareRisultati => self == Nucleo,
        }
    }

    /// Whether this role may edit the struttura whose responsabile is `responsabile` (the
    /// caller is `me`): the plan's editors any, a responsabile their own.
    pub fn puo_sulla_struttura<T: PartialEq>(self, responsabile: Option<T>, me: T) -> bool {
        self.puo(Azione::ModificarePiano)
            || (self == Role::Responsabile && responsabile == Some(me))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table, written out: a change of who may do what shows up here.
    #[test]
    fn role_by_action() {
        use Azione::*;
        const T: bool = true;
        const F: bool = false;
        // Entrare, LeggerePiano, ModificarePiano, ModificareStruttura, UsareLibreria,
        // ScrivereLibreria, GestireUtenti, GestirePersonale, Firmare, ImpostareMonitoraggio,
        // CompilareMonitoraggio, ValutareMonitoraggio, ImpostareValutazione, ValidareRisultati,
        // GestirePremi
        let righe: [(Role, [bool; 15]); 5] = [
            (
                Role::Consulente,
                [T, T, T, T, T, T, T, T, T, T, T, F, T, F, T],
            ),
            (
                Role::AmministratoreEnte,
                [T, T, T, T, T, F, T, T, T, T, T, F, T, F, T],
            ),
            (
                Role::Responsabile,
                [T, T, F, T, T, F, F, F, F, F, T, F, F, F, F],
            ),
            (Role::Nucleo, [T, T, F, F, F, F, F, F, F, F, F, T, F, T, F]),
            (
                Role::Dipendente,
                [T, F, F, F, F, F, F, F, F, F, F, F, F, F, F],
            ),
        ];
        assert_eq!(
            Azione::TUTTE,
            [
                Entrare,
                LeggerePiano,
                ModificarePiano,
                ModificareStruttura,
                UsareLibreria,
                ScrivereLibreria,
                GestireUtenti,
                GestirePersonale,
                Firmare,
                ImpostareMonitoraggio,
                CompilareMonitoraggio,
                ValutareMonitoraggio,
                ImpostareValutazione,
                ValidareRisultati,
                GestirePremi
            ]
        );
        for (ruolo, atteso) in righe {
            for (azione, si) in Azione::TUTTE.into_iter().zip(atteso) {
                assert_eq!(ruolo.puo(azione), si, "{ruolo:?} × {azione:?}");
            }
        }
    }

    #[test]
    fn responsabili_edit_only_their_strutture() {
        assert!(Role::AmministratoreEnte.puo_sulla_struttura(None, 1));
        assert!(Role::Consulente.puo_sulla_struttura(Some(2), 1));
        assert!(Role::Responsabile.puo_sulla_struttura(Some(1), 1));
        assert!(!Role::Responsabile.puo_sulla_struttura(Some(2), 1));
        assert!(!Role::Responsabile.puo_sulla_struttura(None, 1));
        assert!(!Role::Dipendente.puo_sulla_struttura(Some(1), 1));
        assert!(!Role::Nucleo.puo_sulla_struttura(Some(1), 1));
    }
}
