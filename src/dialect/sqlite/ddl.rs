//! A careful scan of the `CREATE TABLE` and `CREATE INDEX` text SQLite keeps in `sqlite_schema`.
//!
//! SQLite's pragmas do not report CHECK constraints, constraint names, AUTOINCREMENT,
//! DEFERRABLE, column collations, generated-column expressions or index expressions; the only
//! place they live is the statement text the table was created with (SQLite stores it verbatim,
//! apart from rewrites on rename). This module reads exactly those facts out of that text and
//! nothing else: columns, types, defaults and key membership come from the pragmas.
//!
//! A scan rather than a full parser, because SQLite accepts far more than any general SQL parser
//! (type names of any number of words, columns without a type, `[bracket]` and backtick quotes)
//! and every table in the file must be readable.

/// Tok is one lexical token of a statement, with its byte span in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An unquoted word: keyword, identifier or number.
    Word,
    /// A quoted identifier (`"x"`, `[x]`, `` `x` ``).
    Quoted,
    /// A string literal.
    Str,
    Open,
    Close,
    Comma,
    /// Any other punctuation or operator character.
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
}

/// TableDdl is what the statement text says beyond what the pragmas report.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TableDdl {
    pub columns: Vec<ColumnDdl>,
    /// `CONSTRAINT name PRIMARY KEY …`, inline or at table level.
    pub pk_name: Option<String>,
    /// CHECK constraints in declaration order: (name or empty, expression text).
    pub checks: Vec<(String, String)>,
    pub foreign_keys: Vec<ForeignKeyDdl>,
    pub without_rowid: bool,
    pub strict: bool,
}

/// ColumnDdl is what a column definition says beyond its type, default and nullability.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ColumnDdl {
    pub name: String,
    pub autoincrement: bool,
    pub collation: Option<String>,
    /// Generated column: (expression text, stored).
    pub generated: Option<(String, bool)>,
}

/// ForeignKeyDdl is a foreign key as written: enough to match it with the pragma's row and
/// add the name and deferral the pragma leaves out.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ForeignKeyDdl {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub deferred: bool,
}

/// IndexDdl is the text of each key of a `CREATE INDEX` (expression keys need it) and its
/// partial-index predicate.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IndexDdl {
    pub keys: Vec<String>,
    pub predicate: Option<String>,
}

fn lex(sql: &str) -> Vec<Tok> {
    let bytes = sql.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let kind = match c {
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = sql[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
                continue;
            }
            b'\'' | b'"' | b'`' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == close {
                        // A doubled quote character is an escaped one, except for brackets.
                        if close != b']' && bytes.get(i + 1) == Some(&close) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i = (i + 1).min(bytes.len());
                if c == b'\'' { Kind::Str } else { Kind::Quoted }
            }
            b'(' => {
                i += 1;
                Kind::Open
            }
            b')' => {
                i += 1;
                Kind::Close
            }
            b',' => {
                i += 1;
                Kind::Comma
            }
            b if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80 => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || matches!(bytes[i], b'_' | b'$' | b'.')
                        || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                Kind::Word
            }
            _ => {
                i += 1;
                Kind::Punct
            }
        };
        toks.push(Tok {
            kind,
            start,
            end: i,
        });
    }
    toks
}

/// Tokens over one statement, with the helpers the two scanners share.
struct Scan<'a> {
    sql: &'a str,
    toks: Vec<Tok>,
}

impl<'a> Scan<'a> {
    fn new(sql: &'a str) -> Scan<'a> {
        Scan {
            sql,
            toks: lex(sql),
        }
    }

    fn text(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| &self.sql[t.start..t.end])
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn is(&self, i: usize, word: &str) -> bool {
        self.kind(i) == Some(Kind::Word) && self.text(i).eq_ignore_ascii_case(word)
    }

    /// The name token at `i`, unquoted.
    fn name(&self, i: usize) -> String {
        let t = self.text(i);
        match self.kind(i) {
            Some(Kind::Quoted | Kind::Str) if t.len() >= 2 => {
                let q = &t[..1];
                let inner = &t[1..t.len() - 1];
                if q == "[" {
                    inner.to_string()
                } else {
                    inner.replace(&q.repeat(2), q)
                }
            }
            _ => t.to_string(),
        }
    }

    /// The index just past the group that opens at `open` (which must be `(`).
    fn skip_group(&self, open: usize) -> usize {
        let mut depth = 0usize;
        for i in open..self.toks.len() {
            match self.toks[i].kind {
                Kind::Open => depth += 1,
                Kind::Close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
        }
        self.toks.len()
    }

    /// The source text of tokens `from..to`, verbatim.
    fn slice(&self, from: usize, to: usize) -> String {
        match (
            self.toks.get(from),
            to.checked_sub(1).and_then(|l| self.toks.get(l)),
        ) {
            (Some(a), Some(b)) if from < to => self.sql[a.start..b.end].to_string(),
            _ => String::new(),
        }
    }

    /// The text inside the group opening at `open`, and the index after it.
    fn group_text(&self, open: usize) -> (String, usize) {
        let end = self.skip_group(open);
        (self.slice(open + 1, end.saturating_sub(1)), end)
    }

    /// Split tokens `from..to` on top-level commas into ranges.
    fn items(&self, from: usize, to: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = from;
        let mut i = from;
        while i < to {
            match self.toks[i].kind {
                Kind::Open => {
                    i = self.skip_group(i);
                    continue;
                }
                Kind::Comma => {
                    out.push((start, i));
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        if start < to {
            out.push((start, to));
        }
        out
    }

    /// Names listed in the group opening at `open`: `(a, "b" COLLATE x DESC)` → `[a, b]`.
    fn name_list(&self, open: usize) -> (Vec<String>, usize) {
        let end = self.skip_group(open);
        let names = self
            .items(open + 1, end.saturating_sub(1))
            .into_iter()
            .map(|(a, _)| self.name(a))
            .collect();
        (names, end)
    }

    fn first_open(&self, from: usize) -> Option<usize> {
        (from..self.toks.len()).find(|&i| self.toks[i].kind == Kind::Open)
    }
}

/// The quoted identifiers in an expression, unquoted.
pub fn quoted_identifiers(sql: &str) -> Vec<String> {
    let scan = Scan::new(sql);
    (0..scan.toks.len())
        .filter(|&i| scan.kind(i) == Some(Kind::Quoted))
        .map(|i| scan.name(i))
        .collect()
}

/// Scan a `CREATE TABLE` statement. Text that is not a CREATE TABLE yields an empty result.
pub fn table(sql: &str) -> TableDdl {
    let scan = Scan::new(sql);
    let mut ddl = TableDdl::default();
    let Some(open) = scan.first_open(0) else {
        return ddl;
    };
    let end = scan.skip_group(open);
    for (from, to) in scan.items(open + 1, end.saturating_sub(1)) {
        let head = from;
        let is_constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
            .iter()
            .any(|w| scan.is(head, w));
        if is_constraint {
            table_constraint(&scan, from, to, &mut ddl);
        } else {
            column(&scan, from, to, &mut ddl);
        }
    }
    for i in end..scan.toks.len() {
        if scan.is(i, "ROWID") {
            ddl.without_rowid = true;
        }
        if scan.is(i, "STRICT") {
            ddl.strict = true;
        }
    }
    ddl
}

fn column(scan: &Scan, from: usize, to: usize, ddl: &mut TableDdl) {
    let name = scan.name(from);
    let mut col = ColumnDdl {
        name: name.clone(),
        ..ColumnDdl::default()
    };
    let mut constraint_name = String::new();
    let mut i = from + 1;
    while i < to {
        if scan.is(i, "CONSTRAINT") {
            constraint_name = scan.name(i + 1);
            i += 2;
            continue;
        }
        if scan.is(i, "PRIMARY") {
            if !constraint_name.is_empty() {
                ddl.pk_name = Some(std::mem::take(&mut constraint_name));
            }
        } else if scan.is(i, "AUTOINCREMENT") {
            col.autoincrement = true;
        } else if scan.is(i, "COLLATE") {
            col.collation = Some(scan.name(i + 1));
            i += 2;
            continue;
        } else if scan.is(i, "DEFAULT") {
            // Skip the default value so that words inside it are not read as constraints.
            i += 1;
            if scan.kind(i) == Some(Kind::Punct) {
                i += 1;
            }
            i = if scan.kind(i) == Some(Kind::Open) {
                scan.skip_group(i)
            } else {
                i + 1
            };
            continue;
        } else if scan.is(i, "CHECK") && scan.kind(i + 1) == Some(Kind::Open) {
            let (expr, next) = scan.group_text(i + 1);
            ddl.checks
                .push((std::mem::take(&mut constraint_name), expr));
            i = next;
            continue;
        } else if scan.is(i, "AS") && scan.kind(i + 1) == Some(Kind::Open) {
            let (expr, next) = scan.group_text(i + 1);
            let stored = scan.is(next, "STORED");
            col.generated = Some((expr, stored));
            i = next;
            continue;
        } else if scan.is(i, "REFERENCES") {
            let (fk, next) = references(scan, i, to, vec![name.clone()]);
            ddl.foreign_keys.push(ForeignKeyDdl {
                name: std::mem::take(&mut constraint_name),
                ..fk
            });
            i = next;
            continue;
        } else if scan.kind(i) == Some(Kind::Open) {
            i = scan.skip_group(i);
            continue;
        }
        i += 1;
    }
    ddl.columns.push(col);
}

fn table_constraint(scan: &Scan, from: usize, to: usize, ddl: &mut TableDdl) {
    let mut name = String::new();
    let mut i = from;
    if scan.is(i, "CONSTRAINT") {
        name = scan.name(i + 1);
        i += 2;
    }
    if scan.is(i, "PRIMARY") {
        ddl.pk_name = Some(name).filter(|n| !n.is_empty());
    } else if scan.is(i, "CHECK") && scan.kind(i + 1) == Some(Kind::Open) {
        ddl.checks.push((name, scan.group_text(i + 1).0));
    } else if scan.is(i, "FOREIGN")
        && let Some(open) = scan.first_open(i).filter(|&o| o < to)
    {
        let (columns, next) = scan.name_list(open);
        if let Some(r) = (next..to).find(|&j| scan.is(j, "REFERENCES")) {
            let (fk, _) = references(scan, r, to, columns);
            ddl.foreign_keys.push(ForeignKeyDdl { name, ..fk });
        }
    }
}

/// Read `REFERENCES t [(cols)] [actions] [DEFERRABLE …]` starting at the REFERENCES token.
/// Stops at `to` or at the next column constraint keyword.
fn references(scan: &Scan, at: usize, to: usize, columns: Vec<String>) -> (ForeignKeyDdl, usize) {
    let ref_table = scan.name(at + 1);
    let mut i = at + 2;
    let mut deferred = false;
    while i < to {
        if [
            "CONSTRAINT",
            "PRIMARY",
            "UNIQUE",
            "CHECK",
            "DEFAULT",
            "COLLATE",
            "REFERENCES",
            "AS",
        ]
        .iter()
        .any(|w| scan.is(i, w))
            || scan.is(i, "NOT") && scan.is(i + 1, "NULL")
            || scan.is(i, "GENERATED")
        {
            break;
        }
        if scan.is(i, "ON") {
            // ON DELETE|UPDATE action: SET NULL and SET DEFAULT hold constraint keywords.
            i += 2;
            i += if scan.is(i, "SET") || scan.is(i, "NO") {
                2
            } else {
                1
            };
            continue;
        }
        if scan.is(i, "NOT") && scan.is(i + 1, "DEFERRABLE") {
            deferred = false;
            i += 2;
            // `NOT DEFERRABLE INITIALLY DEFERRED` is still checked immediately.
            if scan.is(i, "INITIALLY") {
                i += 2;
            }
            continue;
        }
        if scan.is(i, "DEFERRABLE") {
            deferred = scan.is(i + 1, "INITIALLY") && scan.is(i + 2, "DEFERRED");
        }
        if scan.kind(i) == Some(Kind::Open) {
            i = scan.skip_group(i);
            continue;
        }
        i += 1;
    }
    (
        ForeignKeyDdl {
            name: String::new(),
            columns,
            ref_table,
            deferred,
        },
        i,
    )
}

/// Scan a `CREATE INDEX` statement for the text of each key and the WHERE predicate.
pub fn index(sql: &str) -> IndexDdl {
    let scan = Scan::new(sql);
    let mut ddl = IndexDdl::default();
    let Some(on) = (0..scan.toks.len()).find(|&i| scan.is(i, "ON")) else {
        return ddl;
    };
    let Some(open) = scan.first_open(on) else {
        return ddl;
    };
    let end = scan.skip_group(open);
    for (from, mut to) in scan.items(open + 1, end.saturating_sub(1)) {
        if to > from && (scan.is(to - 1, "ASC") || scan.is(to - 1, "DESC")) {
            to -= 1;
        }
        if to >= from + 2 && scan.is(to - 2, "COLLATE") {
            to -= 2;
        }
        ddl.keys.push(scan.slice(from, to));
    }
    if scan.is(end, "WHERE") {
        ddl.predicate = Some(scan.slice(end + 1, scan.toks.len()));
    }
    ddl
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_pragmas_do_not_report() {
        let ddl = table(
            "CREATE TABLE \"t\" (\n  id INTEGER CONSTRAINT pk PRIMARY KEY AUTOINCREMENT,\n  \
             [na,me] TEXT DEFAULT 'a,b' COLLATE NOCASE CHECK (length(\"na,me\") > 0),\n  \
             p INT CONSTRAINT fk_p REFERENCES p (id) ON DELETE SET DEFAULT ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED NOT NULL,\n  \
             g INT GENERATED ALWAYS AS (id * 2) STORED, -- a comment, with a comma\n  \
             v AS (id + 1),\n  \
             CONSTRAINT ck_id CHECK (id > 0),\n  \
             FOREIGN KEY (g, v) REFERENCES q NOT DEFERRABLE INITIALLY DEFERRED\n) STRICT, WITHOUT ROWID",
        );
        assert_eq!(ddl.pk_name.as_deref(), Some("pk"));
        assert!(ddl.columns[0].autoincrement);
        assert_eq!(ddl.columns[1].name, "na,me");
        assert_eq!(ddl.columns[1].collation.as_deref(), Some("NOCASE"));
        assert_eq!(ddl.columns[3].generated, Some(("id * 2".to_string(), true)));
        assert_eq!(
            ddl.columns[4].generated,
            Some(("id + 1".to_string(), false))
        );
        assert_eq!(
            ddl.checks,
            vec![
                (String::new(), "length(\"na,me\") > 0".to_string()),
                ("ck_id".to_string(), "id > 0".to_string())
            ]
        );
        assert_eq!(
            ddl.foreign_keys,
            vec![
                ForeignKeyDdl {
                    name: "fk_p".into(),
                    columns: vec!["p".into()],
                    ref_table: "p".into(),
                    deferred: true
                },
                ForeignKeyDdl {
                    name: String::new(),
                    columns: vec!["g".into(), "v".into()],
                    ref_table: "q".into(),
                    deferred: false
                },
            ]
        );
        assert!(ddl.strict && ddl.without_rowid);
    }

    #[test]
    fn reads_index_keys_and_predicate() {
        let ddl = index(
            "CREATE UNIQUE INDEX \"i\" ON t (lower(a) DESC, b COLLATE NOCASE ASC, (a + b)) WHERE b > 1 AND a IS NOT NULL",
        );
        assert_eq!(ddl.keys, vec!["lower(a)", "b", "(a + b)"]);
        assert_eq!(ddl.predicate.as_deref(), Some("b > 1 AND a IS NOT NULL"));
    }
}
