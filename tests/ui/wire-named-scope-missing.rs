// A scope named as the server spells it (`channels:read`), with the
// service's word for its key: the error says what the server says.
use hacktron::scope::KeyKind;
use hacktron::{Client, Error, Hacktron, endpoint};

/// A bot token.
pub struct BotToken;
impl KeyKind for BotToken {
    type Service = Hacktron;
}
/// A user token.
pub struct UserToken;
impl KeyKind for UserToken {
    type Service = Hacktron;
}

hacktron::scopes! {
    credential = "token";
    /// Read channels.
    pub channels_read = "channels:read";
    /// Post messages.
    pub chat_write = "chat:write";
    grants {
        BotToken: chat_write;
        UserToken: channels_read, chat_write;
    }
}

pub trait Channels {
    #[endpoint(GET, "/conversations.list", scope = channels_read)]
    async fn list_channels(&self) -> Result<(), Error>;
}
impl<K: KeyKind<Service = Hacktron>> Channels for Client<K> {}

fn run(client: &Client<BotToken>) {
    let _ = client.list_channels();
}

fn main() {}
