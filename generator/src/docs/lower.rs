//! Reference pages → the model. Given alone, pages become CSDL-shaped documents lowered by the
//! CSDL front end's own [`lower`](crate::csdl::lower), so every check applies to them too.
//! Given with CSDL, pages only annotate: they add descriptions the CSDL lacks, and every
//! disagreement (a property or operation on one side only, a different type) is a warning
//! that names both places.

use std::collections::BTreeMap;

use super::page::{self, Link, Page};
use crate::csdl::lower::Source;
use crate::csdl::read::{self as raw, Annotation, Value};
use crate::diag::{Code, Diagnostics, Location, SourceMap};
use crate::model::{self, Model, Primitive, Target, TypeKind};

/// The term under which pages hand examples to the CSDL lowering (a project-private term: it
/// never appears in real metadata).
pub const EXAMPLE_TERM: &str = "Codegen.Docs.Example";

/// A read page and the map of its file.
pub struct DocPage {
    /// Locates offsets in the page.
    pub map: SourceMap,
    /// What was read.
    pub page: Page,
}

impl DocPage {
    fn at(&self, pos: usize) -> Location {
        self.map.locate(pos)
    }

    fn file_name(&self) -> &str {
        self.map.name().rsplit(['/', '\\']).next().unwrap_or(self.map.name())
    }

    /// The qualified type a resource page documents: its annotation's `@odata.type`, else
    /// `<namespace>.<first word of the title>`.
    fn resource(&self) -> Option<(String, &serde_json::Value)> {
        let block = self
            .page
            .blocks
            .iter()
            .find(|b| b.annotation.as_ref().is_some_and(|(a, _)| a["blockType"] == "resource"))?;
        let (annotation, _) = block.annotation.as_ref()?;
        let ty = annotation["@odata.type"].as_str().map(str::to_owned).or_else(|| {
            let title = self.page.title.as_ref()?.0.split_whitespace().next()?.to_owned();
            Some(format!("{}.{title}", self.page.namespace.as_deref()?))
        })?;
        Some((ty.trim_start_matches('#').to_owned(), annotation))
    }
}

/// A type as a page writes it: `String`, `[keyValuePair](…) collection`, `Collection(Int32)`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct DocType {
    /// `Edm.String` or a qualified name.
    name: String,
    collection: bool,
}

fn primitive_name(word: &str) -> Option<&'static str> {
    let w = word.trim().trim_start_matches("Edm.").to_ascii_lowercase();
    Some(match w.as_str() {
        "string" => "Edm.String",
        "boolean" | "bool" => "Edm.Boolean",
        "int16" => "Edm.Int16",
        "int32" | "int" | "integer" => "Edm.Int32",
        "int64" | "long" => "Edm.Int64",
        "double" => "Edm.Double",
        "single" | "float" => "Edm.Single",
        "decimal" => "Edm.Decimal",
        "byte" => "Edm.Byte",
        "sbyte" => "Edm.SByte",
        "guid" => "Edm.Guid",
        "binary" => "Edm.Binary",
        "stream" => "Edm.Stream",
        "date" => "Edm.Date",
        "datetimeoffset" | "datetime" => "Edm.DateTimeOffset",
        "timeofday" => "Edm.TimeOfDay",
        "duration" => "Edm.Duration",
        _ => return None,
    })
}

/// Parses a type cell; `None` for `None` or an empty cell.
fn parse_type(cell: &str, namespace: &str) -> Option<DocType> {
    let lower = cell.to_ascii_lowercase();
    let collection = lower.contains("collection");
    let named = |text: &str| {
        let text = text.trim().trim_start_matches("Collection(").trim_end_matches(')').trim();
        if let Some(p) = primitive_name(text) {
            return p.to_owned();
        }
        if text.contains('.') {
            text.to_owned()
        } else {
            format!("{namespace}.{text}")
        }
    };
    if let Some(link) = page::links(cell).into_iter().next() {
        return Some(DocType { name: named(&link.text), collection });
    }
    // Reference-style link: `[identitySet][]`.
    if let (Some(open), Some(close)) = (cell.find('['), cell.find("][")) {
        if open < close {
            return Some(DocType { name: named(&cell[open + 1..close]), collection });
        }
    }
    let word = cell.split_whitespace().next()?.trim_matches(['`', '*']);
    if word.eq_ignore_ascii_case("none") || word.is_empty() {
        return None;
    }
    let word = word.strip_prefix("Collection(").map(|w| w.trim_end_matches(')')).unwrap_or(word);
    Some(DocType { name: named(word), collection })
}

impl DocType {
    fn written(&self) -> String {
        if self.collection {
            format!("Collection({})", self.name)
        } else {
            self.name.clone()
        }
    }
}

fn description_annotation(text: &str, pos: usize) -> Option<Annotation> {
    let text = page::clean_description(text)?;
    // "Inherited from [entity](…)" is a note, not a description.
    if text.starts_with("Inherited from") {
        return None;
    }
    Some(Annotation {
        term: "Org.OData.Core.V1.Description".into(),
        qualifier: None,
        value: Value::Constant("String".into(), text),
        pos,
    })
}

/// Column index by header name (ignoring case).
fn column(table: &page::Table, name: &str) -> Option<usize> {
    table.header.iter().position(|h| h.eq_ignore_ascii_case(name))
}

fn cell(row: &page::Row, index: Option<usize>) -> &str {
    index.and_then(|i| row.cells.get(i)).map(String::as_str).unwrap_or("")
}

/// The operation rows of a Methods table: (name, link, return cell, row offset, description).
fn operation_rows(page: &Page) -> Vec<(String, Link, String, usize, String)> {
    let mut out = Vec::new();
    for table in page.tables_in("Methods") {
        let (method, ret, desc) =
            (column(table, "Method"), column(table, "Return type"), column(table, "Description"));
        for row in &table.rows {
            let Some(link) = page::links(cell(row, method)).into_iter().next() else { continue };
            let first = link.text.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
            if ["list", "create", "get", "update", "delete", "add", "remove"].contains(&first.as_str())
                || link.text.contains(' ')
            {
                continue; // CRUD rows: the runtime's list/create/get/update/delete.
            }
            out.push((
                link.text.trim().to_owned(),
                link.clone(),
                cell(row, ret).to_owned(),
                row.pos,
                cell(row, desc).to_owned(),
            ));
        }
    }
    out
}

/// A type pages link to: the page and offset of its first link, whether it is an entity type,
/// and the properties derived pages document as inherited from it.
type Referenced = (usize, usize, bool, Vec<raw::Property>);

/// What the pages document, collected page by page while they become sources.
struct Lowering<'p> {
    pages: &'p [DocPage],
    /// Page index by file name (method pages are linked by file).
    by_file: BTreeMap<&'p str, usize>,
    /// Documented types: qualified name → (page, offset).
    declared: BTreeMap<String, (usize, usize)>,
    /// Types referenced, documented or not, by qualified name.
    referenced: BTreeMap<String, Referenced>,
}

/// Pages alone → CSDL-shaped documents, one per page, lowered by the CSDL front end.
pub fn to_sources(pages: &[DocPage], diags: &mut Diagnostics) -> Vec<Source> {
    let mut lowering = Lowering {
        pages,
        by_file: pages.iter().enumerate().map(|(i, p)| (p.file_name(), i)).collect(),
        declared: BTreeMap::new(),
        referenced: BTreeMap::new(),
    };
    let mut docs: Vec<raw::Document> = pages.iter().map(|_| raw::Document::default()).collect();
    for (pi, doc) in docs.iter_mut().enumerate() {
        doc.schemas.extend(lowering.resource_page(pi, diags));
    }
    // Placeholders for types the pages link to but do not document.
    for (qualified, referenced) in lowering.referenced {
        if lowering.declared.contains_key(&qualified) || qualified.starts_with("Edm.") {
            continue;
        }
        let pi = referenced.0;
        docs[pi].schemas.extend(placeholder(&pages[pi], &qualified, referenced, diags));
    }
    pages.iter().zip(docs).map(|(p, doc)| Source { map: p.map.clone(), doc }).collect()
}

impl<'p> Lowering<'p> {
    /// Records a reference to `qualified` (first from page `pi` at `pos`) and returns it.
    fn refer(&mut self, qualified: String, pi: usize, pos: usize, is_entity: bool) -> &mut Referenced {
        self.referenced.entry(qualified).or_insert((pi, pos, is_entity, Vec::new()))
    }

    /// A resource page → the schema of the type it documents and of its bound operations;
    /// `None` for a page that documents no resource, or one documented already.
    fn resource_page(&mut self, pi: usize, diags: &mut Diagnostics) -> Option<raw::Schema> {
        let pages = self.pages;
        let p = &pages[pi];
        let (qualified, annotation) = p.resource()?;
        let (namespace, name) = qualified.rsplit_once('.')?;
        let pos = p.page.title.as_ref().map(|t| t.1).unwrap_or(0);
        if let Some((first, _)) = self.declared.get(&qualified) {
            let first = pages[*first].at(0);
            diags.push(
                Code::DuplicateDocumentation,
                Some(p.at(pos)),
                format!("`{qualified}` is documented by more than one page; this one is ignored"),
                vec![(first, "documented here".into())],
            );
            return None;
        }
        self.declared.insert(qualified.clone(), (pi, pos));
        let key = annotation["keyProperty"].as_str().map(str::to_owned);
        let base = annotation["baseType"].as_str().map(str::to_owned).or_else(|| {
            p.page
                .base
                .as_ref()
                .map(|(l, _)| parse_type(&format!("[{}](x)", l.text), namespace).unwrap().name)
        });
        let is_entity =
            key.is_some() || !p.page.tables_in("Relationships").next().is_none_or(|t| t.rows.is_empty());
        let mut t = raw::Structured {
            name: name.to_owned(),
            pos,
            base_type: base.clone().map(|b| (b, p.page.base.as_ref().map(|b| b.1).unwrap_or(pos))),
            open_type: annotation["openType"].as_bool().unwrap_or(false),
            ..Default::default()
        };
        if let Some(d) = p.page.description.as_deref().and_then(|d| description_annotation(d, pos)) {
            t.annotations.push(d);
        }
        self.properties(pi, namespace, base.as_deref(), &mut t, diags);
        self.relationships(pi, namespace, &mut t);
        check_json_representation(p, &t, annotation, diags);
        if let Some(k) = &key {
            if t.properties.iter().any(|p| &p.name == k) || base.is_none() {
                t.key.push((k.clone(), None));
            }
            // Pages do not say a property is nullable; a key property never is.
            for p in t.properties.iter_mut().filter(|p| &p.name == k) {
                p.nullable = Some(false);
            }
        }
        if let Some(b) = &base {
            self.refer(b.clone(), pi, pos, is_entity).2 |= is_entity;
        }
        let mut schema = raw::Schema { namespace: namespace.to_owned(), pos, ..Default::default() };
        schema.operations = self.methods(pi, &qualified, diags);
        if is_entity {
            schema.entity_types.push(t);
        } else {
            schema.complex_types.push(t);
        }
        Some(schema)
    }

    /// The Properties tables of page `pi` → the properties of `t`; rows "Inherited from
    /// [base]" belong to the base type.
    fn properties(
        &mut self,
        pi: usize,
        namespace: &str,
        base: Option<&str>,
        t: &mut raw::Structured,
        diags: &mut Diagnostics,
    ) {
        let p = &self.pages[pi];
        for table in p.page.tables_in("Properties") {
            let (pc, tc, dc) =
                (column(table, "Property"), column(table, "Type"), column(table, "Description"));
            if pc.is_none() || tc.is_none() {
                diags.warning(
                    Code::SkippedTable,
                    Some(p.at(table.pos)),
                    "the Properties table has no `Property` or `Type` column; it is skipped",
                );
                continue;
            }
            for row in &table.rows {
                let (pname, desc) = (cell(row, pc).trim_matches('`').to_owned(), cell(row, dc));
                let Some(ty) = parse_type(cell(row, tc), namespace) else { continue };
                let mut prop =
                    raw::Property { name: pname, ty: ty.written(), pos: row.pos, ..Default::default() };
                prop.annotations.extend(description_annotation(desc, row.pos));
                let inherited = desc.contains("Inherited from");
                match (inherited, page::links(desc).into_iter().next(), base) {
                    (true, Some(link), _) => {
                        let owner = parse_type(&format!("[{}](x)", link.text), namespace).unwrap().name;
                        self.refer(owner, pi, row.pos, true).3.push(prop);
                    }
                    (true, None, Some(b)) => {
                        self.refer(b.to_owned(), pi, row.pos, true).3.push(prop);
                    }
                    _ => {
                        if let Some(doc) = reference(&ty) {
                            self.refer(doc, pi, row.pos, false);
                        }
                        t.properties.push(prop);
                    }
                }
            }
        }
    }

    /// The Relationships tables of page `pi` → the (containment) navigation properties of `t`.
    fn relationships(&mut self, pi: usize, namespace: &str, t: &mut raw::Structured) {
        let p = &self.pages[pi];
        for table in p.page.tables_in("Relationships") {
            let (pc, tc, dc) =
                (column(table, "Relationship"), column(table, "Type"), column(table, "Description"));
            for row in &table.rows {
                let Some(ty) = parse_type(cell(row, tc), namespace) else { continue };
                if let Some(doc) = reference(&ty) {
                    self.refer(doc, pi, row.pos, true).2 = true;
                }
                let mut prop = raw::Property {
                    name: cell(row, pc).trim_matches('`').to_owned(),
                    ty: ty.written(),
                    pos: row.pos,
                    is_navigation: true,
                    contains_target: true,
                    ..Default::default()
                };
                prop.annotations.extend(description_annotation(cell(row, dc), row.pos));
                t.properties.push(prop);
            }
        }
    }

    /// The operation rows of page `pi`'s Methods table → operations bound to `qualified`, one
    /// per way the operation's own page (when it is an input) calls it.
    fn methods(&mut self, pi: usize, qualified: &str, diags: &mut Diagnostics) -> Vec<raw::Operation> {
        let pages = self.pages;
        let p = &pages[pi];
        let (namespace, name) = qualified.rsplit_once('.').expect("a qualified name");
        let mut operations = Vec::new();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (op_name, link, ret, rpos, _) in &operation_rows(&p.page) {
            let api_file = link.target.rsplit('/').next().unwrap_or_default();
            if let Some(first) = seen.get(op_name) {
                if *first != *rpos && !self.by_file.contains_key(api_file) {
                    diags.push(
                        Code::DuplicateDocumentation,
                        Some(p.at(*rpos)),
                        format!("`{op_name}` is listed more than once and its page is not among the inputs; one operation bound to `{name}` is generated"),
                        vec![(p.at(*first), "first listed here".into())],
                    );
                }
                continue;
            }
            seen.insert(op_name.clone(), *rpos);
            let returns = parse_type(ret, namespace);
            if let Some(r) = &returns {
                if let Some(doc) = reference(r) {
                    self.refer(doc, pi, *rpos, false);
                }
            }
            let api = self.by_file.get(api_file).map(|&i| &pages[i]);
            let op_name = &api.and_then(|api| url_spelling(api, op_name)).unwrap_or_else(|| op_name.clone());
            for (method, collection) in bindings(api, op_name) {
                let mut params = vec![raw::Parameter {
                    name: "bindingParameter".into(),
                    ty: if collection { format!("Collection({qualified})") } else { qualified.to_owned() },
                    pos: *rpos,
                    nullable: Some(false),
                    annotations: Vec::new(),
                }];
                if let (Some(api), "GET") = (api, method.as_str()) {
                    params.extend(function_parameters(p, api, op_name, *rpos, diags));
                }
                if let Some(api) = api {
                    params.extend(self.body_parameters(pi, api, namespace, *rpos));
                }
                let is_function = method == "GET";
                operations.push(raw::Operation {
                    annotations: example_annotations(api, *rpos),
                    is_function,
                    name: op_name.clone(),
                    pos: *rpos,
                    is_bound: true,
                    parameters: params,
                    return_type: return_type(returns.as_ref(), is_function, *rpos),
                    ..Default::default()
                });
            }
        }
        operations
    }

    /// The Request body table of an operation's page → its parameters, at `rpos` of page `pi`
    /// (the Methods row).
    fn body_parameters(
        &mut self,
        pi: usize,
        api: &DocPage,
        namespace: &str,
        rpos: usize,
    ) -> Vec<raw::Parameter> {
        let mut params = Vec::new();
        for table in api.page.tables_in("Request body") {
            let (pc, tc, dc) =
                (column(table, "Parameter"), column(table, "Type"), column(table, "Description"));
            for row in &table.rows {
                let Some(ty) = parse_type(cell(row, tc), namespace) else { continue };
                if let Some(doc) = reference(&ty) {
                    self.refer(doc, pi, rpos, false);
                }
                params.push(raw::Parameter {
                    name: cell(row, pc).trim_matches('`').to_owned(),
                    ty: ty.written(),
                    pos: rpos,
                    nullable: Some(true),
                    annotations: description_annotation(cell(row, dc), rpos).into_iter().collect(),
                });
            }
        }
        params
    }
}

/// The operation's name as its page's URLs spell it, which wins over the Methods table's
/// (`Answer` → `answer`).
fn url_spelling(api: &DocPage, op_name: &str) -> Option<String> {
    api.page.http_requests().into_iter().find_map(|(_, url, _)| {
        url.split('/')
            .map(|s| s.split('(').next().unwrap_or(s))
            .find(|s| s.eq_ignore_ascii_case(op_name))
            .map(str::to_owned)
    })
}

/// A function's parameters, written in the URL of its page: `price(currency='{currency}')`.
/// A quoted one is a string; any other is assumed an `Int64`, with a warning at `rpos` of `p`
/// (the Methods row).
fn function_parameters(
    p: &DocPage,
    api: &DocPage,
    op_name: &str,
    rpos: usize,
    diags: &mut Diagnostics,
) -> Vec<raw::Parameter> {
    let mut params = Vec::new();
    for (name, quoted) in url_parameters(api, op_name) {
        let ty = if quoted { "Edm.String" } else { "Edm.Int64" };
        if !quoted {
            diags.warning(
                Code::UndocumentedType,
                Some(p.at(rpos)),
                format!(
                    "the type of parameter `{name}` of `{op_name}` is not documented; `Int64` is assumed"
                ),
            );
        }
        params.push(raw::Parameter {
            name,
            ty: ty.into(),
            pos: rpos,
            nullable: Some(false),
            annotations: Vec::new(),
        });
    }
    params
}

/// The examples of an operation's page, as annotations under [`EXAMPLE_TERM`].
fn example_annotations(api: Option<&DocPage>, rpos: usize) -> Vec<Annotation> {
    let mut annotations = Vec::new();
    for (title, text) in api.map(examples).unwrap_or_default() {
        annotations.push(Annotation {
            term: EXAMPLE_TERM.into(),
            qualifier: None,
            value: Value::Record(vec![
                ("title".into(), Value::Constant("String".into(), title)),
                ("text".into(), Value::Constant("String".into(), text)),
            ]),
            pos: rpos,
        });
    }
    annotations
}

/// An operation's return type: the documented one, else `Edm.String` for a function.
fn return_type(returns: Option<&DocType>, is_function: bool, rpos: usize) -> Option<raw::ReturnType> {
    returns.map(|r| raw::ReturnType { ty: r.written(), pos: rpos, nullable: Some(true) }).or_else(|| {
        is_function.then(|| raw::ReturnType { ty: "Edm.String".into(), pos: rpos, nullable: Some(true) })
    })
}

/// A type the pages link to but none documents → an open placeholder (keyed by `id` when it
/// is an entity type), with a warning at the first link on page `p`.
fn placeholder(
    p: &DocPage,
    qualified: &str,
    (_, pos, is_entity, inherited): Referenced,
    diags: &mut Diagnostics,
) -> Option<raw::Schema> {
    let (namespace, name) = qualified.rsplit_once('.')?;
    diags.warning(
        Code::MissingPage,
        Some(p.at(pos)),
        format!(
            "`{qualified}` is linked but no input page documents it; it is generated as an open placeholder"
        ),
    );
    let mut t = raw::Structured {
        name: name.to_owned(),
        pos,
        open_type: true,
        properties: inherited,
        ..Default::default()
    };
    let mut schema = raw::Schema { namespace: namespace.to_owned(), pos, ..Default::default() };
    if is_entity {
        // Graph entities are keyed by `id`: give the placeholder that key (never nullable).
        if let Some(id) = t.properties.iter_mut().find(|p| p.name == "id") {
            id.nullable = Some(false);
        } else {
            t.properties.insert(
                0,
                raw::Property {
                    name: "id".into(),
                    ty: "Edm.String".into(),
                    pos,
                    nullable: Some(false),
                    ..Default::default()
                },
            );
        }
        t.key.push(("id".into(), None));
        t.is_abstract = true;
        schema.entity_types.push(t);
    } else {
        schema.complex_types.push(t);
    }
    Some(schema)
}

/// Compares the page's JSON representation with its tables: a property shown in the JSON but
/// listed in no table, or a collection on one side only, is a warning. JSON representations
/// that are not strict JSON (many hold comments or placeholders) are skipped.
fn check_json_representation(
    p: &DocPage,
    t: &raw::Structured,
    annotation: &serde_json::Value,
    diags: &mut Diagnostics,
) {
    let Some(block) =
        p.page.blocks.iter().find(|b| b.annotation.as_ref().is_some_and(|(a, _)| a == annotation))
    else {
        return;
    };
    let Ok(serde_json::Value::Object(json)) = serde_json::from_str::<serde_json::Value>(&block.text) else {
        return;
    };
    let inherited = |name: &str| {
        p.page
            .tables_in("Properties")
            .flat_map(|t| t.rows.iter())
            .any(|r| r.cells.first().is_some_and(|c| c == name))
    };
    for (name, value) in &json {
        if name.starts_with('@') || name.contains('@') {
            continue;
        }
        match t.properties.iter().find(|q| &q.name == name) {
            None if !inherited(name) => diags.warning(
                Code::InconsistentPage,
                Some(p.at(block.pos)),
                format!(
                    "the JSON representation shows `{name}`, which no Properties or Relationships row lists"
                ),
            ),
            Some(q) if value.is_array() != q.ty.starts_with("Collection(") => diags.warning(
                Code::InconsistentPage,
                Some(p.at(q.pos)),
                format!(
                    "`{name}` is {} in the table but {} in the JSON representation",
                    if value.is_array() { "single-valued" } else { "a collection" },
                    if value.is_array() { "a collection" } else { "single-valued" }
                ),
            ),
            _ => {}
        }
    }
}

/// The qualified name a type reference needs declared (not primitives).
fn reference(ty: &DocType) -> Option<String> {
    (!ty.name.starts_with("Edm.")).then(|| ty.name.clone())
}

/// How an operation is called, from its page's HTTP request lines: (method, collection-bound)
/// per distinct binding. Without a page: one POST bound to the entity.
fn bindings(api: Option<&DocPage>, op: &str) -> Vec<(String, bool)> {
    let Some(api) = api else { return vec![("POST".into(), false)] };
    let mut out: Vec<(String, bool)> = Vec::new();
    for (method, url, _) in api.page.http_requests() {
        let segs: Vec<&str> =
            url.split('?').next().unwrap_or(&url).split('/').filter(|s| !s.is_empty()).collect();
        let Some(pos) =
            segs.iter().position(|s| s.split('(').next().is_some_and(|n| n.eq_ignore_ascii_case(op)))
        else {
            continue;
        };
        let before = if pos > 0 { segs[pos - 1] } else { "" };
        let collection = pos > 0 && !before.starts_with('{') && !before.ends_with(')');
        if !out.contains(&(method.clone(), collection)) {
            out.push((method, collection));
        }
    }
    // A lone collection-looking form is more likely a singleton or contained entity.
    if out.len() == 1 && out[0].1 {
        out[0].1 = false;
    }
    if out.is_empty() {
        out.push(("POST".into(), false));
    }
    out
}

/// The first annotated request and response examples of a method page.
fn examples(api: &DocPage) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (kind, title) in [("request", "Example request"), ("response", "Example response")] {
        let block = api
            .page
            .blocks
            .iter()
            .find(|b| b.annotation.as_ref().is_some_and(|(a, _)| a["blockType"] == kind));
        if let Some(b) = block {
            out.push((title.to_owned(), b.text.clone()));
        }
    }
    out
}

/// The parameters written in a function's URL on its page: (name, quoted).
fn url_parameters(api: &DocPage, op: &str) -> Vec<(String, bool)> {
    for (_, url, _) in api.page.http_requests() {
        for seg in url.split('/') {
            let Some(args) =
                seg.strip_prefix(op).and_then(|a| a.strip_prefix('(')).and_then(|a| a.strip_suffix(')'))
            else {
                continue;
            };
            return args
                .split(',')
                .filter_map(|a| a.split_once('='))
                .map(|(n, v)| (n.trim().to_owned(), v.trim().starts_with('\'')))
                .collect();
        }
    }
    Vec::new()
}

/// Pages with CSDL: add the descriptions CSDL lacks and report disagreements.
pub fn annotate(model: &mut Model, pages: &[DocPage], diags: &mut Diagnostics) {
    let mut types: BTreeMap<String, model::TypeId> = BTreeMap::new();
    for i in 0..model.types.len() {
        types.insert(model.qualified_name(model::TypeId(i)), model::TypeId(i));
    }
    for p in pages {
        let Some((qualified, _)) = p.resource() else { continue };
        let pos = p.page.title.as_ref().map(|t| t.1).unwrap_or(0);
        let Some(&id) = types.get(&qualified) else {
            diags.warning(
                Code::MetadataMismatch,
                Some(p.at(pos)),
                format!("the page documents `{qualified}`, which the metadata does not declare"),
            );
            continue;
        };
        let namespace = qualified.rsplit_once('.').map(|(n, _)| n.to_owned()).unwrap_or_default();
        let type_origin = model.ty(id).origin.clone();
        if model.types[id.0].notes.description.is_none() {
            model.types[id.0].notes.description = p.page.description.clone();
        }
        // Properties: own and inherited, by wire name.
        let mut chain = vec![id];
        while let Some(b) = model.structured(*chain.last().expect("non-empty")).and_then(|s| s.base) {
            if chain.contains(&b) {
                break;
            }
            chain.push(b);
        }
        for (section, name_col) in [("Properties", "Property"), ("Relationships", "Relationship")] {
            for table in p.page.tables_in(section) {
                let (pc, tc, dc) =
                    (column(table, name_col), column(table, "Type"), column(table, "Description"));
                for row in &table.rows {
                    let pname = cell(row, pc).trim_matches('`');
                    if pname.is_empty() {
                        continue;
                    }
                    let found = chain.iter().find_map(|&t| {
                        model.structured(t)?.properties.iter().position(|q| q.name == pname).map(|i| (t, i))
                    });
                    let Some((owner, index)) = found else {
                        diags.push(
                            Code::MetadataMismatch,
                            Some(p.at(row.pos)),
                            format!("the page lists `{pname}` on `{qualified}`, but the metadata does not declare it"),
                            type_origin.note("the type is declared here"),
                        );
                        continue;
                    };
                    let prop = &model.structured(owner).expect("structured").properties[index];
                    if let Some(doc_ty) = parse_type(cell(row, tc), &namespace) {
                        let csdl = written(model, prop.ty);
                        if !same_type(&doc_ty.written(), &csdl) {
                            diags.push(
                                Code::MetadataMismatch,
                                Some(p.at(row.pos)),
                                format!(
                                    "the page gives `{pname}` the type `{}`, the metadata `{csdl}`",
                                    doc_ty.written()
                                ),
                                prop.origin.note("declared here"),
                            );
                        }
                    }
                    let desc = description_annotation(cell(row, dc), row.pos);
                    if let (Some(Annotation { value: Value::Constant(_, text), .. }), true) =
                        (desc, owner == id)
                    {
                        if let TypeKind::Entity(s) | TypeKind::Complex(s) = &mut model.types[owner.0].kind {
                            let notes = &mut s.properties[index].notes;
                            if notes.description.is_none() {
                                notes.description = Some(text);
                            }
                        }
                    }
                }
            }
        }
        // Operations of the Methods table that the metadata does not bind to the type.
        let by_file: BTreeMap<&str, &DocPage> = pages.iter().map(|p| (p.file_name(), p)).collect();
        for (op_name, link, _, rpos, desc) in operation_rows(&p.page) {
            let api = by_file.get(link.target.rsplit('/').next().unwrap_or_default()).copied();
            // Pages capitalise operation names (`Answer` for `answer`): compare ignoring case.
            let bound: Vec<usize> = (0..model.operations.len())
                .filter(|&i| {
                    let o = &model.operations[i];
                    o.name.eq_ignore_ascii_case(&op_name)
                        && o.binding
                            .is_some_and(|b| matches!(b.target, Target::Named(t) if chain.contains(&t)))
                })
                .collect();
            // The table's description documents the operations it names.
            for &i in &bound {
                let notes = &mut model.operations[i].notes;
                if notes.description.is_none() {
                    notes.description = page::clean_description(&desc);
                }
                if notes.examples.is_empty() {
                    notes.examples = api.map(examples).unwrap_or_default();
                }
            }
            if bound.is_empty() {
                diags.push(
                    Code::MetadataMismatch,
                    Some(p.at(rpos)),
                    format!("the page lists the operation `{op_name}` on `{qualified}`, but the metadata binds no such operation to it"),
                    type_origin.note("the type is declared here"),
                );
            }
        }
    }
}

fn written(model: &Model, ty: model::TypeRef) -> String {
    let inner = match ty.target {
        Target::Primitive(p) => match p {
            Primitive::Geography | Primitive::Geometry | Primitive::Untyped => format!("Edm.{p:?}"),
            p => format!("Edm.{p:?}"),
        },
        Target::Named(id) => model.qualified_name(id),
    };
    if ty.collection {
        format!("Collection({inner})")
    } else {
        inner
    }
}

/// Type names compared ignoring case (pages write `string`, `Int32`, `dateTimeOffset`...).
fn same_type(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}
