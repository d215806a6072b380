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

/// Pages alone → CSDL-shaped documents, one per page, lowered by the CSDL front end.
pub fn to_sources(pages: &[DocPage], diags: &mut Diagnostics) -> Vec<Source> {
    let by_file: BTreeMap<&str, usize> = pages.iter().enumerate().map(|(i, p)| (p.file_name(), i)).collect();
    let mut declared: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut docs: Vec<raw::Document> = pages.iter().map(|_| raw::Document::default()).collect();
    // Types referenced but documented nowhere: qualified name → (page, offset, is entity,
    // inherited properties documented on derived pages).
    let mut referenced: BTreeMap<String, (usize, usize, bool, Vec<raw::Property>)> = BTreeMap::new();

    for (pi, p) in pages.iter().enumerate() {
        let Some((qualified, annotation)) = p.resource() else { continue };
        let Some((namespace, name)) = qualified.rsplit_once('.') else { continue };
        let pos = p.page.title.as_ref().map(|t| t.1).unwrap_or(0);
        if let Some((first, _)) = declared.get(&qualified) {
            let first = pages[*first].at(0);
            diags.push(
                Code::DuplicateDocumentation,
                Some(p.at(pos)),
                format!("`{qualified}` is documented by more than one page; this one is ignored"),
                vec![(first, "documented here".into())],
            );
            continue;
        }
        declared.insert(qualified.clone(), (pi, pos));
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
        // Properties; rows "Inherited from [base]" belong to the base type.
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
                match (inherited, page::links(desc).into_iter().next(), &base) {
                    (true, Some(link), _) => {
                        let owner = parse_type(&format!("[{}](x)", link.text), namespace).unwrap().name;
                        referenced.entry(owner).or_insert((pi, row.pos, true, Vec::new())).3.push(prop);
                    }
                    (true, None, Some(b)) => {
                        referenced.entry(b.clone()).or_insert((pi, row.pos, true, Vec::new())).3.push(prop);
                    }
                    _ => {
                        if let Some(doc) = reference(&ty) {
                            referenced.entry(doc).or_insert((pi, row.pos, false, Vec::new()));
                        }
                        t.properties.push(prop);
                    }
                }
            }
        }
        for table in p.page.tables_in("Relationships") {
            let (pc, tc, dc) =
                (column(table, "Relationship"), column(table, "Type"), column(table, "Description"));
            for row in &table.rows {
                let Some(ty) = parse_type(cell(row, tc), namespace) else { continue };
                if let Some(doc) = reference(&ty) {
                    referenced.entry(doc).or_insert((pi, row.pos, true, Vec::new())).2 = true;
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
        check_json_representation(p, &t, annotation, diags);
        if let Some(k) = &key {
            if t.properties.iter().any(|p| &p.name == k) || base.is_none() {
                t.key.push((k.clone(), None));
            }
        }
        if let Some(b) = &base {
            referenced.entry(b.clone()).or_insert((pi, pos, is_entity, Vec::new())).2 |= is_entity;
        }
        let mut schema = raw::Schema { namespace: namespace.to_owned(), pos, ..Default::default() };
        // Operations of the Methods table.
        let rows = operation_rows(&p.page);
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (op_name, link, ret, rpos, _) in &rows {
            if let Some(first) = seen.get(op_name) {
                if *first != *rpos
                    && !by_file.contains_key(link.target.rsplit('/').next().unwrap_or_default())
                {
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
                    referenced.entry(doc).or_insert((pi, *rpos, false, Vec::new()));
                }
            }
            let api = by_file.get(link.target.rsplit('/').next().unwrap_or_default()).map(|&i| &pages[i]);
            // The URL's spelling wins over the table's (`Answer` → `answer`).
            let op_name = &api
                .and_then(|api| {
                    api.page.http_requests().into_iter().find_map(|(_, url, _)| {
                        url.split('/')
                            .map(|s| s.split('(').next().unwrap_or(s))
                            .find(|s| s.eq_ignore_ascii_case(op_name))
                            .map(str::to_owned)
                    })
                })
                .unwrap_or_else(|| op_name.clone());
            for (method, collection) in bindings(api, op_name) {
                let mut params = vec![raw::Parameter {
                    name: "bindingParameter".into(),
                    ty: if collection { format!("Collection({qualified})") } else { qualified.clone() },
                    pos: *rpos,
                    nullable: Some(false),
                    annotations: Vec::new(),
                }];
                if let (Some(api), "GET") = (api, method.as_str()) {
                    // Function parameters are written in the URL: `price(currency='{currency}')`.
                    for (name, quoted) in url_parameters(api, op_name) {
                        let ty = if quoted { "Edm.String" } else { "Edm.Int64" };
                        if !quoted {
                            diags.warning(
                                Code::UndocumentedType,
                                Some(p.at(*rpos)),
                                format!("the type of parameter `{name}` of `{op_name}` is not documented; `Int64` is assumed"),
                            );
                        }
                        params.push(raw::Parameter {
                            name,
                            ty: ty.into(),
                            pos: *rpos,
                            nullable: Some(false),
                            annotations: Vec::new(),
                        });
                    }
                }
                if let Some(api) = api {
                    for table in api.page.tables_in("Request body") {
                        let (pc, tc, dc) =
                            (column(table, "Parameter"), column(table, "Type"), column(table, "Description"));
                        for row in &table.rows {
                            let Some(ty) = parse_type(cell(row, tc), namespace) else { continue };
                            if let Some(doc) = reference(&ty) {
                                referenced.entry(doc).or_insert((pi, *rpos, false, Vec::new()));
                            }
                            params.push(raw::Parameter {
                                name: cell(row, pc).trim_matches('`').to_owned(),
                                ty: ty.written(),
                                pos: *rpos,
                                nullable: Some(true),
                                annotations: description_annotation(cell(row, dc), *rpos)
                                    .into_iter()
                                    .collect(),
                            });
                        }
                    }
                }
                let is_function = method == "GET";
                let mut op_annotations: Vec<Annotation> = Vec::new();
                for (title, text) in api.map(examples).unwrap_or_default() {
                    op_annotations.push(Annotation {
                        term: EXAMPLE_TERM.into(),
                        qualifier: None,
                        value: Value::Record(vec![
                            ("title".into(), Value::Constant("String".into(), title)),
                            ("text".into(), Value::Constant("String".into(), text)),
                        ]),
                        pos: *rpos,
                    });
                }
                schema.operations.push(raw::Operation {
                    annotations: op_annotations,
                    is_function,
                    name: op_name.clone(),
                    pos: *rpos,
                    is_bound: true,
                    parameters: params,
                    return_type: returns
                        .clone()
                        .map(|r| raw::ReturnType { ty: r.written(), pos: *rpos, nullable: Some(true) })
                        .or_else(|| {
                            is_function.then(|| raw::ReturnType {
                                ty: "Edm.String".into(),
                                pos: *rpos,
                                nullable: Some(true),
                            })
                        }),
                    ..Default::default()
                });
            }
        }
        if is_entity {
            schema.entity_types.push(t);
        } else {
            schema.complex_types.push(t);
        }
        docs[pi].schemas.push(schema);
    }
    // Placeholders for types the pages link to but do not document.
    for (qualified, (pi, pos, is_entity, inherited)) in referenced {
        if declared.contains_key(&qualified) || qualified.starts_with("Edm.") {
            continue;
        }
        let Some((namespace, name)) = qualified.rsplit_once('.') else { continue };
        diags.warning(
            Code::MissingPage,
            Some(pages[pi].at(pos)),
            format!("`{qualified}` is linked but no input page documents it; it is generated as an open placeholder"),
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
            // Graph entities are keyed by `id`: give the placeholder that key.
            if !t.properties.iter().any(|p| p.name == "id") {
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
        docs[pi].schemas.push(schema);
    }
    pages.iter().zip(docs).map(|(p, doc)| Source { map: p.map.clone(), doc }).collect()
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
                            vec![(type_origin.clone(), "the type is declared here".into())],
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
                                vec![(prop.origin.clone(), "declared here".into())],
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
                    vec![(type_origin.clone(), "the type is declared here".into())],
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
