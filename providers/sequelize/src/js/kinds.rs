//! Node kinds and field names as the numeric ids of each grammar, looked up once. Reading a
//! file visits every node; comparing `kind()` strings and resolving field names by string
//! (tree-sitter searches its name table with `strncmp` on every call) cost more than the visit.

use std::sync::OnceLock;
use tree_sitter::Language;

/// Declares a struct of ids with the grammar name each one stands for, and its lookup.
macro_rules! ids {
    ($(#[$doc:meta])* $name:ident, $lookup:ident, { $($id:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        pub struct $name {
            $(pub $id: u16,)*
        }

        impl $name {
            fn of(language: &Language) -> $name {
                $name { $($id: $lookup(language, $text),)* }
            }
        }
    };
}

/// The id of the named node kind `name`; 0 (the end-of-input symbol, never the kind of a node
/// in a tree) when this grammar has no such kind, so it matches nothing.
fn kind(language: &Language, name: &str) -> u16 {
    language.id_for_node_kind(name, true)
}

/// The id of field `name`; 0 when this grammar has none, which `child_by_field_id` answers with
/// no child.
fn field(language: &Language, name: &str) -> u16 {
    language.field_id_for_name(name).map_or(0, |id| id.get())
}

ids!(
    /// The node kinds the readers tell apart.
    Kinds, kind, {
        abstract_class_declaration = "abstract_class_declaration",
        array = "array",
        arrow_function = "arrow_function",
        as_expression = "as_expression",
        assignment_expression = "assignment_expression",
        await_expression = "await_expression",
        call_expression = "call_expression",
        class = "class",
        class_body = "class_body",
        class_declaration = "class_declaration",
        class_heritage = "class_heritage",
        decorator = "decorator",
        enum_assignment = "enum_assignment",
        enum_declaration = "enum_declaration",
        escape_sequence = "escape_sequence",
        export_statement = "export_statement",
        expression_statement = "expression_statement",
        extends_clause = "extends_clause",
        false_ = "false",
        field_definition = "field_definition",
        function = "function",
        function_expression = "function_expression",
        identifier = "identifier",
        implements_clause = "implements_clause",
        import_statement = "import_statement",
        member_expression = "member_expression",
        method_definition = "method_definition",
        new_expression = "new_expression",
        non_null_expression = "non_null_expression",
        null = "null",
        number = "number",
        object = "object",
        pair = "pair",
        parenthesized_expression = "parenthesized_expression",
        property_identifier = "property_identifier",
        public_field_definition = "public_field_definition",
        satisfies_expression = "satisfies_expression",
        sequence_expression = "sequence_expression",
        shorthand_property_identifier = "shorthand_property_identifier",
        statement_block = "statement_block",
        string = "string",
        string_fragment = "string_fragment",
        subscript_expression = "subscript_expression",
        template_string = "template_string",
        this = "this",
        true_ = "true",
        type_assertion = "type_assertion",
        unary_expression = "unary_expression",
        undefined = "undefined",
        variable_declarator = "variable_declarator",
    }
);

ids!(
    /// The field names the readers ask for.
    Fields, field, {
        argument = "argument",
        arguments = "arguments",
        body = "body",
        constructor = "constructor",
        function = "function",
        index = "index",
        key = "key",
        left = "left",
        name = "name",
        object = "object",
        operator = "operator",
        parameter = "parameter",
        parameters = "parameters",
        pattern = "pattern",
        property = "property",
        right = "right",
        ty = "type",
        value = "value",
    }
);

/// The ids of one grammar.
pub struct Ids {
    pub kind: Kinds,
    pub field: Fields,
}

impl Ids {
    /// The ids of `language`, computed on first use and kept in `cell`.
    pub fn of(cell: &'static OnceLock<Ids>, language: &Language) -> &'static Ids {
        cell.get_or_init(|| Ids {
            kind: Kinds::of(language),
            field: Fields::of(language),
        })
    }
}
