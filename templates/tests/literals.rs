//! URL building: percent-encoding, key predicates, literals, function arguments, action
//! bodies and query options, as they end up in the request the transport receives.

mod support;

use codegen_runtime::*;
use serde_json::json;
use support::{FakeTransport, Handles, Thing, ThingField, BASE};

fn things(transport: &FakeTransport) -> CollectionRequest<Thing> {
    transport.client().collection::<Thing>("/things")
}

fn url<O, D>(request: &Request<O, D>) -> String {
    request.to_http().url
}

/// The URL after `BASE`.
fn tail<O, D>(request: &Request<O, D>) -> String {
    let url = url(request);
    url.strip_prefix(BASE).unwrap_or_else(|| panic!("{url} is not under {BASE}")).to_owned()
}

// ---------------------------------------------------------------------------------------
// Percent-encoding
// ---------------------------------------------------------------------------------------

#[test]
fn path_segments_keep_unreserved_and_sub_delimiters() {
    let kept = "AZaz09-._~$'(),:@!*=+&;";
    assert_eq!(encode_path_segment(kept), kept);
}

#[test]
fn path_segments_encode_separators_and_the_rest() {
    assert_eq!(encode_path_segment("a/b"), "a%2Fb");
    assert_eq!(encode_path_segment("a?b"), "a%3Fb");
    assert_eq!(encode_path_segment("a#b"), "a%23b");
    assert_eq!(encode_path_segment("100%"), "100%25");
    assert_eq!(encode_path_segment("a b"), "a%20b");
    assert_eq!(encode_path_segment(r#"a"b\c"#), "a%22b%5Cc");
    assert_eq!(encode_path_segment("[x]{y}|^`<>"), "%5Bx%5D%7By%7D%7C%5E%60%3C%3E");
    assert_eq!(encode_path_segment("tab\tnl\n"), "tab%09nl%0A");
    // Dots are unreserved: a `..` segment is the key layer's business (see `Key`).
    assert_eq!(encode_path_segment(".."), "..");
}

#[test]
fn path_segments_encode_non_ascii_as_utf8_bytes() {
    assert_eq!(encode_path_segment("é"), "%C3%A9");
    assert_eq!(encode_path_segment("漢"), "%E6%BC%A2");
    assert_eq!(encode_path_segment("\u{1F600}"), "%F0%9F%98%80");
}

#[test]
fn query_values_keep_odata_expression_characters() {
    let kept = "AZaz09-._~$(),:@/!*";
    assert_eq!(encode_query_value(kept), kept);
    assert_eq!(encode_query_value("https://x.test/a/b"), "https://x.test/a/b");
}

#[test]
fn query_values_encode_quotes_and_query_delimiters() {
    assert_eq!(encode_query_value("'a'"), "%27a%27");
    assert_eq!(encode_query_value("a&b=c"), "a%26b%3Dc");
    assert_eq!(encode_query_value("a+b c"), "a%2Bb%20c");
    assert_eq!(encode_query_value("a?b#c"), "a%3Fb%23c");
    assert_eq!(encode_query_value("a;b"), "a%3Bb");
    assert_eq!(encode_query_value("50%"), "50%25");
    assert_eq!(encode_query_value(r#""x""#), "%22x%22");
    assert_eq!(encode_query_value("../.."), "../..");
    assert_eq!(encode_query_value("ü"), "%C3%BC");
}

// ---------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------

#[test]
fn string_keys_are_path_segments() {
    let transport = FakeTransport::new();
    let things = things(&transport);
    assert_eq!(things.by_id("abc").path(), "/things/abc");
    assert_eq!(things.by_id(String::from("abc")).path(), "/things/abc");
    let owned = String::from("abc");
    assert_eq!(things.by_id(&owned).path(), "/things/abc");
    assert_eq!(things.by_id(owned).path(), "/things/abc");
    // In a segment a quote needs no doubling.
    assert_eq!(things.by_id("O'Brien").path(), "/things/O'Brien");
    assert_eq!(things.by_id("a/b?c#d e").path(), "/things/a%2Fb%3Fc%23d%20e");
    assert_eq!(things.by_id("Zoë").path(), "/things/Zo%C3%AB");
    assert_eq!(things.by_id("...").path(), "/things/...");
}

#[test]
fn string_keys_that_would_mean_something_else_are_quoted_in_parentheses() {
    let transport = FakeTransport::new();
    let things = things(&transport);
    assert_eq!(things.by_id("").path(), "/things('')");
    assert_eq!(things.by_id(".").path(), "/things('.')");
    assert_eq!(things.by_id("..").path(), "/things('..')");
    assert_eq!(things.by_id("$ref").path(), "/things('$ref')");
    // Quotes doubled inside the literal, then the literal encoded as a segment.
    assert_eq!(things.by_id("$it's").path(), "/things('$it''s')");
    assert_eq!(things.by_id("$a/b").path(), "/things('$a%2Fb')");
}

#[test]
fn integer_and_guid_keys_are_written_as_they_display() {
    let transport = FakeTransport::new();
    let things = things(&transport);
    assert_eq!(things.by_id(42i32).path(), "/things/42");
    assert_eq!(things.by_id(-7i64).path(), "/things/-7");
    assert_eq!(things.by_id(255u8).path(), "/things/255");
    assert_eq!(things.by_id(i16::MIN).path(), "/things/-32768");
    let guid = Guid::new("01234567-89ab-cdef-0123-456789abcdef");
    assert_eq!(things.by_id(guid).path(), "/things/01234567-89ab-cdef-0123-456789abcdef");
}

#[test]
fn composite_keys_are_written_in_parentheses() {
    let transport = FakeTransport::new();
    let lines = transport.client().collection::<Thing>("/lines");
    let key = Key::composite(&[("orderId", Literal::raw(1)), ("lineNumber", Literal::raw(2))]);
    assert_eq!(lines.by_id(key).path(), "/lines(orderId=1,lineNumber=2)");
    let key = Key::composite(&[
        ("name", Literal::string("it's a/b")),
        ("day", Literal::raw(Date::new("2024-02-29"))),
        ("id", Literal::raw(Guid::new("0000-ff"))),
    ]);
    assert_eq!(lines.by_id(key).path(), "/lines(name='it''s%20a%2Fb',day=2024-02-29,id=0000-ff)");
}

/// An entity type of a service that writes keys in parentheses (OData's default).
struct Book;

impl Keyed for Book {
    const KEY_STYLE: KeyStyle = KeyStyle::Parentheses;
}

#[test]
fn v2_dates_give_their_milliseconds_and_odd_text_gives_none() {
    assert_eq!(DateTime::new("/Date(1704067200000)/").millis(), Some(1_704_067_200_000));
    assert_eq!(DateTime::new("/Date(-86400000)/").millis(), Some(-86_400_000));
    assert_eq!(DateTimeOffset::new("/Date(1704067200000+0060)/").v2_millis(), Some(1_704_067_200_000));
    for odd in ["/Date()/", "/Date(é)/", "/Date(+)/", "2024-01-01T00:00:00", ""] {
        assert_eq!(DateTime::new(odd).millis(), None, "{odd}");
    }
}

#[test]
fn keys_in_parentheses_quote_strings_and_write_numbers_and_guids_bare() {
    let transport = FakeTransport::new();
    let books = transport.client().collection::<Book>("/Books");
    assert_eq!(books.by_id(201i32).path(), "/Books(201)");
    assert_eq!(books.by_id(-7i64).path(), "/Books(-7)");
    assert_eq!(books.by_id("abc").path(), "/Books('abc')");
    assert_eq!(books.by_id("O'Brien").path(), "/Books('O''Brien')");
    // Encoded as one segment: no value can add a segment, climb, or start a query.
    assert_eq!(books.by_id("a/b?c#d e").path(), "/Books('a%2Fb%3Fc%23d%20e')");
    assert_eq!(books.by_id("..").path(), "/Books('..')");
    assert_eq!(books.by_id("").path(), "/Books('')");
    let guid = Guid::new("01234567-89ab-cdef-0123-456789abcdef");
    assert_eq!(books.by_id(guid).path(), "/Books(01234567-89ab-cdef-0123-456789abcdef)");
    // Text that is not a GUID cannot end the predicate: it is quoted.
    assert_eq!(books.by_id(Guid::new("1),X=(2")).path(), "/Books('1),X=(2')");
    let key = Key::composite(&[("orderId", Literal::raw(1)), ("lineNumber", Literal::raw(2))]);
    assert_eq!(books.by_id(key).path(), "/Books(orderId=1,lineNumber=2)");
}

#[test]
fn keyed_entity_requests_use_the_key_in_their_url() {
    let transport = FakeTransport::new();
    let entity = things(&transport).by_id("a b");
    assert_eq!(url(&entity.get()), format!("{BASE}/things/a%20b"));
    assert_eq!(tail(&entity.delete()), "/things/a%20b");
    assert_eq!(tail(&entity.get_value()), "/things/a%20b/$value");
    assert_eq!(tail(&entity.get_ref()), "/things/a%20b/$ref");
    assert_eq!(entity.delete().to_http().method, Method::Delete);
    assert_eq!(entity.update(&Thing::default()).to_http().method, Method::Patch);
    assert_eq!(entity.replace(&Thing::default()).to_http().method, Method::Put);
}

// ---------------------------------------------------------------------------------------
// Literals and function arguments
// ---------------------------------------------------------------------------------------

#[test]
fn string_literals_are_quoted_with_quotes_doubled() {
    assert_eq!(Literal::string("abc"), Literal::raw("'abc'"));
    assert_eq!(Literal::string("it's"), Literal::raw("'it''s'"));
    assert_eq!(Literal::string("''"), Literal::raw("''''''"));
    assert_eq!(Literal::string(""), Literal::raw("''"));
    assert_eq!(Literal::duration("P1D"), Literal::raw("duration'P1D'"));
    assert_eq!(Literal::raw(true), Literal::raw("true"));
    assert_eq!(Literal::raw(-1.5), Literal::raw("-1.5"));
}

#[test]
fn function_literals_are_inlined_and_encoded_in_the_path() {
    let transport = FakeTransport::new();
    let args = FunctionArgs::new()
        .literal("q", Literal::string("it's a/b?c#d é"))
        .literal("n", Literal::raw(5))
        .literal("since", Literal::duration("PT1H"));
    let request = things(&transport).__function::<Page<Thing>, Json>("search", args);
    assert_eq!(tail(&request), "/things/search(q='it''s%20a%2Fb%3Fc%23d%20%C3%A9',n=5,since=duration'PT1H')");
    assert_eq!(request.to_http().method, Method::Get);
}

#[test]
fn function_json_values_are_passed_as_aliases_in_the_query() {
    let transport = FakeTransport::new();
    let args = FunctionArgs::new()
        .literal("top", Literal::raw(3))
        .json("filter", &json!({"k": ["x y", 1], "q": "a&b'"}))
        .json("ids", &["a", "b"]);
    let request = things(&transport).by_id("t1").__function::<Page<Thing>, Json>("related", args);
    assert_eq!(
        tail(&request),
        concat!(
            "/things/t1/related(top=3,filter=@filter,ids=@ids)",
            "?@filter=%7B%22k%22:%5B%22x%20y%22,1%5D,%22q%22:%22a%26b%27%22%7D",
            "&@ids=%5B%22a%22,%22b%22%5D"
        )
    );
}

#[tokio::test]
async fn function_call_url_is_what_the_transport_receives() {
    let transport = FakeTransport::new();
    transport.push(support::json(200, json!({"value": 12})));
    let args =
        FunctionArgs::new().literal("name", Literal::string("O'Neil")).json("opts", &json!({"deep": true}));
    let count: i64 = transport.client().__function::<i64, ValueOf>("countOf", args).await.unwrap();
    assert_eq!(count, 12);
    assert_eq!(
        transport.urls(),
        [format!("{BASE}/countOf(name='O''Neil',opts=@opts)?@opts=%7B%22deep%22:true%7D")]
    );
}

#[test]
fn functions_without_parameters_have_empty_parentheses() {
    let transport = FakeTransport::new();
    let request = things(&transport).__function::<Page<Thing>, Json>("recent", FunctionArgs::new());
    assert_eq!(tail(&request), "/things/recent()");
    let request = transport.client().__function::<i64, ValueOf>("ping", FunctionArgs::new());
    assert_eq!(tail(&request), "/ping()");
}

#[test]
fn composable_functions_lead_to_further_segments() {
    let transport = FakeTransport::new();
    let entity = things(&transport).by_id("t1");
    let composed = entity.__compose_collection::<Thing, true, false, false, false>(
        "children",
        FunctionArgs::new().literal("depth", Literal::raw(2)),
    );
    assert_eq!(composed.path(), "/things/t1/children(depth=2)");
    assert_eq!(composed.by_id(7i32).path(), "/things/t1/children(depth=2)/7");
}

#[tokio::test]
async fn a_function_argument_that_fails_to_serialize_is_reported_without_sending() {
    let transport = FakeTransport::new();
    let bad: std::collections::BTreeMap<(i32, i32), i32> = [((1, 2), 3)].into_iter().collect();
    let args = FunctionArgs::new().json("bad", &Serde(&bad));
    let result = transport.client().__function::<i64, ValueOf>("f", args).await;
    assert!(matches!(result, Err(Error::Encode(_))), "{result:?}");
    assert!(transport.requests().is_empty());
}

// ---------------------------------------------------------------------------------------
// Action bodies
// ---------------------------------------------------------------------------------------

#[test]
fn action_parameters_are_a_json_body() {
    let transport = FakeTransport::new();
    let body = ActionBody::new()
        .param("count", &2)
        .param("names", &["a", "b"])
        .optional("skipped", &None::<bool>)
        .optional("kept", &Some("yes"));
    let request = things(&transport).by_id("t1").__action::<(), Empty>("reset", body).to_http();
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.url, format!("{BASE}/things/t1/reset"));
    assert_eq!(support::header(&request, "content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(request.body.as_deref().unwrap()).unwrap();
    assert_eq!(body, json!({"count": 2, "names": ["a", "b"], "kept": "yes"}));
}

#[test]
fn an_action_without_parameters_has_no_body() {
    let transport = FakeTransport::new();
    let request = transport.client().__action::<(), Empty>("restart", ActionBody::new()).to_http();
    assert_eq!(request.url, format!("{BASE}/restart"));
    assert_eq!(request.body, None);
    assert_eq!(support::header(&request, "content-type"), None);
}

// ---------------------------------------------------------------------------------------
// Query options
// ---------------------------------------------------------------------------------------

#[test]
fn query_options_are_appended_in_order_and_encoded() {
    let transport = FakeTransport::new();
    let request = things(&transport)
        .list()
        .filter("name eq 'a&b' and size gt 2")
        .search("\"x y\"")
        .top(5)
        .skip(10)
        .count(true)
        .orderby_names(&["name desc", "id"]);
    assert_eq!(
        tail(&request),
        concat!(
            "/things?$filter=name%20eq%20%27a%26b%27%20and%20size%20gt%202",
            "&$search=%22x%20y%22&$top=5&$skip=10&$count=true&$orderby=name%20desc,id"
        )
    );
}

#[test]
fn typed_select_expand_and_orderby_use_wire_names() {
    let transport = FakeTransport::new();
    let request = things(&transport)
        .list()
        .select([ThingField::Id, ThingField::Name, ThingField::Created])
        .expand([ThingField::Dimensions])
        .orderby([ThingField::Size]);
    assert_eq!(tail(&request), "/things?$select=id,name,created&$expand=dimensions&$orderby=size");
    let request = things(&transport).by_id("x").get().select([ThingField::Tags]);
    assert_eq!(tail(&request), "/things/x?$select=tags");
}

#[test]
fn setting_a_query_option_again_replaces_it() {
    let transport = FakeTransport::new();
    let request = things(&transport).list().top(1).filter("a").top(2).query("custom", "v w");
    assert_eq!(tail(&request), "/things?$top=2&$filter=a&custom=v%20w");
}

#[test]
fn query_options_after_an_existing_query_use_ampersands() {
    let transport = FakeTransport::new();
    let request =
        Request::<serde_json::Value, Json>::new(transport.client(), Method::Get, "/things?$format=json")
            .top(3);
    assert_eq!(tail(&request), "/things?$format=json&$top=3");
}

#[test]
fn absolute_urls_are_used_as_they_are() {
    let transport = FakeTransport::new();
    for absolute in ["https://other.test/x?y=1", "HTTP://Other.test/x", "http://a"] {
        let request = Request::<serde_json::Value, Json>::new(transport.client(), Method::Get, absolute);
        assert_eq!(url(&request), absolute);
    }
}

#[test]
fn the_base_url_loses_its_trailing_slashes() {
    let client = Client::new("https://example.test/svc//", FakeTransport::new());
    assert_eq!(client.base_url(), "https://example.test/svc");
    assert_eq!(client.entity::<Thing>("/me").get().to_http().url, "https://example.test/svc/me");
}

#[test]
fn reference_requests_address_dollar_ref() {
    let transport = FakeTransport::new();
    let things = things(&transport);
    let remove = things.remove_ref("https://example.test/svc/things/1").to_http();
    assert_eq!(remove.method, Method::Delete);
    assert_eq!(remove.url, format!("{BASE}/things/$ref?$id=https://example.test/svc/things/1"));
    let add = things.add_ref("https://example.test/svc/things/2").to_http();
    assert_eq!(add.method, Method::Post);
    assert_eq!(add.body.as_deref(), Some(br#"{"@odata.id":"https://example.test/svc/things/2"}"#.as_slice()));
    assert_eq!(tail(&things.count()), "/things/$count");
    assert_eq!(tail(&things.list_refs()), "/things/$ref");
}

#[test]
fn cookies_join_one_header_and_their_values_cannot_end_or_add_a_cookie() {
    let transport = FakeTransport::new();
    let request = things(&transport).list().cookie("session", "a b;c=d,\"e\"\\%").cookie("theme", "dark");
    let sent = request.to_http();
    let cookies: Vec<&str> = sent
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(cookies, ["session=a%20b%3Bc=d%2C%22e%22%5C%25; theme=dark"]);
    assert_eq!(encode_cookie_value("tok-1.2_~!"), "tok-1.2_~!");
}

// ---------------------------------------------------------------------------------------
// Object parameters (OpenAPI styles)
// ---------------------------------------------------------------------------------------

#[test]
fn object_query_pairs_explode_members_or_nest_them_deep() {
    // Members in key order, so that the order is the same with serde_json's `preserve_order`.
    let value = json!({"a b": "x&y", "list": [1, 2], "n": 1, "o": {"k": true}, "skip": null});
    let pairs = |deep| -> Vec<(String, String)> { object_query_pairs("f", &value, deep) };
    let own = |p: &[(&str, &str)]| -> Vec<(String, String)> {
        p.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
    };
    // Member names encoded here (values are encoded when the URL is written).
    assert_eq!(
        pairs(false),
        own(&[("a%20b", "x&y"), ("list", "1"), ("list", "2"), ("n", "1"), ("o", r#"{"k":true}"#)])
    );
    assert_eq!(
        pairs(true),
        own(&[
            ("f%5Ba%20b%5D", "x&y"),
            ("f%5Blist%5D", "1"),
            ("f%5Blist%5D", "2"),
            ("f%5Bn%5D", "1"),
            ("f%5Bo%5D%5Bk%5D", "true"),
        ])
    );
    assert_eq!(object_query_pairs("f", &json!("plain"), true), own(&[("f", "plain")]));
}

#[test]
fn object_text_joins_members_simple_style() {
    let value = json!({"B": null, "G": "two", "R": 100});
    assert_eq!(object_text(&value, false), "G,two,R,100");
    assert_eq!(object_text(&value, true), "G=two,R=100");
    assert_eq!(object_text(&json!("s"), false), "s");
    assert_eq!(object_text(&json!(5), true), "5");
}

#[test]
fn an_object_query_parameter_cannot_add_parameters_or_end_the_query() {
    let transport = FakeTransport::new();
    let request: Request<(), Empty> =
        Request::new(transport.client(), Method::Get, "/s").object_query("f", &json!({"a=1&b": "2#3"}), true);
    assert_eq!(tail(&request), "/s?f%5Ba%3D1%26b%5D=2%233");
}
