//! URL key forms: the clients generated from `fixtures/models/keys` (no key-as-segment
//! annotation: parentheses by default, segments by setting) and `fixtures/models/operations`
//! (annotated `Capabilities.KeyAsSegmentSupported`: segments by default, parentheses by
//! setting), read from the requests they build. The keyless collections' missing `by_id` is
//! a compile error (`ui/keyless_collections_have_no_by_id.rs`).

/// A transport that is never called: these tests read the requests built, not sent.
macro_rules! unsent {
    ($runtime:path) => {{
        use $runtime as runtime;
        struct Unsent;
        impl runtime::Transport for Unsent {
            fn send(
                &self,
                _: runtime::HttpRequest,
            ) -> runtime::BoxFuture<'_, Result<runtime::HttpResponse, runtime::TransportError>> {
                unreachable!("the tests build requests without sending them")
            }
        }
        Unsent
    }};
}

#[test]
fn keys_are_in_parentheses_when_the_metadata_does_not_say_segments() {
    use codegen_tests::keys_client::{runtime::Guid, runtime::Key, runtime::Literal, Client};
    let client = Client::new("https://svc.test/odata", unsent!(codegen_tests::keys_client::runtime));
    assert_eq!(client.books().by_id(201).path(), "/Books(201)");
    assert_eq!(client.authors().by_id("O'Brien").path(), "/Authors('O''Brien')");
    assert_eq!(client.authors().by_id("a/b?c").path(), "/Authors('a%2Fb%3Fc')");
    let guid = Guid::new("01234567-89ab-cdef-0123-456789abcdef");
    assert_eq!(client.tags().by_id(guid).path(), "/Tags(01234567-89ab-cdef-0123-456789abcdef)");
    let line = Key::composite(&[("orderId", Literal::string("A-1")), ("lineNumber", Literal::raw(2))]);
    assert_eq!(client.order_lines().by_id(line).path(), "/OrderLines(orderId='A-1',lineNumber=2)");
    // Contained members are addressed by key, under their container's key.
    assert_eq!(client.books().by_id(201).chapters().by_id(3i64).path(), "/Books(201)/chapters(3)");
    // Navigation to keyless targets: the collection itself, single-valued, a singleton.
    assert_eq!(client.books().by_id(201).reviews().path(), "/Books(201)/reviews");
    assert_eq!(client.books().by_id(201).current_edition().path(), "/Books(201)/currentEdition");
    assert_eq!(client.settings().path(), "/settings");
    let url = client.authors().by_id("ann").books().by_id(7).get().to_http().url;
    assert_eq!(url, "https://svc.test/odata/Authors('ann')/books(7)");
}

#[test]
fn keys_are_segments_when_the_settings_say_so() {
    use codegen_tests::keys_segment_client::{runtime::Key, runtime::Literal, Client};
    let client = Client::new("https://svc.test/odata", unsent!(codegen_tests::keys_segment_client::runtime));
    assert_eq!(client.books().by_id(201).path(), "/Books/201");
    assert_eq!(client.authors().by_id("O'Brien").path(), "/Authors/O'Brien");
    assert_eq!(client.books().by_id(201).chapters().by_id(3i64).path(), "/Books/201/chapters/3");
    // What would mean something else as a segment, and composite keys, stay in parentheses.
    assert_eq!(client.authors().by_id("..").path(), "/Authors('..')");
    assert_eq!(client.authors().by_id("$count").path(), "/Authors('$count')");
    let line = Key::composite(&[("orderId", Literal::string("A-1")), ("lineNumber", Literal::raw(2))]);
    assert_eq!(client.order_lines().by_id(line).path(), "/OrderLines(orderId='A-1',lineNumber=2)");
}

#[test]
fn keys_are_segments_where_the_container_is_annotated_key_as_segment_supported() {
    use codegen_tests::operations_client::Client;
    let client = Client::new("https://svc.test/api", unsent!(codegen_tests::operations_client::runtime));
    assert_eq!(client.customers().by_id("c1").path(), "/customers/c1");
    assert_eq!(client.customers().by_id("c1").orders().by_id("o1").path(), "/customers/c1/orders/o1");
}

#[test]
fn the_parentheses_setting_overrides_the_annotation() {
    use codegen_tests::operations_parentheses_client::Client;
    let client =
        Client::new("https://svc.test/api", unsent!(codegen_tests::operations_parentheses_client::runtime));
    assert_eq!(client.customers().by_id("c1").path(), "/customers('c1')");
    let url = client.customers().by_id("c1").orders().by_id("o1").get().to_http().url;
    assert_eq!(url, "https://svc.test/api/customers('c1')/orders('o1')");
}

#[test]
fn the_listing_writes_keys_as_the_client_does() {
    let case = codegen_tests::fixtures::root().join("fixtures/models/keys");
    let listing = |style: Option<codegen::KeyStyle>| {
        let (model, mut diags) = codegen_tests::fixtures::builder(&case).generate_model().unwrap();
        let settings = codegen::plan::Settings { key_style: style, ..Default::default() };
        let plan = codegen::plan::build_with(&model, settings, &mut diags);
        codegen::plan::paths::listing(&plan, 4)
            .into_iter()
            .map(|e| format!("{} {}", e.method, e.template))
            .collect::<Vec<_>>()
    };
    let parens = listing(None);
    for line in [
        "GET /Books({Book-id})",
        "GET /Books({Book-id})/chapters({Chapter-id})",
        "GET /Books({Book-id})/reviews",
        "GET /Books({Book-id})/currentEdition",
        "GET /settings",
    ] {
        assert!(parens.contains(&line.to_owned()), "{line} is not in {parens:#?}");
    }
    // A keyless collection has no member to address.
    assert!(!parens.iter().any(|l| l.contains("/reviews(") || l.contains("/reviews/{")), "{parens:#?}");
    let segments = listing(Some(codegen::KeyStyle::Segment));
    assert!(segments.contains(&"GET /Books/{Book-id}/chapters/{Chapter-id}".to_owned()), "{segments:#?}");
}

#[test]
fn selection_patterns_accept_keys_in_parentheses() {
    let case = codegen_tests::fixtures::root().join("fixtures/models/keys");
    let kept = |pattern: &str| {
        let (model, _) =
            codegen_tests::fixtures::builder(&case).include_path(pattern).selected_model().unwrap();
        let mut names: Vec<String> = model.types.iter().map(|t| t.name.clone()).collect();
        names.sort();
        names
    };
    assert_eq!(kept("/Books({id})/chapters/**"), kept("/Books/{id}/chapters/**"));
    assert!(kept("/Books({id})/chapters/**").contains(&"Chapter".to_owned()));
}
