// Mistakes in `scopes!`, all reported in one build, each on its token.
use hacktron::scope::KeyKind;

pub struct Token;
impl KeyKind for Token {
    type Service = hacktron::Hacktron;
}

hacktron::scopes! {
    credential = "token";
    credential = "key";
    /// Read.
    pub read = "read";
    /// Read, again.
    pub read = "read:all";
    /// Nothing.
    pub empty = "";
    /// Not a form.
    pub odd = maybe "x";
    /// Public.
    pub open = public;
    /// Any of.
    pub either = read | missing | open;
    grants {
        Token: read, nope, open, either;
        Token: read;
    }
}

fn main() {}
