//! The NestJS-style error body and the class-validator-style checks that produce it.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::util::{is_uuid, parse_iso8601};

/// An error response: `{"statusCode":N,"message":...,"error":...}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: Message,
    /// Whether to include the `error` field (the throttler and the 500 body omit it).
    with_error: bool,
    retry_after: Option<u64>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Message {
    One(String),
    Many(Vec<String>),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body_<'a> {
    status_code: u16,
    message: &'a Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

impl ApiError {
    pub(crate) fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            message: Message::One(message.into()),
            with_error: true,
            retry_after: None,
        }
    }
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }
    /// A 400 whose `message` is the array of field-level validation errors.
    pub(crate) fn validation(messages: Vec<String>) -> Self {
        ApiError {
            message: Message::Many(messages),
            ..Self::new(400, "")
        }
    }
    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, message)
    }
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, message)
    }
    /// The throttler's 429, with `Retry-After` in seconds.
    pub(crate) fn too_many_requests(retry_after: u64) -> Self {
        ApiError {
            with_error: false,
            retry_after: Some(retry_after),
            ..Self::new(429, "ThrottlerException: Too Many Requests")
        }
    }
    /// A body without the `error` field, e.g. `{"statusCode":500,"message":"Internal server error"}`.
    pub(crate) fn bare(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            with_error: false,
            ..Self::new(status, message)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body_ {
            status_code: self.status.as_u16(),
            message: &self.message,
            error: self
                .with_error
                .then(|| self.status.canonical_reason().unwrap_or("Error")),
        };
        let mut response = json_response(self.status, &body);
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// A JSON response with Express's `application/json; charset=utf-8` content type.
pub(crate) fn json_response<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    let body = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    raw_response(status, "application/json; charset=utf-8", body)
}

pub(crate) fn raw_response(status: StatusCode, content_type: &str, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

pub(crate) type ApiResult = Result<Response, ApiError>;

/// Parses a JSON request body; an empty or non-object body validates as `{}`.
pub(crate) fn parse_body(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Ok(Map::new()),
        Err(e) => {
            let position: usize = bytes
                .split(|&b| b == b'\n')
                .take(e.line().saturating_sub(1))
                .map(|line| line.len() + 1)
                .sum::<usize>()
                + e.column().saturating_sub(1);
            Err(ApiError::bad_request(format!(
                "Unexpected token in JSON at position {position}"
            )))
        }
    }
}

/// Collects class-validator messages for one object (`prefix` is e.g. `repos.0.`).
pub(crate) struct Check<'a> {
    obj: &'a Map<String, Value>,
    prefix: String,
    pub(crate) errors: Vec<String>,
}

impl<'a> Check<'a> {
    pub(crate) fn new(obj: &'a Map<String, Value>) -> Self {
        Check {
            obj,
            prefix: String::new(),
            errors: Vec::new(),
        }
    }

    fn fail(&mut self, field: &str, rule: &str) {
        self.errors.push(format!("{}{field} {rule}", self.prefix));
    }

    /// The value, treating JSON `null` like an absent field.
    pub(crate) fn get(&self, field: &str) -> Option<&'a Value> {
        self.obj.get(field).filter(|v| !v.is_null())
    }

    /// `@IsString() @IsNotEmpty()` (required) or `@IsOptional() @IsString()`, with `@MaxLength`.
    pub(crate) fn string(&mut self, field: &str, required: bool, max: Option<usize>) -> Option<&'a str> {
        match self.get(field) {
            None if required => {
                self.fail(field, "should not be empty");
                self.fail(field, "must be a string");
                None
            }
            None => None,
            Some(Value::String(s)) if s.is_empty() && required => {
                self.fail(field, "should not be empty");
                None
            }
            Some(Value::String(s)) => match max {
                Some(max) if s.chars().count() > max => {
                    self.fail(field, &format!("must be shorter than or equal to {max} characters"));
                    None
                }
                _ => Some(s),
            },
            Some(_) => {
                self.fail(field, "must be a string");
                None
            }
        }
    }

    /// `@IsIn([...])` / `@IsEnum(...)`.
    pub(crate) fn one_of(
        &mut self,
        field: &str,
        required: bool,
        allowed: &'static [&'static str],
    ) -> Option<&'static str> {
        let value = self.get(field);
        let found = value
            .and_then(Value::as_str)
            .and_then(|s| allowed.iter().find(|a| **a == s));
        match (value, found) {
            (None, _) if !required => None,
            (_, Some(found)) => Some(found),
            _ => {
                self.fail(field, &one_of_message(allowed));
                None
            }
        }
    }

    /// `@IsUUID()`, optional unless `required`.
    pub(crate) fn uuid(&mut self, field: &str, required: bool) -> Option<&'a str> {
        match self.get(field) {
            None if !required => None,
            Some(Value::String(s)) if is_uuid(s) => Some(s),
            Some(Value::String(s)) if s.is_empty() => {
                self.fail(field, "should not be empty");
                self.fail(field, "must be a UUID");
                None
            }
            None => {
                self.fail(field, "should not be empty");
                self.fail(field, "must be a UUID");
                None
            }
            _ => {
                self.fail(field, "must be a UUID");
                None
            }
        }
    }

    /// `@IsNumber()` on an optional field.
    pub(crate) fn number(&mut self, field: &str) -> Option<f64> {
        match self.get(field) {
            None => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(_) => {
                self.fail(field, "must be a number conforming to the specified constraints");
                None
            }
        }
    }

    /// `@IsArray()` with optional `@ArrayMinSize`/`@ArrayMaxSize`.
    pub(crate) fn array(
        &mut self,
        field: &str,
        required: bool,
        min: Option<usize>,
        max: Option<usize>,
    ) -> Option<&'a Vec<Value>> {
        match self.get(field) {
            None if !required => None,
            Some(Value::Array(items)) => {
                let mut ok = true;
                if let Some(min) = min.filter(|&m| items.len() < m) {
                    self.fail(field, &format!("must contain at least {min} elements"));
                    ok = false;
                }
                if let Some(max) = max.filter(|&m| items.len() > m) {
                    self.fail(field, &format!("must contain no more than {max} elements"));
                    ok = false;
                }
                ok.then_some(items)
            }
            _ => {
                if let Some(min) = min {
                    self.fail(field, &format!("must contain at least {min} elements"));
                }
                self.fail(field, "must be an array");
                None
            }
        }
    }

    /// An optional array whose every element must pass `ok` (`each value in <field> <rule>`).
    pub(crate) fn each(&mut self, field: &str, rule: &str, ok: impl Fn(&Value) -> bool) -> Option<Vec<String>> {
        let items = self.array(field, false, None, None)?;
        if items.iter().all(&ok) {
            Some(items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        } else {
            self.errors.push(format!("each value in {}{field} {rule}", self.prefix));
            None
        }
    }

    /// `@ValidateNested({ each: true })`: the elements that are objects, with their indexes.
    pub(crate) fn objects(&mut self, field: &str, items: &'a [Value]) -> Vec<(usize, &'a Map<String, Value>)> {
        let objects: Vec<_> = items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((i, v.as_object()?)))
            .collect();
        if objects.len() != items.len() {
            self.errors.push(format!(
                "nested property {}{field} must be either object or array",
                self.prefix
            ));
        }
        objects
    }

    /// A checker for the nested object at `prefix` (e.g. `repos.0.`); hand it back with [`Check::absorb`].
    pub(crate) fn child<'b>(&self, obj: &'b Map<String, Value>, prefix: String) -> Check<'b> {
        Check {
            obj,
            prefix,
            errors: Vec::new(),
        }
    }

    /// Takes over a nested checker's messages.
    pub(crate) fn absorb(&mut self, child: Check<'_>) {
        self.errors.extend(child.errors);
    }

    /// `Ok` when no check failed, else the 400 with every message.
    pub(crate) fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.errors))
        }
    }
}

pub(crate) fn one_of_message(allowed: &[&str]) -> String {
    format!("must be one of the following values: {}", allowed.join(", "))
}

/// An integral query value.
#[derive(Debug, PartialEq)]
enum Integral {
    /// Below zero.
    Negative,
    /// Zero or more, saturated at `u64::MAX`.
    NonNegative(u64),
}

/// Parses a query value the way `Number(raw)` does, keeping it only if it is
/// a finite integer; plain digit strings stay exact beyond 2^53.
fn parse_integral(raw: &str) -> Option<Integral> {
    let raw = raw.trim();
    if let Ok(n) = raw.parse::<u64>() {
        return Some(Integral::NonNegative(n));
    }
    // Rust also reads `inf`, `infinity` and `nan`; none is an integer for JS either.
    let n = raw.parse::<f64>().ok().filter(|n| n.is_finite() && n.fract() == 0.0)?;
    // `-0` is not below zero, as in JS.
    Some(if n < 0.0 {
        Integral::Negative
    } else {
        // `as` saturates: anything at or above 2^64 becomes `u64::MAX`.
        Integral::NonNegative(n as u64)
    })
}

/// Validated query parameters, looked up by name (the first occurrence wins).
pub(crate) struct QueryCheck<'a> {
    params: &'a [(String, String)],
    pub(crate) errors: Vec<String>,
}

impl<'a> QueryCheck<'a> {
    pub(crate) fn new(params: &'a [(String, String)]) -> Self {
        QueryCheck {
            params,
            errors: Vec::new(),
        }
    }

    pub(crate) fn raw(&self, name: &str) -> Option<&'a str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// An integer parameter in `min..=max`, or `default` when absent.
    ///
    /// Like the API's `@Type(() => Number) @IsInt()`, any number spelling
    /// with an integral value passes (`15`, `15.0`, `1e1`, `+3`); values above
    /// `u64::MAX` saturate to it, which only ever means "past the end".
    pub(crate) fn int(&mut self, name: &str, default: u64, min: u64, max: Option<u64>) -> u64 {
        let Some(raw) = self.raw(name) else {
            return default;
        };
        let error = match parse_integral(raw) {
            None => format!("{name} must be an integer number"),
            Some(Integral::Negative) => format!("{name} must not be less than {min}"),
            Some(Integral::NonNegative(n)) if n < min => format!("{name} must not be less than {min}"),
            Some(Integral::NonNegative(n)) => match max {
                Some(max) if n > max => format!("{name} must not be greater than {max}"),
                _ => return n,
            },
        };
        self.errors.push(error);
        default
    }

    pub(crate) fn one_of(&mut self, name: &str, allowed: &'static [&'static str]) -> Option<&'static str> {
        let raw = self.raw(name)?;
        let found = allowed.iter().find(|a| **a == raw).copied();
        if found.is_none() {
            self.errors.push(format!("{name} {}", one_of_message(allowed)));
        }
        found
    }

    pub(crate) fn iso_date(&mut self, name: &str) -> Option<i64> {
        let raw = self.raw(name)?;
        let parsed = parse_iso8601(raw);
        if parsed.is_none() {
            self.errors.push(format!("{name} must be a valid ISO 8601 date string"));
        }
        parsed
    }

    pub(crate) fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(raw: &str, min: u64, max: Option<u64>) -> Result<u64, Vec<String>> {
        let params = [("n".to_string(), raw.to_string())];
        let mut query = QueryCheck::new(&params);
        let n = query.int("n", 7, min, max);
        if query.errors.is_empty() {
            Ok(n)
        } else {
            Err(query.errors)
        }
    }

    #[test]
    fn integers_may_be_spelled_as_any_integral_number() {
        for (raw, n) in [
            ("15", 15),
            ("15.0", 15),
            ("1e1", 10),
            ("+3", 3),
            (" 4 ", 4),
            ("-0", 0),
            ("-0.0", 0),
        ] {
            assert_eq!(int(raw, 0, None), Ok(n), "{raw}");
        }
        assert_eq!(int("18446744073709551615", 1, None), Ok(u64::MAX));
        assert_eq!(int("1229782938247303443", 1, None), Ok(1_229_782_938_247_303_443));
        assert_eq!(int("1e30", 1, None), Ok(u64::MAX));
        let err = |m: &str| Err(vec![m.to_string()]);
        for raw in ["1.5", "abc", "", "NaN", "inf", "-Infinity", "1e400", "0x10", "1_0"] {
            assert_eq!(int(raw, 1, None), err("n must be an integer number"), "{raw}");
        }
        for raw in ["0", "-0", "-1", "-1.0", "-1e30"] {
            assert_eq!(int(raw, 1, None), err("n must not be less than 1"), "{raw}");
        }
        assert_eq!(int("-1", 0, None), err("n must not be less than 0"));
        for raw in ["101", "1e3", "18446744073709551616"] {
            assert_eq!(int(raw, 1, Some(100)), err("n must not be greater than 100"), "{raw}");
        }
    }
}
