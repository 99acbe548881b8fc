//! The two readers agree: on every PHP file of the fixtures and examples, on the benchmark's
//! generated entities and on tricky snippets, the fast reader either declines or produces
//! exactly what tree-sitter reads (positions included). Model files must take the fast path,
//! or the speed would be a claim only.

#[path = "../../benches/support/entities.rs"]
mod entities;

use super::{Class, fast, tree};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Whether the fast reader accepted `src`; panics when it accepted and disagrees with the
/// tree reader, or accepted what the tree reader rejects.
fn agree(path: &Path, src: &str) -> bool {
    let file = Arc::new(path.to_path_buf());
    let Some(fast) = fast::read(&file, src) else {
        return false;
    };
    let mut parser = tree::parser().expect("grammar");
    let reference: Result<Vec<Class>, _> = tree::read_file(&mut parser, file, src);
    match reference {
        Ok(reference) => assert_eq!(fast, reference, "{}", path.display()),
        Err(e) => panic!("fast reader accepted {}; tree-sitter: {e}", path.display()),
    }
    true
}

fn php_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            php_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "php") {
            out.push(path);
        }
    }
}

#[test]
fn fixture_and_example_models_take_the_fast_path_and_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    php_files(&root.join("tests/fixtures/doctrine"), &mut files);
    php_files(&root.join("examples/doctrine"), &mut files);
    let mut models = 0;
    for path in &files {
        let src = std::fs::read_to_string(path).expect("read");
        let fast = agree(path, &src);
        // Model folders are `src`; scripts beside them (dump.php) run code at the top level,
        // which the fast reader leaves to tree-sitter.
        if path.components().any(|c| c.as_os_str() == "src") {
            assert!(fast, "{} was declined", path.display());
            models += 1;
        }
    }
    assert!(models >= 20, "only {models} model files found");
}

#[test]
fn generated_entities_take_the_fast_path_and_agree() {
    for i in [0, 1, 7] {
        let path = PathBuf::from(format!("Entity{i}.php"));
        assert!(agree(&path, &entities::entity(i)), "Entity{i} declined");
    }
}

const HEAD: &str = "<?php\n\nnamespace App\\Entity;\n\nuse Doctrine\\ORM\\Mapping as ORM;\n";

/// Files the fast reader must accept (and agree on).
const ACCEPTED: &[&str] = &[
    // Values: literals of every form, arrays long and short, nesting, keys, unary minus,
    // parentheses, class constants, `new`, constants and expressions read as written.
    "#[ORM\\Entity]\nclass A {\n    #[ORM\\Column(type: 'decimal', precision: 0x1F, scale: 010, length: -5, options: ['default' => -1.5, \"comment\" => \"a\\tb\\\"\", 'x' => [1, 2.5e3, -0b11], 'y' => array(1 => true, 2 => FALSE, 3 => NULL)])]\n    private string $a;\n\n    #[ORM\\Column(options: ['default' => 'a' . 'b', 'p' => (3), 'q' => -(4), 'r' => - - 2, 's' => +1, 't' => !true, 'u' => 1 + 2 * 3, 'v' => PHP_INT_MAX, 'w' => \\E_ALL | E_STRICT, 'z' => 99999999999999999999])]\n    private $b;\n\n    #[ORM\\Column(enumType: Status::class, options: ['default' => Status::Open, 's' => self::X, 'p' => parent::Y, 't' => static::Z])]\n    #[ORM\\JoinColumn(name: 'a_id', referencedColumnName: 'id', nullable: false,)]\n    #[ORM\\JoinTable(joinColumns: [new ORM\\JoinColumn(name: 'x')], inverseJoinColumns: [new \\Doctrine\\ORM\\Mapping\\JoinColumn('y', 'z'), new Foo])]\n    private ?Status $c = Status::Open;\n}\n",
    // Docblock annotations, comments around members and inside argument lists.
    "/**\n * @ORM\\Entity\n * @ORM\\Table(name=\"things\", indexes={@ORM\\Index(columns={\"a\"})})\n */\nclass B extends Base implements \\Countable, I {\n    // a comment\n    /** @ORM\\Id @ORM\\Column(type=\"integer\") @ORM\\GeneratedValue */\n    private $id;\n\n    /** @var string */\n    // not a docblock any more\n    #[ORM\\Column(\n        length: 20, // the length\n        /* before */ nullable: true,\n    )]\n    protected ?string $name = null;\n\n    #[ORM\\Column] /* after the attribute */ private int $n = 0;\n}\n",
    // Types: nullable, unions, intersections-free DNF, primitives in any case, self, FQCN.
    "#[ORM\\Entity]\nfinal class C {\n    private int|null $a;\n    private null|\\DateTimeImmutable $b;\n    private int|string $c;\n    private ?self $d;\n    private \\App\\Other $e;\n    public static ?array $g = [], $h;\n    var $i;\n    readonly private float $j;\n    private iterable|false $k;\n}\n",
    // Constructor promotion, methods of every shape, constants, traits.
    "#[ORM\\Entity]\nabstract class D {\n    use TimestampableTrait, \\Other\\SoftDelete;\n    public const string KIND = 'd';\n    final public const A = 1, B = self::A;\n    const C = [1, 2];\n\n    public function __construct(\n        #[ORM\\Id] #[ORM\\Column] private readonly int $id,\n        #[ORM\\Column(length: 10)] protected ?string $code = null,\n        string $plain = 'x',\n        int ...$rest,\n    ) {\n        parent::__construct();\n    }\n\n    abstract protected function f(array &$a, ?callable $c = null): ?static;\n    public function &g(): never { throw new \\Exception('}'); }\n    public static function h(): static|null { return null; }\n    public function list(): void {}\n    public function s(static $a, self $b): void {}\n}\n",
    // Enums, interfaces, traits, grouped and aliased imports, several namespaces, declare,
    // global constants and functions.
    "enum Status: string implements HasLabel {\n    use Labels;\n    case Open = 'open';\n    case Closed = \"closed\";\n    const DEFAULT = self::Open;\n    public function label(): string { return match($this) { default => '' }; }\n}\n\nenum Plain {\n    case A;\n    case B;\n}\n\ninterface HasLabel extends \\Stringable, Other {\n    public function label(): string;\n}\n\ntrait Labels {\n    private ?string $cache = null;\n    public function x() {}\n}\n",
    // Names and strings beyond ASCII: PHP names are bytes, 0x80 and up included.
    "#[ORM\\Entity]\nclass Café {\n    #[ORM\\Column(length: 20, options: ['comment' => 'prénom'])]\n    private string $prénom;\n    public function salut(): string { return \"héllo\"; }\n}\n",
    "namespace Other {\n    use Doctrine\\ORM\\Mapping\\{Entity, Column as Col, Id};\n    use \\Doctrine\\ORM\\Mapping\\Table, Foo\\Bar as Baz;\n\n    /** just a comment */\n    #[Entity, Table(name: 'x')]\n    class E {\n        #[Id, Col]\n        private int $id;\n    }\n}\n\nnamespace {\n    const VERSION = '1';\n    function helper(int $a = 1): int { return $a; }\n    class Global_ {}\n}\n",
];

/// Files the fast reader must leave to tree-sitter.
const DECLINED: &[&str] = &[
    "class A {\n    public function f() { return <<<EOT\n}\nEOT; }\n}\n",
    "class A {\n    private $a = ;\n}\n",
    "class A {\n    #[ORM\\Column(options: ['a' => $x])]\n    private $a;\n}\n",
    "if (true) {\n    class A {}\n}\n",
    "class A {\n    private $a = \"{$b}\";\n}\n",
    "class A {\n    #[ORM\\Column(length: 5 /* five */ + 1)]\n    private $a;\n}\n",
    "class A {\n    private ?/* c */int $a;\n}\n",
    "class A {\n    public private(set) int $a;\n}\n",
    "class A {\n    public int $a { get => 1; }\n}\n",
    "class A {\n    #[ORM\\Column(options: ['a' => 1 ? 2 : 3])]\n    private $a;\n}\n",
    "class A {\n    #[ORM\\Column(options: [...$a])]\n    private $a;\n}\n",
    "class A {\n    private $a = 1.;\n}\n",
    "class A {\n    // ends ?> here\n    private $a;\n}\n",
    "use function Foo\\bar;\nclass A {}\n",
    "class A {\n    #[ORM\\Column]\n    private $a\n}\n",
    "class A {\n    private (A&B)|null $a;\n}\n",
    "class A extends B, C {}\n",
    "declare(strict_types=-1);\nclass A {}\n",
    "class A {\n    private $a = 1_000;\n}\n",
];

fn snippet_path(i: usize) -> PathBuf {
    PathBuf::from(format!("snippet{i}.php"))
}

#[test]
fn tricky_snippets_agree() {
    for (i, body) in ACCEPTED.iter().enumerate() {
        let src = format!("{HEAD}\ndeclare(strict_types=1);\n{body}");
        assert!(agree(&snippet_path(i), &src), "declined: {body}");
        // Windows line ends: columns still count bytes, `\r` included.
        let crlf = src.replace('\n', "\r\n");
        assert!(agree(&snippet_path(i), &crlf), "declined with CRLF: {body}");
    }
}

#[test]
fn unusual_files_are_declined() {
    for (i, body) in DECLINED.iter().enumerate() {
        let src = format!("{HEAD}\n{body}");
        assert!(!agree(&snippet_path(i), &src), "accepted: {body}");
    }
}

#[test]
fn files_outside_php_mode_are_declined() {
    let path = snippet_path(0);
    assert!(!agree(&path, "<html><?php class A {}"));
    assert!(!agree(&path, "<?php class A {} ?>\n<p>tail</p>\n"));
    assert!(!agree(&path, "<?phpclass A {}"));
}

/// The model files of the fixtures and examples, and the accepted snippets, with their text.
fn model_sources() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    php_files(&root.join("tests/fixtures/doctrine"), &mut files);
    php_files(&root.join("examples/doctrine"), &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|p| p.components().any(|c| c.as_os_str() == "src"))
        .map(|p| {
            let src = std::fs::read_to_string(&p).expect("read");
            (p, src)
        })
        .chain(
            ACCEPTED
                .iter()
                .enumerate()
                .map(|(i, body)| (snippet_path(i), format!("{HEAD}\n{body}"))),
        )
        .collect()
}

/// Damaged files (a byte cut out) must be declined or read exactly as tree-sitter reads them:
/// the fast reader never accepts a syntax error. (Cuts inside names, strings and comments
/// leave valid files, which are accepted.)
#[test]
fn damaged_models_are_declined_or_agree() {
    for (path, src) in model_sources() {
        for at in (0..src.len())
            .step_by(7)
            .filter(|&i| src.is_char_boundary(i + 1))
        {
            let damaged = format!("{}{}", &src[..at], &src[at + 1..]);
            agree(&path, &damaged);
        }
    }
}

/// Comments anywhere between tokens (a docblock too) are either read as tree-sitter places
/// them or declined. (Most are accepted: about 7,000 of 12,000 insertions when written.)
#[test]
fn comments_between_tokens_are_declined_or_agree() {
    for (path, src) in model_sources() {
        let boundaries = (1..src.len()).filter(|&i| {
            let b = src.as_bytes();
            b[i - 1].is_ascii_whitespace() != b[i].is_ascii_whitespace()
                || b[i - 1].is_ascii_punctuation()
        });
        for at in boundaries {
            for comment in ["/* c */", "/** @ORM\\Entity */"] {
                let commented = format!("{}{comment}{}", &src[..at], &src[at..]);
                agree(&path, &commented);
            }
        }
    }
}

/// The word `function` that declares nothing (a named argument, a class constant, a property,
/// a method call) does not make either reader take the class body that follows for a function
/// body and leave it out.
#[test]
fn function_words_that_declare_nothing_keep_the_class_body() {
    let attributes = [
        "#[Api(function: 'list')]",
        "#[Api(Foo::function)]",
        "#[Api(options: ['x' => \\Foo\\Bar::function, 'y' => self::FUNCTION])]",
        "/** @Api(function=\"x\") */",
    ];
    for (i, attribute) in attributes.iter().enumerate() {
        let src = format!(
            "{HEAD}\n#[ORM\\Entity]\n{attribute}\nclass F {{\n    #[ORM\\Column]\n    private int $a = self::function;\n    public function get(): int {{ return $this->function + $this?->function + self::function(); }}\n    #[ORM\\Column]\n    private int $b;\n}}\n"
        );
        let path = Arc::new(snippet_path(i));
        let mut parser = tree::parser().expect("grammar");
        let classes = tree::read_file(&mut parser, path.clone(), &src).expect("read");
        let names: Vec<&str> = classes[0]
            .properties
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["a", "b"], "{attribute}");
        assert!(agree(&path, &src), "declined: {attribute}");
    }
}
