//! The direct reader against tree-sitter's, on every fixture and example file.

use crate::js::{Calls, Declarations, Source, direct};
use std::path::{Path, PathBuf};

/// Both readers' declarations of `path`, as debug text; the direct one `None` when declined.
fn both(path: &Path, calls: Calls) -> (Option<String>, String) {
    let text = std::fs::read_to_string(path).expect("read");
    let direct = direct::declarations(&text, Source::is_typescript(path), calls)
        .map(|d| format!("{:#?}", (d.calls, d.classes, d.enums)));
    let src = Source::parse_for(path, text, calls).expect("parse");
    let d = Declarations::collect(&src, calls);
    (direct, format!("{:#?}", (d.calls, d.classes, d.enums)))
}

fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in [
        "tests/fixtures/sequelize",
        "tests/fixtures/typeorm",
        "examples/sequelize",
        "examples/typeorm",
    ] {
        out.extend(crate::js::model_files(&root.join(dir)));
    }
    out
}

#[test]
fn fixture_and_example_files_read_the_same() {
    let mut direct = 0;
    let files = files();
    for path in &files {
        for calls in [Calls::All, Calls::OfClasses] {
            let (fast, tree) = both(path, calls);
            if let Some(fast) = fast {
                assert_eq!(fast, tree, "{} ({calls:?})", path.display());
                direct += 1;
            } else {
                eprintln!("declined: {} ({calls:?})", path.display());
            }
        }
    }
    eprintln!("direct: {direct} of {}", files.len() * 2);
    // Every model file but the compiled `dist` ones (their helpers use control flow) and the
    // scripts beside the fixtures: the share must not silently drop.
    assert!(direct >= 88, "only {direct} read directly");
}

/// The direct reading of `text` (as a `.ts` file when `typescript`), checked against
/// tree-sitter's for both kinds of reader: `false` when declined, a failed assertion when the
/// two differ or when tree-sitter finds a syntax error in a file the direct reader accepted.
fn agree(text: &str, typescript: bool) -> bool {
    let path = Path::new(if typescript {
        "snippet.ts"
    } else {
        "snippet.js"
    });
    let mut read = false;
    for calls in [Calls::All, Calls::OfClasses] {
        let Some(fast) = direct::declarations(text, typescript, calls) else {
            continue;
        };
        read = true;
        let src = Source::parse_for(path, text.to_string(), calls).unwrap_or_else(|e| {
            panic!("direct reader accepted ({calls:?}):\n{text}\ntree-sitter: {e}")
        });
        let d = Declarations::collect(&src, calls);
        assert_eq!(
            format!("{:#?}", (fast.calls, fast.classes, fast.enums)),
            format!("{:#?}", (d.calls, d.classes, d.enums)),
            "({calls:?}) for:\n{text}"
        );
    }
    read
}

/// Constructs outside what the direct reader reads: each must be declined (tree-sitter reads
/// the file), in TypeScript and in JavaScript.
const DECLINED: &[&str] = &[
    // Regular expressions and divisions: telling them apart needs the grammar.
    "const re = /a+/g;\n",
    "const half = a / 2;\n",
    // JSX.
    "const el = <div>{x}</div>;\n",
    // Template substitutions, tagged templates.
    "const s = `a${b}`;\n",
    "const s = tag`a`;\n",
    // Default exports of classes and functions.
    "export default class A extends Model {}\n",
    "export default function f() {}\n",
    // Escapes whose value the direct reader does not compute.
    "const s = '\\x41';\n",
    "const s = '\\u0041';\n",
    "const s = '\\101';\n",
    "const s = 'a\\\nb';\n",
    // Default, rest and pattern parameters.
    "function f(a = 1) {}\n",
    "const f = (...a) => a;\n",
    "const f = ({ a }) => a;\n",
    "const { a = 1 } = b;\n",
    // Control flow, as compiled output has it.
    "if (a) { b(); }\n",
    "for (const a of b) {}\n",
    "try { a(); } catch (e) {}\n",
    "function f() { return a ? b : c; } while (x) {}\n",
    "var __decorate = (this && this.__decorate) || function () { throw 1; };\n",
    // Operators it does not know, generics in expressions, private names.
    "a++;\n",
    "a += 1;\n",
    "const b = a << 2;\n",
    "class A { #x = 1; }\n",
    "class A<T> extends B {}\n",
    "import('./a');\n",
    // Syntax errors.
    "import { A } fro 'a';\n",
    "import A, B from 'a';\n",
    "const [a b] = c;\n",
    "const a = (1;\n",
    "f(a b);\n",
];

/// TypeScript-only constructs the direct reader declines.
const DECLINED_TS: &[&str] = &[
    "enum E { A = 1 << 2 }\n",
    "const b = a > 2 ? a : 2;\n",
    "interface I { a: string }\n",
    "type T = string;\n",
    "declare module 'm' {}\n",
    "namespace N {}\n",
    "const a = f<string>(1);\n",
    "class A { a: Record<string, typeo B>; }\n",
    "class A { static\n  a: string; }\n",
    "class A { m(x): x is string { return true; } }\n",
    "class A { m(true) {} }\n",
    "export\ndefault (s: S) => s;\n",
    "const a = b\n  as T;\n",
];

#[test]
fn unread_constructs_are_declined() {
    for text in DECLINED {
        for typescript in [false, true] {
            for calls in [Calls::All, Calls::OfClasses] {
                assert!(
                    direct::declarations(text, typescript, calls).is_none(),
                    "read directly (typescript: {typescript}):\n{text}"
                );
            }
        }
    }
    for text in DECLINED_TS {
        for calls in [Calls::All, Calls::OfClasses] {
            assert!(
                direct::declarations(text, true, calls).is_none(),
                "read directly:\n{text}"
            );
        }
    }
}

/// Constructs no fixture file has, read directly and exactly as tree-sitter reads them.
const ACCEPTED_TS: &[&str] = &[
    // Generics in heritage clauses, `implements`, abstract classes.
    "@Entity()\nexport class A extends Base<A, Map<string, number>> implements I<A>, J {\n  @Column() a!: string;\n}\n",
    "export abstract class B {}\n",
    "abstract class C extends Model<InferAttributes<C>, InferCreationAttributes<C>> {\n  declare id: CreationOptional<number>;\n}\n",
    // Arrow functions: expression and block bodies, typed parameters, async.
    "@Entity()\nclass D {\n  @ManyToOne(() => E, (e: E) => e.ds, { onDelete: \"CASCADE\" })\n  e?: E;\n  @OneToMany(async () => { return F; }, f => f.d)\n  fs: F[];\n}\n",
    // Nested objects and arrays, `as` casts, `satisfies`, non-null assertions.
    "@Entity({ name: \"g\", orderBy: { a: \"ASC\", b: { c: [1, [2, 3], {}] } } } as EntityOptions)\nclass G {\n  @Column({ type: \"enum\", enum: [\"a\", \"b\"] as const, default: x!.y }) a: \"a\" | \"b\";\n  @Column({ transformer: t satisfies T }) b: Record<string, Array<{ c: number }>>;\n}\n",
    // Numeric literal forms.
    "@Entity()\nclass H {\n  @Column({ precision: 0x1F, scale: 1_000, length: 1e3, width: .5, b: 10n, c: 0o7, d: 0b1, e: -2.5E-3, f: +1, g: !0 })\n  a: number;\n}\n",
    // Comments in odd places.
    "/** doc */\n@Entity(/* name */ \"i\") // why\nclass /* c */ I /* d */ extends /* e */ Base {\n  @Column(/* a */ { /* b */ type: /* c */ \"int\" /* d */, } /* e */) // f\n  /* g */ a /* h */ ?: /* i */ number /* j */;\n}\n",
    // Enums, string keys, computed-free objects, escapes it resolves.
    "export enum Role { Admin = \"admin\", \"User\" = 'us\\'er', Guest }\nconst enum N { A = 1, B, C = -3 }\n",
    "@Entity()\nclass J {\n  @Column({ comment: \"tab\\there \\\"q\\\" \\\\ \\n\", default: () => \"'x'\", name: `plain` }) a: string;\n  static m(a: number, b?: string): void {}\n  get n(): number { return 1; }\n}\n",
    // Methods, overloads, modifiers, fields with initialisers.
    "class K extends Model {\n  public static readonly x = 1;\n  private y?: number = f(1, ...rest);\n  protected async z(a: T): Promise<void> { await a.save(); }\n  over(a: string): void;\n  over(a: any) {}\n}\n",
];

/// JavaScript snippets, as Sequelize's `define` and `init` models are written.
const ACCEPTED_JS: &[&str] = &[
    "module.exports = (sequelize, DataTypes) => {\n  const A = sequelize.define('a', {\n    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },\n    b: { type: DataTypes.DECIMAL(10, 2), defaultValue: -0.5, validate: { min: [0], is: ['a', 'b'] } },\n  }, { tableName: 'as', indexes: [{ unique: true, fields: ['b'] }] });\n  A.associate = function (models) { A.hasMany(models.B, { as: 'bs' }); };\n  return A;\n};\n",
    "const { Model, DataTypes } = require('sequelize');\nclass C extends Model {\n  static associate(models) { this.belongsTo(models.D); }\n}\nC.init({ e: DataTypes.STRING /* inline */ }, { sequelize, modelName: 'c' });\nmodule.exports = C;\n",
    "exports.X = X = sequelize.define(\"x\", { y: { type: Sequelize.ENUM(\"a\", \"b\"), get() { return 1; } } });\n",
    // Options after a call, and properties of other values.
    "sequelize.define('z', { a: DataTypes.STRING(20).BINARY, b: { type: DataTypes.INTEGER(11).UNSIGNED.ZEROFILL }, c: f().g, d: [1][0].h, e: (a || b).c });\n",
];

#[test]
fn unusual_accepted_constructs_agree() {
    for (texts, typescript) in [(ACCEPTED_TS, true), (ACCEPTED_JS, false)] {
        for text in texts {
            assert!(agree(text, typescript), "declined:\n{text}");
            // Windows line ends: columns still count bytes.
            let crlf = text.replace('\n', "\r\n");
            assert!(agree(&crlf, typescript), "declined with CRLF:\n{text}");
        }
    }
}

/// Damaged files (a byte cut out) are declined or read exactly as tree-sitter reads them: the
/// direct reader never accepts a syntax error. Every 17th byte: each file is cut in every kind
/// of token, and the test stays a few seconds long in a debug build.
#[test]
fn damaged_files_are_declined_or_agree() {
    for path in files() {
        let text = std::fs::read_to_string(&path).expect("read");
        let typescript = Source::is_typescript(&path);
        for at in (0..text.len())
            .step_by(17)
            .filter(|&i| text.is_char_boundary(i) && text.is_char_boundary(i + 1))
        {
            agree(&format!("{}{}", &text[..at], &text[at + 1..]), typescript);
        }
    }
}

/// Comments between tokens (every 7th token boundary, a block or a line comment in turn) are
/// read where tree-sitter places them, or declined.
#[test]
fn comments_between_tokens_are_declined_or_agree() {
    for path in files() {
        let text = std::fs::read_to_string(&path).expect("read");
        let typescript = Source::is_typescript(&path);
        let b = text.as_bytes();
        let boundaries = (1..text.len()).filter(|&i| {
            text.is_char_boundary(i)
                && (b[i - 1].is_ascii_whitespace() != b[i].is_ascii_whitespace()
                    || b[i - 1].is_ascii_punctuation())
        });
        for (n, at) in boundaries.step_by(7).enumerate() {
            let comment = if n % 2 == 0 { "/* c */" } else { "// c\n" };
            agree(
                &format!("{}{comment}{}", &text[..at], &text[at..]),
                typescript,
            );
        }
    }
}
