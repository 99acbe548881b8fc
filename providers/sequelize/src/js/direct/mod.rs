//! The direct reader: the declarations of a model file read straight from its tokens, without
//! building a syntax tree. tree-sitter's parse is most of the time of reading a project, while
//! model files use a small, regular part of JavaScript and TypeScript.
//!
//! It gives exactly the `Declarations` the tree-sitter reader (`decl.rs`, `value.rs`) gives —
//! same values, same positions, same order — or nothing: any construct outside that part
//! (control flow statements, operators it does not know, regular expressions, template
//! substitutions, generics in expressions, compiled enums, default parameters…) makes it
//! return `None`, and the file is parsed by tree-sitter, which also reports syntax errors.

mod class;
mod expr;
mod lexer;
mod statement;

use super::{Call, Calls, Declarations, Expr, Pos, Value};
use lexer::{Tok, Token};

/// The declarations of `text` for a reader collecting `calls`, or `None` when the file needs
/// tree-sitter. `typescript`: the file is TypeScript (type annotations are allowed).
pub fn declarations(text: &str, typescript: bool, calls: Calls) -> Option<Declarations> {
    let tokens = lexer::tokens(text)?;
    let mut reader = Reader {
        text,
        tokens: &tokens,
        i: 0,
        lines: line_starts(text),
        calls,
        typescript,
        quiet: 0,
        d: Declarations::default(),
    };
    while reader.i < tokens.len() {
        reader.statement(true, true)?;
    }
    let mut d = reader.d;
    // Class expressions nothing named are not classes the tree-sitter reader reports.
    d.classes.retain(|c| !c.name.is_empty());
    d.apply_compiled_decorators();
    Some(d)
}

/// The byte offset of each line's start.
fn line_starts(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    out.extend(
        text.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1),
    );
    out
}

/// Reader walks the tokens, recording declarations as the tree-sitter walk would.
struct Reader<'t> {
    text: &'t str,
    tokens: &'t [Token],
    i: usize,
    lines: Vec<usize>,
    calls: Calls,
    typescript: bool,
    /// Above 0 where the tree-sitter walk does not look (with `Calls::OfClasses`: class bodies
    /// and the arguments of collected calls; enum bodies): nothing is recorded.
    quiet: u32,
    d: Declarations,
}

/// Site is what a parsed expression node is, for the assignments around it: the collected
/// call or the class it is (through parentheses, `as` and `await`: `bind`), and the class a
/// chain of plain assignments ends in (`alias`).
#[derive(Clone, Copy, Default)]
struct Site {
    bind: Option<Target>,
    alias: Option<usize>,
}

#[derive(Clone, Copy)]
enum Target {
    Call(usize),
    Class(usize),
}

/// Shape is what an assignment target is: its binding name comes from a member's property,
/// and only plain names are aliases.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Name,
    Member { property: usize },
    Other,
}

/// Node is a parsed expression: its value, bytes, shape and site.
struct Node {
    expr: Expr,
    start: usize,
    end: usize,
    shape: Shape,
    site: Site,
}

impl<'t> Reader<'t> {
    fn pos(&self, byte: usize) -> Pos {
        let line = self.lines.partition_point(|&s| s <= byte);
        Pos {
            line,
            column: byte - self.lines[line - 1] + 1,
        }
    }

    fn peek(&self, ahead: usize) -> Option<&'t Token> {
        self.tokens.get(self.i + ahead)
    }

    fn text_of(&self, t: &Token) -> &'t str {
        &self.text[t.start..t.end]
    }

    /// True when the token `ahead` is the punctuator or name `s`.
    fn is(&self, ahead: usize, s: &str) -> bool {
        self.peek(ahead)
            .is_some_and(|t| matches!(t.tok, Tok::Punct | Tok::Name) && self.text_of(t) == s)
    }

    fn is_name(&self, ahead: usize) -> bool {
        self.peek(ahead).is_some_and(|t| t.tok == Tok::Name)
    }

    /// The next token, consumed.
    fn next(&mut self) -> Option<&'t Token> {
        let t = self.tokens.get(self.i)?;
        self.i += 1;
        Some(t)
    }

    /// Consume `s`, or give up.
    fn expect(&mut self, s: &str) -> Option<&'t Token> {
        self.is(0, s).then(|| self.next())?
    }

    /// The end byte of the last consumed token.
    fn last_end(&self) -> usize {
        self.tokens[self.i - 1].end
    }

    /// Skip a balanced run of tokens up to (not including) one of `stops` at depth 0, for
    /// types and patterns the reader keeps as text. Gives up on an unbalanced bracket.
    fn skip_until(&mut self, stops: &[&str]) -> Option<()> {
        let mut depth = 0usize;
        loop {
            let t = self.peek(0)?;
            let s = self.text_of(t);
            if t.tok == Tok::Punct {
                if depth == 0 && stops.contains(&s) {
                    return Some(());
                }
                match s {
                    "(" | "[" | "{" | "<" => depth += 1,
                    ")" | "]" | "}" | ">" => depth = depth.checked_sub(1)?,
                    _ => {}
                }
            } else if depth == 0 && stops.contains(&s) && t.tok == Tok::Name {
                return Some(());
            }
            self.i += 1;
        }
    }

    /// Record `call` at `slot` (its place in document order, before the calls of its
    /// arguments' function bodies).
    fn record_call(&mut self, slot: usize, call: Call) -> usize {
        self.d.calls.insert(slot, call);
        slot
    }

    /// Bind the call or class at `site` to `name`, as `binding` does in the tree-sitter reader.
    fn bind(&mut self, site: Site, name: &str) {
        match site.bind {
            Some(Target::Call(i)) => self.d.calls[i].bound_to = Some(name.to_string()),
            Some(Target::Class(i)) if self.d.classes[i].name.is_empty() => {
                self.d.classes[i].name = name.to_string()
            }
            _ => {}
        }
    }

    /// The binding name of assignment target `left`: a member's property, else its text.
    fn target_name(&self, left: &Node) -> &'t str {
        match left.shape {
            Shape::Member { property } => {
                let t = &self.tokens[property];
                self.text_of(t)
            }
            _ => &self.text[left.start..left.end],
        }
    }

    /// `left = right` was read: bind and alias `right`'s site; the site of the assignment.
    fn assigned(&mut self, left: &Node, right: Site) -> Site {
        self.bind(right, self.target_name(left));
        if let Some(class) = right.alias
            && left.shape == Shape::Name
        {
            let name = self.text[left.start..left.end].to_string();
            self.d.classes[class].aliases.push(name);
        }
        Site {
            bind: None,
            alias: right.alias,
        }
    }

    fn expr_at(&self, value: Value, start: usize) -> Expr {
        Expr {
            value,
            pos: self.pos(start),
        }
    }
}

#[cfg(test)]
mod tests;
