//! Reading a Go package with tree-sitter: the declarations GORM's schema parser would see
//! through reflection — struct types with their fields and tags, other named types and aliases,
//! imports, and the bodies of `TableName`, `GormDataType` and `GormDBDataType` methods when they
//! return literals. Nothing is evaluated; everything keeps its location for diagnostics.

use crate::tag::Settings;
use std::collections::HashMap;
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use strata_schema::syntax::{self, first_error};
use strata_schema::{Location, SourceError};
use tree_sitter::{Language, Node, Parser};

/// A Go type expression as written, with package qualifiers resolved to import paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoType {
    /// `Name` (package-local or builtin when `package` is `None`) or `pkg.Name`, by import path.
    Named {
        package: Option<String>,
        name: String,
    },
    Pointer(Box<GoType>),
    Slice(Box<GoType>),
    /// Fixed-size array, map, channel, function, interface or an inline struct.
    Other(String),
}

/// One field of a struct; an embedded (anonymous) field has no name.
#[derive(Debug, Clone)]
pub struct FieldDecl {
    pub name: Option<String>,
    pub ty: GoType,
    /// The value of the `gorm:"…"` key of the struct tag, if any.
    pub gorm_tag: Option<String>,
    /// `gorm_tag` parsed once here (on the parser threads): model selection, fields and
    /// relations all consult it.
    pub settings: Settings,
    pub at: Location,
}

/// A struct type declaration.
#[derive(Debug, Clone)]
pub struct StructDecl {
    pub name: String,
    pub fields: Vec<FieldDecl>,
    pub at: Location,
}

/// A named non-struct type: `type Status string` (a defined type) or `type ID = uint` (an alias).
#[derive(Debug, Clone)]
pub struct NamedDecl {
    pub underlying: GoType,
}

/// What `GormDBDataType` returns: one literal, or a literal per dialect name when the body is a
/// `switch db.Dialector.Name()` over string cases.
#[derive(Debug, Clone, Default)]
pub struct DbDataType {
    pub any: Option<String>,
    pub by_dialect: HashMap<String, String>,
}

/// Everything read from the package's files.
#[derive(Debug, Default)]
pub struct Package {
    /// Structs in file and declaration order.
    pub structs: Vec<StructDecl>,
    /// Position in `structs` by name.
    struct_index: HashMap<String, usize>,
    pub named: HashMap<String, NamedDecl>,
    /// `TableName()` literal per receiver type.
    pub table_names: HashMap<String, String>,
    /// `GormDataType()` literal per receiver type.
    pub gorm_data_types: HashMap<String, String>,
    pub gorm_db_data_types: HashMap<String, DbDataType>,
    /// Types with a `Value()` method (driver.Valuer), which GORM reads as their first field.
    pub valuers: Vec<String>,
}

impl Package {
    /// Append `other`'s declarations after this package's.
    fn merge(&mut self, other: Package) {
        for s in other.structs {
            self.struct_index.insert(s.name.clone(), self.structs.len());
            self.structs.push(s);
        }
        self.named.extend(other.named);
        self.table_names.extend(other.table_names);
        self.gorm_data_types.extend(other.gorm_data_types);
        self.gorm_db_data_types.extend(other.gorm_db_data_types);
        self.valuers.extend(other.valuers);
    }

    pub fn find_struct(&self, name: &str) -> Option<&StructDecl> {
        self.struct_index.get(name).map(|&i| &self.structs[i])
    }
}

/// The import path GORM v2 lives at; a folder of files importing it is a GORM model package.
pub const GORM_IMPORT: &str = "gorm.io/gorm";

/// The `.go` files of a folder (tests excluded) in name order, or the file itself.
pub fn go_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        name.ends_with(".go") && !name.ends_with("_test.go")
    });
    files.sort();
    files
}

/// Read and parse every file into one package. Files are parsed on all available cores (a
/// parser per thread) and merged in file order, so the result does not depend on timing.
pub fn read_package(files: &[PathBuf]) -> Result<Package, SourceError> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(files.len().max(1));
    let chunk = files.len().div_ceil(threads).max(1);
    let parsed: Vec<Result<Package, SourceError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || read_files(part)))
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join().unwrap_or_else(|_| {
                    Err(SourceError {
                        location: at(Path::new("."), 1, 1),
                        message: "a Go parser thread failed".into(),
                        help: None,
                    })
                })
            })
            .collect()
    });
    let mut package = Package::default();
    for part in parsed {
        package.merge(part?);
    }
    Ok(package)
}

/// The Go grammar's field ids the reader asks for, resolved once: looking a field up by name
/// string-compares against every field name of the grammar on each call.
struct FieldIds {
    name: NonZeroU16,
    ty: NonZeroU16,
    tag: NonZeroU16,
    path: NonZeroU16,
    package: NonZeroU16,
    element: NonZeroU16,
    receiver: NonZeroU16,
    body: NonZeroU16,
    value: NonZeroU16,
}

fn go_language() -> Language {
    tree_sitter_go::LANGUAGE.into()
}

fn field_ids() -> &'static FieldIds {
    static IDS: OnceLock<FieldIds> = OnceLock::new();
    IDS.get_or_init(|| {
        let language = go_language();
        let id = |name: &str| {
            language
                .field_id_for_name(name)
                .unwrap_or_else(|| panic!("the Go grammar has no field `{name}`"))
        };
        FieldIds {
            name: id("name"),
            ty: id("type"),
            tag: id("tag"),
            path: id("path"),
            package: id("package"),
            element: id("element"),
            receiver: id("receiver"),
            body: id("body"),
            value: id("value"),
        }
    })
}

/// Whether a file can declare anything the reader collects: a type, or a method GORM calls.
/// A cheap text test that spares parsing the package's other files (handlers, repositories).
fn may_declare_models(text: &str) -> bool {
    text.contains("type ")
        || ["TableName", "GormDataType", "GormDBDataType", "Value("]
            .iter()
            .any(|m| text.contains(m))
}

fn read_files(files: &[PathBuf]) -> Result<Package, SourceError> {
    let mut package = Package::default();
    let Some(first) = files.first() else {
        return Ok(package);
    };
    let mut parser = Parser::new();
    parser
        .set_language(&go_language())
        .map_err(|e| SourceError {
            location: at(first, 1, 1),
            message: format!("the Go grammar cannot be loaded: {e}"),
            help: None,
        })?;
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| SourceError {
            location: at(file, 1, 1),
            message: format!("cannot read: {e}"),
            help: None,
        })?;
        if !may_declare_models(&text) {
            continue;
        }
        let tree = parser.parse(&text, None).ok_or_else(|| SourceError {
            location: at(file, 1, 1),
            message: "the Go parser gave up on this file".into(),
            help: None,
        })?;
        let mut reader = FileReader {
            file,
            src: text.as_bytes(),
            imports: HashMap::new(),
        };
        reader.read(tree.root_node(), &mut package)?;
    }
    Ok(package)
}

fn at(file: &Path, line: usize, column: usize) -> Location {
    Location {
        file: file.to_path_buf(),
        line,
        column,
    }
}

struct FileReader<'a> {
    file: &'a Path,
    src: &'a [u8],
    /// Package name used in this file → import path.
    imports: HashMap<String, String>,
}

impl FileReader<'_> {
    fn text(&self, node: Node) -> &str {
        node.utf8_text(self.src).unwrap_or("")
    }

    fn location(&self, node: Node) -> Location {
        let p = node.start_position();
        at(self.file, p.row + 1, p.column + 1)
    }

    fn read(&mut self, root: Node, package: &mut Package) -> Result<(), SourceError> {
        if let Some(bad) = first_error(root) {
            return Err(SourceError {
                location: self.location(bad),
                message: syntax::describe("Go", bad, self.src),
                help: Some("the models must be valid Go source".into()),
            });
        }
        let mut cursor = root.walk();
        for decl in root.children(&mut cursor) {
            match decl.kind() {
                "import_declaration" => self.imports_of(decl),
                "type_declaration" => self.types_of(decl, package),
                "method_declaration" => self.method(decl, package),
                _ => {}
            }
        }
        Ok(())
    }

    fn imports_of(&mut self, decl: Node) {
        for spec in descendants(decl, "import_spec") {
            let Some(path) = spec.child_by_field_id(field_ids().path.get()) else {
                continue;
            };
            let path = unquote(self.text(path));
            let name = match spec.child_by_field_id(field_ids().name.get()) {
                Some(n) => self.text(n).to_string(),
                None => default_package_name(&path),
            };
            self.imports.insert(name, path);
        }
    }

    fn types_of(&self, decl: Node, package: &mut Package) {
        let ids = field_ids();
        let mut cursor = decl.walk();
        for spec in decl.children(&mut cursor) {
            let (Some(name), Some(ty)) = (
                spec.child_by_field_id(ids.name.get()),
                spec.child_by_field_id(ids.ty.get()),
            ) else {
                continue;
            };
            let name = self.text(name).to_string();
            if spec.kind() == "type_spec" && ty.kind() == "struct_type" {
                package
                    .struct_index
                    .insert(name.clone(), package.structs.len());
                package.structs.push(StructDecl {
                    fields: self.fields(ty),
                    at: self.location(spec),
                    name,
                });
            } else if matches!(spec.kind(), "type_spec" | "type_alias") {
                package.named.insert(
                    name,
                    NamedDecl {
                        underlying: self.go_type(ty),
                    },
                );
            }
        }
    }

    fn fields(&self, struct_type: Node) -> Vec<FieldDecl> {
        let ids = field_ids();
        let mut out = Vec::new();
        let Some(list) = struct_type.named_child(0) else {
            return out;
        };
        let mut list_cursor = list.walk();
        let fields: Vec<Node> = list
            .named_children(&mut list_cursor)
            .filter(|n| n.kind() == "field_declaration")
            .collect();
        for field in fields {
            let Some(ty_node) = field.child_by_field_id(ids.ty.get()) else {
                continue;
            };
            let ty = self.go_type(ty_node);
            let gorm_tag = field
                .child_by_field_id(ids.tag.get())
                .and_then(|t| struct_tag_get(&unquote(self.text(t)), "gorm"));
            let settings = Settings::parse(gorm_tag.as_deref().unwrap_or(""), ';');
            let mut cursor = field.walk();
            let names: Vec<Node> = field.children_by_field_id(ids.name, &mut cursor).collect();
            if names.is_empty() {
                let pointer = (0..field.child_count())
                    .filter_map(|i| field.child(i))
                    .any(|c| c.kind() == "*");
                out.push(FieldDecl {
                    name: None,
                    ty: if pointer {
                        GoType::Pointer(Box::new(ty))
                    } else {
                        ty
                    },
                    gorm_tag,
                    settings,
                    at: self.location(field),
                });
                continue;
            }
            for name in names {
                out.push(FieldDecl {
                    name: Some(self.text(name).to_string()),
                    ty: ty.clone(),
                    gorm_tag: gorm_tag.clone(),
                    settings: settings.clone(),
                    at: self.location(name),
                });
            }
        }
        out
    }

    fn go_type(&self, node: Node) -> GoType {
        let ids = field_ids();
        match node.kind() {
            "type_identifier" => GoType::Named {
                package: None,
                name: self.text(node).to_string(),
            },
            "qualified_type" => {
                let pkg = node
                    .child_by_field_id(ids.package.get())
                    .map(|p| self.text(p))
                    .unwrap_or("");
                let name = node
                    .child_by_field_id(ids.name.get())
                    .map(|n| self.text(n))
                    .unwrap_or("");
                GoType::Named {
                    package: Some(
                        self.imports
                            .get(pkg)
                            .cloned()
                            .unwrap_or_else(|| pkg.to_string()),
                    ),
                    name: name.to_string(),
                }
            }
            // A generic instantiation is read as its generic type: GORM's data-type methods
            // do not depend on the type arguments (datatypes.JSONType[T]).
            "generic_type" => match node.child_by_field_id(ids.ty.get()) {
                Some(t) => self.go_type(t),
                None => GoType::Other(self.text(node).to_string()),
            },
            "pointer_type" => match node.named_child(0) {
                Some(t) => GoType::Pointer(Box::new(self.go_type(t))),
                None => GoType::Other(self.text(node).to_string()),
            },
            "slice_type" => match node.child_by_field_id(ids.element.get()) {
                Some(t) => GoType::Slice(Box::new(self.go_type(t))),
                None => GoType::Other(self.text(node).to_string()),
            },
            "parenthesized_type" => match node.named_child(0) {
                Some(t) => self.go_type(t),
                None => GoType::Other(self.text(node).to_string()),
            },
            _ => GoType::Other(self.text(node).to_string()),
        }
    }

    /// `TableName`, `GormDataType`, `GormDBDataType` returning literals, and `Value` methods.
    fn method(&self, decl: Node, package: &mut Package) {
        let ids = field_ids();
        let (Some(name), Some(receiver)) = (
            decl.child_by_field_id(ids.name.get()),
            decl.child_by_field_id(ids.receiver.get()),
        ) else {
            return;
        };
        let Some(receiver) = descendants(receiver, "type_identifier")
            .first()
            .map(|n| self.text(*n).to_string())
        else {
            return;
        };
        let body = decl.child_by_field_id(ids.body.get());
        match self.text(name) {
            "TableName" => {
                if let Some(lit) = body.and_then(|b| self.single_literal(b)) {
                    package.table_names.insert(receiver, lit);
                }
            }
            "GormDataType" => {
                if let Some(lit) = body.and_then(|b| self.single_literal(b)) {
                    package.gorm_data_types.insert(receiver, lit);
                }
            }
            "GormDBDataType" => {
                if let Some(body) = body {
                    package
                        .gorm_db_data_types
                        .insert(receiver, self.db_data_type(body));
                }
            }
            "Value" => package.valuers.push(receiver),
            _ => {}
        }
    }

    /// The string literal a body returns, when every return statement returns the same one.
    fn single_literal(&self, body: Node) -> Option<String> {
        let returns = descendants(body, "return_statement");
        let mut values = returns.iter().map(|r| self.returned_literal(*r));
        let first = values.next()??;
        values.all(|v| v.as_ref() == Some(&first)).then_some(first)
    }

    fn returned_literal(&self, ret: Node) -> Option<String> {
        let list = ret.named_child(0)?;
        let value = if list.kind() == "expression_list" {
            list.named_child(0)?
        } else {
            list
        };
        matches!(
            value.kind(),
            "interpreted_string_literal" | "raw_string_literal"
        )
        .then(|| unquote(self.text(value)))
    }

    /// Literal returns of `GormDBDataType`: per `case "mysql":` of a switch, or one for all.
    fn db_data_type(&self, body: Node) -> DbDataType {
        let mut out = DbDataType::default();
        for case in descendants(body, "expression_case") {
            let Some(ret) = descendants(case, "return_statement").first().copied() else {
                continue;
            };
            let Some(lit) = self.returned_literal(ret) else {
                continue;
            };
            if let Some(values) = case.child_by_field_id(field_ids().value.get()) {
                for v in descendants(values, "interpreted_string_literal") {
                    out.by_dialect.insert(unquote(self.text(v)), lit.clone());
                }
            }
        }
        if out.by_dialect.is_empty() {
            out.any = self.single_literal(body);
        }
        out
    }
}

/// Every node of `kind` under `node`, in document order.
fn descendants<'t>(node: Node<'t>, kind: &str) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == kind {
            out.push(n);
        }
        for i in (0..n.named_child_count()).rev() {
            if let Some(c) = n.named_child(i as u32) {
                stack.push(c);
            }
        }
    }
    out
}

/// The package name an import path gets without an explicit name: its last element, without a
/// major-version suffix (`…/v5`) or a `.v2`-style suffix (`gopkg.in/yaml.v3`).
fn default_package_name(path: &str) -> String {
    let mut parts = path.rsplit('/');
    let last = parts.next().unwrap_or(path);
    let is_major =
        last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit());
    let last = if is_major {
        parts.next().unwrap_or(last)
    } else {
        last
    };
    let last = last.split(".v").next().unwrap_or(last);
    last.replace('-', "_")
}

/// A Go string literal's content: raw strings verbatim, interpreted strings with the common
/// escapes resolved.
pub fn unquote(lit: &str) -> String {
    if let Some(raw) = lit.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
        return raw.to_string();
    }
    let inner = lit
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(lit);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// `reflect.StructTag.Get`: the value of `key` in a conventional `key:"value" …` tag.
pub fn struct_tag_get(tag: &str, key: &str) -> Option<String> {
    let mut rest = tag;
    loop {
        rest = rest.trim_start();
        let colon = rest.find(':')?;
        let name = &rest[..colon];
        let after = &rest[colon + 1..];
        if !after.starts_with('"') || name.contains([' ', '"']) {
            return None;
        }
        let mut end = None;
        let mut escaped = false;
        for (i, c) in after.char_indices().skip(1) {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = Some(i);
                    break;
                }
                _ => escaped = false,
            }
        }
        let end = end?;
        if name == key {
            return Some(unquote(&after[..=end]));
        }
        rest = &after[end + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn struct_tags_are_read_like_reflect() {
        let tag = r#"json:"name,omitempty" gorm:"column:name;size:20" validate:"x""#;
        assert_eq!(
            struct_tag_get(tag, "gorm").as_deref(),
            Some("column:name;size:20")
        );
        assert_eq!(struct_tag_get(tag, "xml"), None);
        assert_eq!(
            struct_tag_get(r#"gorm:"default:'a\"b'""#, "gorm").as_deref(),
            Some("default:'a\"b'")
        );
    }

    #[test]
    fn package_names_of_imports() {
        assert_eq!(default_package_name("gorm.io/gorm"), "gorm");
        assert_eq!(default_package_name("github.com/jackc/pgx/v5"), "pgx");
        assert_eq!(default_package_name("gopkg.in/yaml.v3"), "yaml");
    }
}
