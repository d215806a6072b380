//! Drives the clients generated from the CAP bookshop's `$metadata` (V4 XML, V4 JSON, V2)
//! against the running server: `driver <v4xml|v4json|v2> <server URL>`. Prints each check;
//! exits non-zero at the first that fails. Built and run by `tests/tests/cap_server.rs`.

mod v2;
mod v4json;
mod v4xml;

use std::time::Duration;

type Outcome = Result<(), String>;

macro_rules! check {
    ($cond:expr, $($what:tt)*) => {
        if $cond {
            println!("ok: {}", format!($($what)*));
        } else {
            return Err(format!("failed: {} ({})", format!($($what)*), stringify!($cond)));
        }
    };
}

/// A request's result, or the failure naming what was asked.
macro_rules! sent {
    ($what:expr, $request:expr) => {
        $request.await.map_err(|e| format!("{}: {e}", $what))?
    };
}

/// What every client does, whatever its OData version: `$m` is the generated module,
/// `$root` the service's path on the server, `$label` what the messages say.
macro_rules! common_scenario {
    ($m:ident, $base:expr, $root:expr, $label:expr) => {{
        use $m::catalog_service::{Books, BooksField, Reviews};
        use $m::runtime::{Decimal, Error, ReqwestTransport};
        let label = $label;
        let client = $m::Client::new(format!("{}{}", $base, $root), ReqwestTransport::new());

        // $filter, $select, $orderby, $top, $count (V2: $inlinecount).
        let page = sent!(
            "list",
            client
                .books()
                .list()
                .filter("stock gt 20")
                .select([BooksField::Id, BooksField::Title])
                .orderby([BooksField::Title])
                .top(2)
                .count(true)
        );
        let titles: Vec<_> = page.value.iter().filter_map(|b| b.title.clone()).collect();
        check!(titles == ["Catweazle", "Eleonora"], "{label} filtered, ordered, top 2: {titles:?}");
        check!(page.count == Some(3), "{label} count of the filtered books: {:?}", page.count);
        check!(page.value.iter().all(|b| b.stock.is_none()), "{label} only the selected fields");

        // Server-driven paging (3 per page) followed to the end.
        let all = sent!("all", client.books().list().all());
        check!(all.len() == 5, "{label} every page followed: {} books", all.len());

        // Get by key, $expand.
        let book = sent!("get", client.books().by_id(201).get().expand([BooksField::Author]));
        check!(book.title.as_deref() == Some("Wuthering Heights"), "{label} Books(201): {:?}", book.title);
        let author = book.author.as_ref().and_then(|a| a.name.clone());
        check!(author.as_deref() == Some("Emily Brontë"), "{label} expanded author: {author:?}");
        check!(book.price.as_ref().map(|p| p.to_string()).as_deref() == Some("11.11"), "{label} the decimal price");
        check!($m::runtime::etag(&book).is_some(), "{label} the ETag kept: {:?}", $m::runtime::etag(&book));

        // Create, and a deep insert.
        let new = Books {
            id: Some(301),
            title: Some("Villette".into()),
            stock: Some(5),
            price: Some(Decimal::new("9.99")),
            author_id: Some(107),
            ..Books::default()
        };
        let created = sent!("create", client.books().create(&new));
        check!(created.id == Some(301) && created.stock == Some(5), "{label} created Books(301)");
        let deep = Books {
            id: Some(302),
            title: Some("Shirley".into()),
            author_id: Some(107),
            reviews: Some(vec![Reviews { id: Some(10), rating: Some(5), text: Some("Deep.".into()), ..Reviews::default() }]),
            ..Books::default()
        };
        sent!("deep insert", client.books().create(&deep));
        let reviews = sent!("reviews", client.books().by_id(302).reviews().list());
        check!(reviews.value.len() == 1 && reviews.value[0].rating == Some(5), "{label} the deep-inserted review");

        // Update with the ETag; a stale one is refused (412); `If-Match: *` overrides.
        let read = sent!("get 301", client.books().by_id(301).get());
        tokio::time::sleep(Duration::from_millis(20)).await;
        let patch = Books { stock: Some(6), ..Books::default() };
        sent!("update with the ETag", client.books().by_id(301).update(&patch).if_match_of(&read));
        let stale = client.books().by_id(301).update(&patch).if_match_of(&read).await;
        check!(matches!(stale, Err(Error::PreconditionFailed { .. })), "{label} a stale ETag: {stale:?}");
        let patch = Books { stock: Some(7), ..Books::default() };
        sent!("update with If-Match: *", client.books().by_id(301).update(&patch).if_match_any());
        let now = sent!("get 301 again", client.books().by_id(301).get());
        check!(now.stock == Some(7), "{label} the stock after the updates: {:?}", now.stock);

        // Delete.
        sent!("delete", client.books().by_id(301).delete().if_match_any());
        let gone = client.books().by_id(301).get().await;
        check!(gone.as_ref().err().and_then(Error::status) == Some(404), "{label} deleted: {:?}", gone.err());
        client
    }};
}

/// `$batch` in the format `$format` (the client's own when `None`): a read, a change set of
/// a create and an update, and a count that waits for the create, each decoded as its
/// request; then a change set that fails (a stale ETag) and is rolled back as a whole.
/// `$known` is how many books the server holds before.
macro_rules! batch_scenario {
    ($m:ident, $client:expr, $format:expr, $known:expr, $label:expr) => {{
        use $m::catalog_service::{Books, BooksField};
        use $m::runtime::Error;
        let (client, label) = (&$client, $label);
        let mut batch = client.batch();
        if let Some(format) = $format {
            batch = batch.with_format(format);
        }
        let read = batch.add(client.books().by_id(201).get().select([BooksField::Id, BooksField::Title]));
        let changes = batch.change_set();
        let new = Books { id: Some(401), title: Some("Agnes Grey".into()), author_id: Some(107), ..Books::default() };
        let created = batch.add_to(changes, client.books().create(&new));
        let patch = Books { stock: Some(42), ..Books::default() };
        let updated = batch.add_to(changes, client.books().by_id(252).update(&patch).if_match_any());
        let count = batch.add(client.books().count());
        batch.depends_on(&count, &created);
        let mut responses = sent!("batch", batch.send());
        let book = responses.take(read).map_err(|e| format!("batch read: {e}"))?;
        check!(book.title.as_deref() == Some("Wuthering Heights"), "{label} batch: the book read: {:?}", book.title);
        let created = responses.take(created).map_err(|e| format!("batch create: {e}"))?;
        check!(created.id == Some(401) && created.title.as_deref() == Some("Agnes Grey"), "{label} batch: created {:?}", created.id);
        responses.take(updated).map_err(|e| format!("batch update: {e}"))?;
        let count = responses.take(count).map_err(|e| format!("batch count: {e}"))?;
        check!(count == $known + 1, "{label} batch: the count after the change set: {count}");
        let after = sent!("get 252", client.books().by_id(252).get());
        check!(after.stock == Some(42), "{label} batch: the update applied: {:?}", after.stock);

        // A change set with a stale ETag fails as a whole: its create is rolled back.
        let mut batch = client.batch();
        if let Some(format) = $format {
            batch = batch.with_format(format);
        }
        let changes = batch.change_set();
        let new = Books { id: Some(402), title: Some("Emma".into()), author_id: Some(107), ..Books::default() };
        batch.add_to(changes, client.books().create(&new));
        let stale = batch.add_to(changes, client.books().by_id(252).update(&patch).if_match("W/\"2000-01-01T00:00:00.000Z\""));
        let mut responses = sent!("failing batch", batch.send());
        let stale = responses.take(stale);
        check!(matches!(stale, Err(Error::PreconditionFailed { .. })), "{label} batch: the stale ETag refused: {stale:?}");
        let gone = client.books().by_id(402).get().await;
        check!(gone.as_ref().err().and_then(Error::status) == Some(404), "{label} batch: the change set rolled back: {:?}", gone.err());
    }};
}

/// Whether the decimal `value` is 166.65 (15 × 11.11, computed by the server in floating
/// point).
fn is_stock_value(value: &impl std::fmt::Display) -> bool {
    value.to_string().parse::<f64>().is_ok_and(|v| (v - 166.65).abs() < 1e-6)
}

/// The V4 scenario, for a module generated from V4 metadata (XML or JSON).
macro_rules! v4_scenario {
    ($m:ident, $base:expr, $format:expr, $label:expr) => {{
        use $m::runtime::Error;
        let client = common_scenario!($m, $base, "/catalog", "V4");
        // The five of the seed data and the deep-inserted one (Books(301) was deleted).
        check!(sent!("$count", client.books().count()) == 6, "GET /Books/$count");

        // Bound action and function; unbound action and function. A bound action changes the
        // entity: CAP asks for its ETag too (428 without).
        let required = client.books().by_id(201).add_stock(Some(3)).await;
        check!(required.as_ref().err().and_then(Error::status) == Some(428), "addStock without If-Match");
        let added = sent!("addStock", client.books().by_id(201).add_stock(Some(3)).if_match_any());
        check!(added.stock == Some(15), "addStock: {:?}", added.stock);
        let value = sent!("stockValue", client.books().by_id(201).stock_value());
        check!(is_stock_value(&value), "stockValue: {value}");
        let changed = sent!("restock", client.restock(Some(7)));
        check!(changed >= 5, "restock changed {changed} books");
        let of = sent!("booksOf", client.books_of(Some(150)));
        check!(of.value.len() == 3, "booksOf(150): {} books", of.value.len());
        batch_scenario!($m, client, $format, 6, $label);
        Ok(())
    }};
}

async fn v2_scenario(base: &str) -> Outcome {
    let client = common_scenario!(v2, base, "/odata/v2/catalog", "V2");
    // V2 has no bound operations: the adapter makes them service operations keyed by ID.
    let added = sent!("Books_addStock", client.books_add_stock(201, Some(3)).if_match_any());
    check!(added.stock == Some(15), "V2 Books_addStock: {:?}", added.stock);
    let value = sent!("Books_stockValue", client.books_stock_value(201));
    check!(is_stock_value(&value), "V2 Books_stockValue: {value}");
    let changed = sent!("restock", client.restock(Some(7)));
    check!(changed >= 5, "V2 restock changed {changed} books");
    let of = sent!("booksOf", client.books_of(Some(150)));
    check!(of.value.len() == 3, "V2 booksOf(150): {} books", of.value.len());
    batch_scenario!(v2, client, None::<v2::runtime::BatchFormat>, 6, "V2 (multipart)");
    Ok(())
}

async fn v4xml_scenario(base: &str) -> Outcome {
    // CAP's metadata says version 4.0: the client's batches are multipart.
    v4_scenario!(v4xml, base, None::<v4xml::runtime::BatchFormat>, "V4 (multipart)")
}

async fn v4json_scenario(base: &str) -> Outcome {
    // CAP takes JSON batches too.
    v4_scenario!(v4json, base, Some(v4json::runtime::BatchFormat::Json), "V4 (JSON)")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (flavour, base) = (args[1].as_str(), args[2].as_str());
    let outcome = match flavour {
        "v4xml" => v4xml_scenario(base).await,
        "v4json" => v4json_scenario(base).await,
        "v2" => v2_scenario(base).await,
        other => Err(format!("unknown flavour {other}")),
    };
    if let Err(e) = outcome {
        eprintln!("{flavour}: {e}");
        std::process::exit(1);
    }
}
