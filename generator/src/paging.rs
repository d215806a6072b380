//! Paging rules: how results of documents that do not say how they page (no OData
//! `@odata.nextLink`, no `x-ms-pageable`) are read as pages, named by the settings.
//!
//! A rule names where a result holds the next page: a next link (the next page's URL) or a
//! cursor (a value sent back as a query parameter), as a JSON pointer into the result
//! (`/meta/next_page_url`), and optionally the property holding the items (by default the
//! result's only array property). Each operation whose successful JSON result is an object
//! with those properties returns a `Page` of the items instead, which `.all()` and `.pages()`
//! follow to the last page (a next link or cursor that is absent, `null` or empty).

use serde::Deserialize;

use crate::diag::{Code, Diagnostics};
use crate::model::{HttpMethod, Model, Paging, Primitive, Target, TypeId, TypeRef};

/// One paging rule (`paging = [{ next_link = "/meta/next_page_url" }]` in `codegen.toml`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagingRule {
    /// A JSON pointer to the next page's URL in a result (`/meta/next_page_url`, `/next`).
    #[serde(default)]
    pub next_link: Option<String>,
    /// A JSON pointer to the next page's cursor in a result (`/meta/next_cursor`): the next
    /// page is the same request with [`PagingRule::cursor_parameter`] set to it (GET only).
    #[serde(default)]
    pub cursor: Option<String>,
    /// With `cursor`: the query parameter the cursor is sent as.
    #[serde(default)]
    pub cursor_parameter: Option<String>,
    /// The result property holding the items (default: its only array property).
    #[serde(default)]
    pub items: Option<String>,
}

impl PagingRule {
    /// A rule reading the next page's URL at `pointer`.
    pub fn next_link(pointer: impl Into<String>) -> Self {
        PagingRule { next_link: Some(pointer.into()), ..PagingRule::default() }
    }

    /// A rule reading a cursor at `pointer`, sent back as the query parameter `parameter`.
    pub fn cursor(pointer: impl Into<String>, parameter: impl Into<String>) -> Self {
        PagingRule {
            cursor: Some(pointer.into()),
            cursor_parameter: Some(parameter.into()),
            ..PagingRule::default()
        }
    }

    /// The items in the property `name` rather than the only array property.
    pub fn items(mut self, name: impl Into<String>) -> Self {
        self.items = Some(name.into());
        self
    }

    /// Why the rule cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        match (&self.next_link, &self.cursor, &self.cursor_parameter) {
            (Some(_), None, None) | (None, Some(_), Some(_)) => {}
            (Some(_), Some(_), _) => return Err("a paging rule has `next_link` or `cursor`, not both".into()),
            (None, Some(_), None) => {
                return Err("a paging rule with `cursor` needs `cursor_parameter`".into())
            }
            (_, None, Some(_)) => return Err("`cursor_parameter` is set without `cursor`".into()),
            (None, None, None) => return Err("a paging rule needs `next_link` or `cursor`".into()),
        }
        let pointer = self.pointer();
        if !pointer.starts_with('/') || pointer.len() < 2 {
            return Err(format!(
                "`{pointer}` is not a JSON pointer to a property (such as `/meta/next_page_url`)"
            ));
        }
        if segments(pointer).iter().any(|s| s.is_empty()) {
            return Err(format!("`{pointer}` names an empty property"));
        }
        if let Some(p) = &self.cursor_parameter {
            if p.is_empty() {
                return Err("`cursor_parameter` is empty".into());
            }
        }
        if self.items.as_deref() == Some("") {
            return Err("`items` is empty".into());
        }
        Ok(())
    }

    /// The pointer to the next link or cursor.
    fn pointer(&self) -> &str {
        self.next_link.as_deref().or(self.cursor.as_deref()).unwrap_or_default()
    }

    /// The rule as the lock file records it.
    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.next_link {
            parts.push(format!("next_link={p}"));
        }
        if let Some(p) = &self.cursor {
            parts.push(format!("cursor={p}"));
        }
        if let Some(p) = &self.cursor_parameter {
            parts.push(format!("cursor_parameter={p}"));
        }
        if let Some(p) = &self.items {
            parts.push(format!("items={p}"));
        }
        parts.join(" ")
    }
}

/// The property names of a JSON pointer, unescaped (`~1` is `/`, `~0` is `~`).
fn segments(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect()
}

/// Makes the result of each operation that a rule matches a page (the first rule that
/// matches); a rule that matches no operation is a warning.
pub fn apply(model: &mut Model, rules: &[PagingRule], diags: &mut Diagnostics) {
    for (n, rule) in rules.iter().enumerate() {
        let mut matched = 0;
        for i in 0..model.path_operations.len() {
            let op = &model.path_operations[i];
            if rule.cursor.is_some() && op.method != HttpMethod::Get {
                continue;
            }
            if op.success().is_some_and(|r| r.page.is_some()) {
                continue;
            }
            let Some((at, id)) = object_result(model, i) else { continue };
            let Some((items, ty)) = matches(model, rule, id) else { continue };
            let response = &mut model.path_operations[i].responses[at];
            response.ty = Some(ty);
            response.page = Some(Paging {
                items,
                next_link: Some(rule.pointer().to_owned()),
                cursor_parameter: rule.cursor_parameter.clone(),
            });
            matched += 1;
        }
        if matched == 0 && !model.path_operations.is_empty() {
            let message = format!(
                "paging rule {} ({}) matches no operation's result: none is an object with that property{}",
                n + 1,
                rule.describe(),
                if rule.items.is_some() { " and those items" } else { " and one array property" }
            );
            diags.warning(Code::UnusedPagingRule, None, message);
        }
    }
}

/// The items property and its type, when `rule` matches results of type `id`: its pointer
/// leads through object properties to a string (a cursor: or an integer), and the items property (named, or the
/// only array property) is an array.
fn matches(model: &Model, rule: &PagingRule, id: TypeId) -> Option<(String, TypeRef)> {
    let path = segments(rule.pointer());
    let mut ty = id;
    for (i, name) in path.iter().enumerate() {
        let property = model.property_of(ty, name)?;
        let last = i + 1 == path.len();
        match (property.ty, last) {
            // A next link is a string; a cursor a string or an integer.
            (TypeRef { map: false, collection: false, target: Target::Primitive(p) }, true)
                if p == Primitive::String || (rule.cursor.is_some() && p.is_integer()) => {}
            (TypeRef { map: false, collection: false, target: Target::Named(next) }, false)
                if model.structured(next).is_some() =>
            {
                ty = next
            }
            _ => return None,
        }
    }
    array_property(model, id, rule.items.as_deref())
}

/// The successful response of path operation `i` when its type is one object: the
/// response's index and the type.
pub(crate) fn object_result(model: &Model, i: usize) -> Option<(usize, TypeId)> {
    let op = &model.path_operations[i];
    let success = op.success()?;
    let at = op.responses.iter().position(|r| std::ptr::eq(r, success))?;
    match success.ty {
        Some(TypeRef { map: false, collection: false, target: Target::Named(id) }) => Some((at, id)),
        _ => None,
    }
}

/// The array property of structured type `id` (or a base) named `name`, or without a name
/// its only one; with its type.
pub(crate) fn array_property(model: &Model, id: TypeId, name: Option<&str>) -> Option<(String, TypeRef)> {
    let arrays: Vec<(String, TypeRef)> = model
        .ancestors(id)
        .into_iter()
        .filter_map(|t| model.structured(t))
        .flat_map(|s| s.properties.iter())
        .filter(|p| p.ty.collection && p.navigation.is_none())
        .map(|p| (p.name.clone(), p.ty))
        .collect();
    match name {
        Some(name) => arrays.into_iter().find(|(n, _)| n == name),
        None if arrays.len() == 1 => arrays.into_iter().next(),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Builder;

    const DOCUMENT: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema:
                type: object
                properties:
                  things: {type: array, items: {type: string}}
                  meta:
                    type: object
                    properties:
                      next: {type: string}
                      more: {type: boolean}
  /other:
    post:
      operationId: postOther
      responses:
        '200':
          description: Not a page.
          content:
            application/json:
              schema: {type: object, properties: {a: {type: array, items: {type: string}}, b: {type: array, items: {type: string}}}}
"#;

    fn model_with(rules: &[PagingRule]) -> Result<(Model, Diagnostics), crate::Error> {
        let mut builder = Builder::new().input_text("api.yaml", DOCUMENT);
        for rule in rules {
            builder = builder.paging(rule.clone());
        }
        builder.selected_model()
    }

    #[test]
    fn a_rule_makes_a_result_with_its_pointer_and_one_array_a_page_of_the_array_items() {
        let (model, diags) = model_with(&[PagingRule::next_link("/meta/next")]).unwrap();
        let list = &model.path_operations[0];
        let page = list.success().and_then(|r| r.page.as_ref()).expect("paged");
        assert_eq!((page.items.as_str(), page.next_link.as_deref()), ("things", Some("/meta/next")));
        assert!(list.success().and_then(|r| r.ty).is_some_and(|t| t.collection));
        assert!(model.path_operations[1].success().and_then(|r| r.page.as_ref()).is_none());
        assert!(diags.iter().all(|d| d.code != Code::UnusedPagingRule));
    }

    #[test]
    fn a_rule_that_matches_nothing_is_a_warning_and_a_cursor_rule_applies_to_gets_only() {
        // `/other` has two arrays: without `items` it is not a page; with it, it is a POST.
        let (model, diags) =
            model_with(&[PagingRule::next_link("/absent"), PagingRule::cursor("/meta/next", "c").items("a")])
                .unwrap();
        let unused: Vec<String> =
            diags.iter().filter(|d| d.code == Code::UnusedPagingRule).map(|d| d.message.clone()).collect();
        assert_eq!(unused.len(), 2, "{unused:?}");
        assert!(unused[0].contains("paging rule 1 (next_link=/absent)"), "{unused:?}");
        assert!(
            unused[1].contains("paging rule 2 (cursor=/meta/next cursor_parameter=c items=a)"),
            "{unused:?}"
        );
        let page = model.path_operations[0].success().and_then(|r| r.page.as_ref());
        assert!(page.is_none(), "`things` is not named `a`");
    }

    #[test]
    fn a_next_link_must_be_a_string() {
        let (model, diags) = model_with(&[PagingRule::next_link("/meta/more")]).unwrap();
        assert!(model.path_operations[0].success().and_then(|r| r.page.as_ref()).is_none());
        assert!(diags.iter().any(|d| d.code == Code::UnusedPagingRule));
    }

    #[test]
    fn invalid_rules_are_errors_that_say_why() {
        let cases = [
            (PagingRule::default(), "needs `next_link` or `cursor`"),
            (PagingRule { cursor: Some("/c".into()), ..PagingRule::default() }, "needs `cursor_parameter`"),
            (
                PagingRule {
                    next_link: Some("/n".into()),
                    cursor: Some("/c".into()),
                    ..PagingRule::default()
                },
                "not both",
            ),
            (PagingRule::next_link("meta.next"), "not a JSON pointer"),
            (PagingRule::next_link("/meta//next"), "an empty property"),
            (PagingRule::cursor("/c", ""), "`cursor_parameter` is empty"),
        ];
        for (rule, why) in cases {
            let error = model_with(std::slice::from_ref(&rule))
                .expect_err(&format!("{rule:?} is refused"))
                .to_string();
            assert!(error.contains("E0604") && error.contains(why), "{rule:?}: {error}");
        }
    }
}
