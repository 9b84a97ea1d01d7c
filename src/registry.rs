//! The governance catalog's model of one registry, shared by the editors, the day-2 requests,
//! `sync --promote` and the guard: the status values a registry moves through, the names of its
//! `metadata` fields, and the fields as read from a catalog entry, typed.

/// Where a registry is in its life. The catalog stores it as `metadata.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Requested and merged; the repository does not exist in AWS yet.
    Pending,
    /// The repository exists in its environment's listing.
    Active,
    /// Retired: the tfvars entry is gone, the catalog entry stays.
    Decommissioned,
}

impl Status {
    /// The value written in the catalog.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Active => "active",
            Status::Decommissioned => "decommissioned",
        }
    }

    /// A catalog value; `None` for anything else (a platform's own status is left alone).
    pub fn parse(value: &str) -> Option<Status> {
        [Status::Pending, Status::Active, Status::Decommissioned]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// The catalog status of a request whose repository does not exist yet.
pub const PENDING: &str = Status::Pending.as_str();
/// The catalog status of a registry whose repository exists.
pub const ACTIVE: &str = Status::Active.as_str();
/// The catalog status of a retired registry.
pub const DECOMMISSIONED: &str = Status::Decommissioned.as_str();

/// The names of an entry's `metadata` fields, as the catalog (and the tfvars map) spells them.
pub mod field {
    /// The mapping that holds the fields, under the entry's key.
    pub const METADATA: &str = "metadata";
    /// The governance id (`REGISTRY_…`).
    pub const ID: &str = "id";
    /// The owning team.
    pub const OWNER: &str = "owner";
    /// Who asked for it.
    pub const REQUESTED_BY: &str = "requested_by";
    /// The domain.
    pub const DOMAIN: &str = "domain";
    /// The risk tier.
    pub const RISK: &str = "risk";
    /// The environment.
    pub const ENVIRONMENT: &str = "environment";
    /// The request date.
    pub const CREATED_DATE: &str = "created_date";
    /// The [`super::Status`].
    pub const STATUS: &str = "status";
    /// What the repository is for.
    pub const DESCRIPTION: &str = "description";
    /// The AWS region.
    pub const REGION: &str = "region";
    /// The date of the decommission.
    pub const DECOMMISSIONED_DATE: &str = "decommissioned_date";
}

/// An entry's `metadata` as read from a catalog: every field as text, in the file's order, with
/// typed access to the ones the tool knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata(pub Vec<(String, String)>);

impl Metadata {
    /// A field's text (the first, should a hand-edited file repeat it).
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.as_str())
    }

    /// The governance id.
    pub fn id(&self) -> Option<&str> {
        self.get(field::ID)
    }

    /// The environment.
    pub fn environment(&self) -> Option<&str> {
        self.get(field::ENVIRONMENT)
    }

    /// The status, when it is one the tool knows.
    pub fn status(&self) -> Option<Status> {
        self.get(field::STATUS).and_then(Status::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back_what_they_write() {
        for s in [Status::Pending, Status::Active, Status::Decommissioned] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("Active"), None);
        assert_eq!(Status::parse("retired"), None);
        let m = Metadata(vec![
            (field::STATUS.into(), "active".into()),
            (field::ENVIRONMENT.into(), "dev".into()),
        ]);
        assert_eq!(m.status(), Some(Status::Active));
        assert_eq!(m.environment(), Some("dev"));
        assert_eq!(m.id(), None);
    }
}
