// `Review` has no key (CSDL allows that for the target of a non-containment collection-valued
// navigation property): its collection `reviews` cannot be addressed by key.
use codegen_tests::keys_client::Client;

fn calls(client: &Client) {
    let _ = client.books().by_id(1).reviews().list();
    let _ = client.books().by_id(1).reviews().by_id(2);
}

fn main() {}
