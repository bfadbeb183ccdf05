// The constructors a first-time user writes for a read-only key.
use hacktron::prelude::*;

fn main() -> Result<(), Error> {
    let key = "hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4";
    let reader: Client<ReadOnly> = Client::<ReadOnly>::new(key)?;
    let built = Client::<ReadOnly>::builder(key).base_url("http://127.0.0.1:1/v1").build()?;
    let writer = Client::new(key)?; // no annotation: ReadWrite
    let narrowed: Client<ReadOnly> = writer.read_only();
    assert_eq!(reader.key_prefix(), narrowed.key_prefix());
    assert_eq!(built.base_url(), "http://127.0.0.1:1/v1");
    // SAFETY of the test: no other thread reads the environment.
    unsafe { std::env::remove_var("HACKTRON_API_KEY") };
    assert!(matches!(
        Client::<ReadOnly>::from_env(),
        Err(Error::Call(hacktron::CallError::MissingEnv { .. }))
    ));
    Ok(())
}
