//! What an endpoint may return: the adapter from a call's outcome to the
//! declared return type.

/// What an endpoint can be declared to return: a `Result<T, E>` whose `E`
/// holds the errors of the client's service (`F`) through `From`. Your own
/// `Result<T>` alias with a fixed error type fits too.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an endpoint's return type on a client whose errors are `{F}`",
    label = "the error type here must implement `From<{F}>`",
    note = "declare the endpoint as returning `Result<T, E>` with `E` the service's error type, or an error type that implements `From<{F}>`"
)]
pub trait CallOutput<F>: Sized {
    /// What a success decodes to.
    type Ok;
    /// Builds the return value from the call's outcome.
    fn from_call(result: Result<Self::Ok, F>) -> Self;
}

// Not recommended: a return type whose error cannot hold `F` is reported
// with `CallOutput`'s message, not as a missing `From` impl.
#[diagnostic::do_not_recommend]
impl<T, E: From<F>, F> CallOutput<F> for Result<T, E> {
    type Ok = T;
    fn from_call(result: Result<T, F>) -> Self {
        result.map_err(E::from)
    }
}
