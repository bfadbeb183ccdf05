//! The API key type.

use std::fmt;

use http::HeaderValue;

/// Length of the non-secret prefix the server stores and shows in its dashboard.
const PREFIX_LEN: usize = 12;
const SCHEME: &str = "hacktron_";
/// Shortest secret part we accept after `hacktron_`.
const MIN_SECRET_LEN: usize = 8;

/// A Hacktron API key, validated on construction.
///
/// Only the documented non-secret prefix (the first 12 characters, such as
/// `hacktron_3s9`) is ever shown by `Debug` or `Display`; the header value
/// built from it is marked sensitive so the HTTP stack does not log it either.
///
/// ```
/// use hacktron_runtime::ApiKey;
///
/// let key = ApiKey::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4").unwrap();
/// assert_eq!(format!("{key:?}"), "ApiKey(hacktron_3s9…)");
/// assert!(ApiKey::new("sk_live_123").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    header: HeaderValue,
}

impl ApiKey {
    /// Checks that `key` has the documented form (`hacktron_` followed by the
    /// secret) and wraps it.
    pub fn new(key: impl Into<String>) -> Result<Self, KeyError> {
        let key = key.into();
        let Some(secret) = key.strip_prefix(SCHEME) else {
            return Err(KeyError::Prefix);
        };
        if secret.len() < MIN_SECRET_LEN {
            return Err(KeyError::TooShort { len: key.len() });
        }
        if let Some(at) = key
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        {
            return Err(KeyError::InvalidCharacter { at });
        }
        let mut header = HeaderValue::from_str(&key).map_err(|_| KeyError::InvalidCharacter { at: 0 })?;
        header.set_sensitive(true);
        Ok(ApiKey { header })
    }

    /// Reads the key from the environment variable `name` (for example
    /// `HACKTRON_API_KEY`).
    pub fn from_env(name: &str) -> Result<Self, KeyError> {
        match std::env::var(name) {
            Ok(value) => ApiKey::new(value.trim()),
            Err(_) => Err(KeyError::MissingEnv { name: name.to_owned() }),
        }
    }

    /// The non-secret prefix: the first 12 characters, as the dashboard shows it.
    pub fn prefix(&self) -> &str {
        // The constructor checked the key is ASCII and longer than the prefix.
        &self.expose()[..PREFIX_LEN]
    }

    /// The whole key. Named so that every place that reveals it stands out.
    pub fn expose(&self) -> &str {
        self.header.to_str().unwrap_or_default()
    }

    pub(crate) fn header_value(&self) -> &HeaderValue {
        &self.header
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({}…)", self.prefix())
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}…", self.prefix())
    }
}

impl std::str::FromStr for ApiKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        ApiKey::new(s)
    }
}

/// Why a string was refused as an API key. Never contains the key itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key does not start with `hacktron_`.
    #[error(
        "API keys start with `hacktron_`; copy the whole key from Settings → API keys in the dashboard (a dashboard session token is not an API key)"
    )]
    Prefix,
    /// The key is shorter than any key the dashboard issues.
    #[error("the API key is too short ({len} characters); it looks truncated, copy the whole key again")]
    TooShort {
        /// Length of the rejected key.
        len: usize,
    },
    /// The key holds a character keys never contain (often whitespace or quotes).
    #[error("the API key has an invalid character at position {at}; check for quotes, spaces or line breaks around it")]
    InvalidCharacter {
        /// Byte offset of the first invalid character.
        at: usize,
    },
    /// The environment variable holding the key is not set.
    #[error("the environment variable `{name}` is not set; export your API key in it")]
    MissingEnv {
        /// Name of the variable.
        name: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_show_only_the_prefix() {
        let key = ApiKey::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4").unwrap();
        assert_eq!(format!("{key:?}"), "ApiKey(hacktron_3s9…)");
        assert_eq!(key.to_string(), "hacktron_3s9…");
        assert!(!format!("{key:?}{key}").contains("K1sP7m2n"));
        assert!(key.header_value().is_sensitive());
    }

    #[test]
    fn refuses_malformed_keys() {
        assert_eq!(ApiKey::new("Bearer abc"), Err(KeyError::Prefix));
        assert_eq!(ApiKey::new("hacktron_x"), Err(KeyError::TooShort { len: 10 }));
        assert_eq!(
            ApiKey::new("hacktron_abcdefgh ij"),
            Err(KeyError::InvalidCharacter { at: 17 })
        );
        assert_eq!(
            ApiKey::new("hacktron_abcdéfghij"),
            Err(KeyError::InvalidCharacter { at: 13 })
        );
    }
}
