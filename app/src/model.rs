//! What server functions hand to pages: plain data, serialisable both ways.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::roles::Role;

/// An ente the user may enter, with their role there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnteSummary {
    pub slug: String,
    pub name: String,
    pub provincia: String,
    pub role: Role,
}

/// What the landing page shows after login.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub display_name: String,
    pub email: String,
    pub is_platform_admin: bool,
    pub firm_name: Option<String>,
    pub enti: Vec<EnteSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnteInfo {
    pub slug: String,
    pub name: String,
    pub provincia: String,
    pub role: Role,
}

/// A member of an ente, as its admins see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
}

/// A password shown once to the admin who created or reset an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OneTimePassword {
    pub email: String,
    /// `None` when the account already existed (it keeps its own password).
    pub password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consultant {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirmSummary {
    pub id: Uuid,
    pub name: String,
    pub enti: i64,
    pub consultants: i64,
}
