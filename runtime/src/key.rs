//! The secret a client sends: never shown, never logged.

use std::fmt;

use http::HeaderValue;

use crate::error::Error;
use crate::service::{Auth, Service};

/// A client's credential, checked by its service
/// ([`Service::check_key`]).
///
/// `Debug` and `Display` show at most the service's non-secret prefix
/// ([`Service::KEY_PREFIX_LEN`]) followed by `…`; the header value built
/// from it is marked sensitive so the HTTP stack does not log it either.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    key: String,
    prefix_len: usize,
}

impl ApiKey {
    /// Checks `key` with service `S` and wraps it.
    pub fn new<S: Service>(key: impl Into<String>) -> Result<Self, S::Error> {
        let key = key.into();
        S::check_key(&key)?;
        if key.is_empty() {
            return Err(Error::Config(format!("the {} API key is empty", S::NAME)).into());
        }
        if let Some(at) = key.bytes().position(|b| !(0x21..0x7f).contains(&b)) {
            return Err(Error::Config(format!(
                "the {} API key has a character at position {at} that cannot be sent (a space, a line break, a quote or non-ASCII); copy it again",
                S::NAME
            ))
            .into());
        }
        // Never more than half the key, whatever the service says.
        let prefix_len = S::KEY_PREFIX_LEN.min(key.len() / 2);
        Ok(ApiKey { key, prefix_len })
    }

    /// The non-secret prefix the service declares (empty when it declares none).
    pub fn prefix(&self) -> &str {
        // `new` checked the key is visible ASCII, so any index is a boundary.
        &self.key[..self.prefix_len]
    }

    /// The whole key. Named so that every place that reveals it stands out.
    pub fn expose(&self) -> &str {
        &self.key
    }

    /// The header value `auth` sends, marked sensitive.
    pub(crate) fn header_value(&self, auth: Auth) -> Result<HeaderValue, Error> {
        let text = match auth {
            Auth::Header {
                scheme: Some(scheme), ..
            } => format!("{scheme} {}", self.key),
            _ => self.key.clone(),
        };
        let mut value =
            HeaderValue::try_from(text).map_err(|_| Error::Config("the API key cannot be sent".to_owned()))?;
        value.set_sensitive(true);
        Ok(value)
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
