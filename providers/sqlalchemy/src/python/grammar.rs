//! The node kinds and fields of tree-sitter-python that the reader looks at, resolved to their
//! numeric ids once per process. `Node::kind()` returns a string that then has to be compared
//! against every arm of a match, and `child_by_field_name` compares the name against every field
//! name of the grammar on each call; together they cost more than converting the tree itself.

use std::num::NonZeroU16;
use std::sync::LazyLock;
use tree_sitter::{Language, Node};

/// Kind is a named node kind the reader distinguishes; every other kind is [`Kind::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    ExpressionStatement,
    ClassDefinition,
    FunctionDefinition,
    DecoratedDefinition,
    Decorator,
    ImportStatement,
    ImportFromStatement,
    AliasedImport,
    ForStatement,
    WhileStatement,
    IfStatement,
    WithStatement,
    TryStatement,
    MatchStatement,
    Assignment,
    Identifier,
    Attribute,
    Call,
    ArgumentList,
    KeywordArgument,
    Comment,
    String,
    StringStart,
    StringContent,
    EscapeSequence,
    Interpolation,
    ConcatenatedString,
    Integer,
    Float,
    True,
    False,
    None,
    UnaryOperator,
    BinaryOperator,
    Tuple,
    ExpressionList,
    PatternList,
    List,
    Dictionary,
    Subscript,
    Type,
    ParenthesizedExpression,
    GenericType,
    MemberType,
    UnionType,
    Other,
}

/// The grammar's name of each [`Kind`] but `Other`.
const KIND_NAMES: &[(Kind, &str)] = &[
    (Kind::ExpressionStatement, "expression_statement"),
    (Kind::ClassDefinition, "class_definition"),
    (Kind::FunctionDefinition, "function_definition"),
    (Kind::DecoratedDefinition, "decorated_definition"),
    (Kind::Decorator, "decorator"),
    (Kind::ImportStatement, "import_statement"),
    (Kind::ImportFromStatement, "import_from_statement"),
    (Kind::AliasedImport, "aliased_import"),
    (Kind::ForStatement, "for_statement"),
    (Kind::WhileStatement, "while_statement"),
    (Kind::IfStatement, "if_statement"),
    (Kind::WithStatement, "with_statement"),
    (Kind::TryStatement, "try_statement"),
    (Kind::MatchStatement, "match_statement"),
    (Kind::Assignment, "assignment"),
    (Kind::Identifier, "identifier"),
    (Kind::Attribute, "attribute"),
    (Kind::Call, "call"),
    (Kind::ArgumentList, "argument_list"),
    (Kind::KeywordArgument, "keyword_argument"),
    (Kind::Comment, "comment"),
    (Kind::String, "string"),
    (Kind::StringStart, "string_start"),
    (Kind::StringContent, "string_content"),
    (Kind::EscapeSequence, "escape_sequence"),
    (Kind::Interpolation, "interpolation"),
    (Kind::ConcatenatedString, "concatenated_string"),
    (Kind::Integer, "integer"),
    (Kind::Float, "float"),
    (Kind::True, "true"),
    (Kind::False, "false"),
    (Kind::None, "none"),
    (Kind::UnaryOperator, "unary_operator"),
    (Kind::BinaryOperator, "binary_operator"),
    (Kind::Tuple, "tuple"),
    (Kind::ExpressionList, "expression_list"),
    (Kind::PatternList, "pattern_list"),
    (Kind::List, "list"),
    (Kind::Dictionary, "dictionary"),
    (Kind::Subscript, "subscript"),
    (Kind::Type, "type"),
    (Kind::ParenthesizedExpression, "parenthesized_expression"),
    (Kind::GenericType, "generic_type"),
    (Kind::MemberType, "member_type"),
    (Kind::UnionType, "union_type"),
];

/// Field is a field name the reader asks a node for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Alias,
    Argument,
    Arguments,
    Attribute,
    Body,
    Definition,
    Function,
    Key,
    Left,
    ModuleName,
    Name,
    Object,
    Operator,
    Right,
    Subscript,
    Superclasses,
    Type,
    Value,
}

/// The grammar's name of each [`Field`].
const FIELD_NAMES: &[(Field, &str)] = &[
    (Field::Alias, "alias"),
    (Field::Argument, "argument"),
    (Field::Arguments, "arguments"),
    (Field::Attribute, "attribute"),
    (Field::Body, "body"),
    (Field::Definition, "definition"),
    (Field::Function, "function"),
    (Field::Key, "key"),
    (Field::Left, "left"),
    (Field::ModuleName, "module_name"),
    (Field::Name, "name"),
    (Field::Object, "object"),
    (Field::Operator, "operator"),
    (Field::Right, "right"),
    (Field::Subscript, "subscript"),
    (Field::Superclasses, "superclasses"),
    (Field::Type, "type"),
    (Field::Value, "value"),
];

/// Grammar is tree-sitter-python with its kind and field lookup tables.
pub struct Grammar {
    pub language: Language,
    /// [`Kind`] by node kind id; a grammar can give one name several ids (aliases), so this
    /// is filled by name over every id.
    kinds: Vec<Kind>,
    /// Field id by [`Field`] discriminant (`FIELD_NAMES` is in that order).
    fields: Vec<Option<NonZeroU16>>,
}

/// The grammar, built on first use.
pub static PYTHON: LazyLock<Grammar> = LazyLock::new(Grammar::new);

impl Grammar {
    fn new() -> Grammar {
        let language: Language = tree_sitter_python::LANGUAGE.into();
        let kinds = (0..language.node_kind_count())
            .map(|id| {
                let id = u16::try_from(id).unwrap_or(u16::MAX);
                let name = language.node_kind_for_id(id).unwrap_or("");
                KIND_NAMES
                    .iter()
                    .find(|(_, n)| *n == name && language.node_kind_is_named(id))
                    .map_or(Kind::Other, |(kind, _)| *kind)
            })
            .collect();
        let fields = FIELD_NAMES
            .iter()
            .map(|(_, name)| language.field_id_for_name(name))
            .collect();
        Grammar {
            language,
            kinds,
            fields,
        }
    }

    /// What `node` is; [`Kind::Other`] for kinds the reader does not distinguish and for
    /// error nodes.
    pub fn kind(&self, node: Node) -> Kind {
        self.kinds
            .get(usize::from(node.kind_id()))
            .copied()
            .unwrap_or(Kind::Other)
    }

    /// The child of `node` in `field`.
    pub fn child<'t>(&self, node: Node<'t>, field: Field) -> Option<Node<'t>> {
        node.child_by_field_id(self.fields[field as usize]?.get())
    }

    /// The id of `field`, for the cursor APIs that take one.
    pub fn field_id(&self, field: Field) -> Option<NonZeroU16> {
        self.fields[field as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::{FIELD_NAMES, KIND_NAMES, PYTHON};

    #[test]
    fn every_kind_and_field_exists_in_the_grammar() {
        for (kind, name) in KIND_NAMES {
            assert!(
                PYTHON.kinds.contains(kind),
                "tree-sitter-python has no named node kind `{name}`"
            );
        }
        for (i, (field, name)) in FIELD_NAMES.iter().enumerate() {
            assert_eq!(*field as usize, i, "FIELD_NAMES follows Field's order");
            assert!(
                PYTHON.field_id(*field).is_some(),
                "tree-sitter-python has no field `{name}`"
            );
        }
    }
}
