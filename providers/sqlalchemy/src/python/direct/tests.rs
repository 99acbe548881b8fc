use super::read;
use crate::python::ast::Stmt;
use crate::python::parse::{parse_tree, python_parser};
use crate::python::python_files;
use std::path::Path;

fn tree(text: &str) -> Vec<Stmt> {
    let mut parser = python_parser().expect("grammar");
    parse_tree(&mut parser, text).expect("valid Python")
}

/// Read directly, and the same as tree-sitter's reading.
fn same(text: &str) {
    let direct = read(text).unwrap_or_else(|| panic!("not read directly:\n{text}"));
    assert_eq!(direct, tree(text), "for:\n{text}");
}

#[test]
fn models_read_directly_are_what_tree_sitter_reads() {
    same(concat!(
        "\"\"\"Docs.\"\"\"\nfrom __future__ import annotations\nimport enum, os.path as p\n",
        "from base import *\nfrom .a import (b as c,  # why\n    d,\n)\n\n",
        "class State(enum.Enum):\n    NEW = 'new'\n    pass\n\n",
        "@reg.mapped\nclass M(Stamped, Base, metaclass=Meta):\n",
        "    __tablename__ = \"t\"\n",
        "    __table_args__ = (UniqueConstraint(\"a\", name=\"uq\"), {\"comment\": 'x' \"y\"},)\n",
        "    id: Mapped[int] = mapped_column(primary_key=True)\n",
        "    n: Mapped[Optional[datetime.datetime]] = mapped_column(\n",
        "        Numeric(10, 2),  # precision\n        server_default=func.now(), default=-1.5,\n    )\n",
        "    s: Mapped[str | None] = mapped_column(String(20), info={})\n",
        "    q = Q(a__gte=0) & ~Q(b=None) | Q(c=(1, 2)) \n    a = b = [1, -2, r'\\d', f'{x}']\n",
        "    t: 'M'\n    type = models.CharField(max_length=10)\n",
        "    p = (a).b | (c) & (-d)\n    r = (f)(1)[(2)]\n",
        "    class Meta:\n        ordering = ['-id']\n",
    ));
}

#[test]
fn string_escapes_are_decoded_alike() {
    same("c = Column(comment='it\\'s a \\\"tab\\\"\\t', info=r'\\d', doc=\"\"\"a\\\nb\"\"\")\n");
    let Some(stmts) = read("c = 'a\\nb' r'a\\nb'\n") else {
        panic!("not read directly");
    };
    assert!(
        format!("{stmts:?}").contains(r#"Str("a\nba\\nb")"#),
        "{stmts:?}"
    );
}

#[test]
fn def_and_control_flow_bodies_give_their_calls() {
    same(concat!(
        "class M(Base):\n    @declared_attr\n    def x(cls, a=f(1)) -> Dict[str, int]:\n",
        "        if a:\n            return Column(g(a).h(b))\n        class N(P):\n",
        "            pass\n        return f\"{cls.name!r:>10}\"\n\n",
        "    async def y(self): await z()\n\n",
        "if TYPE_CHECKING:\n    from x import Y\nelif other(): pass\nelse:\n    Y = make()\n",
        "try:\n    import a\nexcept ImportError as e:\n    a = load(e)\nfinally:\n    done()\n",
        "for i in range(3):\n    setattr(M, f'c{i}', Column(Integer))\n",
    ));
}

#[test]
fn anything_else_goes_to_tree_sitter() {
    for text in [
        "x = lambda: 1\n",
        "f(*args)\n",
        "a, b = 1, 2\n",
        "x.y = 1\n",
        "x = a[1:2]\n",
        "x = 1 + 2\n",
        "x = 1e5\n",
        "class A: pass\n",
        "if x:\n\ty = 1\n",
        "x = (1,\n",
        "x = = 1\n",
        "  x = 1\n",
        "x = 1; y = 2\n",
        "x = 1 \\\n    + 2\n",
        "def f():\n    return (g)(1)\n",
        "def f():\n    return f'{g(1)}'\n",
        "def f():\n    print(\"==\", *sys.version.split())\n",
        "match x:\n    case 1:\n        pass\n",
    ] {
        assert!(read(text).is_none(), "read directly:\n{text}");
    }
}

/// Every fixture and example model file read directly reads as with tree-sitter.
#[test]
fn fixture_and_example_files_read_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut direct = 0;
    for dir in [
        "tests/fixtures/sqlalchemy",
        "tests/fixtures/django",
        "examples",
    ] {
        for (path, _) in python_files(&root.join(dir)).expect("fixture folder") {
            let text = std::fs::read_to_string(&path).expect("fixture file");
            if let Some(body) = read(&text) {
                assert_eq!(body, tree(&text), "{}", path.display());
                direct += 1;
            }
        }
    }
    assert!(direct > 10, "only {direct} files were read directly");
}
