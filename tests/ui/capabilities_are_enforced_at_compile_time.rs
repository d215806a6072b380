// The metadata says `widgets` is not insertable and its entities are not deletable
// (Capabilities.InsertRestrictions / DeleteRestrictions): `create` and `delete` do not exist.
use codegen_tests::annotations_client::annotations::Widget;
use codegen_tests::annotations_client::Client;

fn calls(client: &Client) {
    let _ = client.widgets().list();
    let _ = client.widgets().by_id("w1").update(&Widget::default());
    let _ = client.widgets().create(&Widget::default());
    let _ = client.widgets().by_id("w1").delete();
}

fn main() {}
