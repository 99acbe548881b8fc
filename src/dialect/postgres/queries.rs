//! Catalog queries. Each reads one kind of object for every table of every requested schema
//! (`$1` is the array of schema names), so inspection costs the same number of round trips
//! whatever the number of tables. Names are cast to `text` so the driver decodes them as strings.

/// The requested schemas that exist.
pub const SCHEMAS: &str = "\
SELECT nspname::text FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1";

/// Enum types with their labels in declaration order.
pub const ENUMS: &str = "\
SELECT n.nspname::text, t.typname::text,
       array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = ANY($1)
GROUP BY 1, 2
ORDER BY 1, 2";

/// Ordinary and partitioned tables (not partitions) with their comments. Comments come from a
/// join: `obj_description` is a SQL function run once per row, a third of this query's time.
pub const TABLES: &str = "\
SELECT n.nspname::text, c.relname::text, ds.description
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description ds
       ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY 1, 2";

/// Columns in declaration order. `user_type` is set for enums, domains and composite types
/// (bare when the type lives in the table's schema, else `schema.name`), since `format_type`
/// qualifies names by the session's search path. `owns_sequence` tells a serial column from a
/// column whose default merely calls `nextval`. The element type is found with an indexable
/// join and owned sequences with one grouped scan of pg_depend: a join on a CASE expression and
/// a correlated EXISTS made this query take seconds even on a small catalog. Two per-row
/// function calls cost half of this query at 1,000 tables and are avoided: comments come from a
/// join rather than `col_description`, and defaults are deparsed without their table (relid 0;
/// a default cannot name a column), which skips the per-call table lookup — only generation
/// expressions, which do name columns, are deparsed against the table. Rows are sorted by table
/// oid: the caller finds tables by name, and only the order within a table matters.
pub const COLUMNS: &str = "\
SELECT n.nspname::text, c.relname::text, a.attname::text,
       format_type(a.atttypid, a.atttypmod) AS type_text,
       CASE WHEN et.typtype IN ('e', 'd', 'c') OR en.nspname NOT IN ('pg_catalog', 'information_schema')
            THEN CASE WHEN en.oid = n.oid THEN et.typname::text
                      ELSE en.nspname::text || '.' || et.typname::text END
       END AS user_type,
       et.typtype IN ('e', 'd', 'c') AS is_user_defined,
       et.oid <> t.oid AS is_array,
       a.attnotnull,
       pg_get_expr(d.adbin, CASE WHEN a.attgenerated <> '' THEN d.adrelid ELSE 0 END, true)
           AS default_expr,
       a.attidentity::text,
       a.attgenerated::text,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END AS collation,
       ds.description AS comment,
       seq.refobjid IS NOT NULL AS owns_sequence
FROM pg_namespace n
JOIN pg_class c ON c.relnamespace = n.oid
JOIN pg_attribute a ON a.attrelid = c.oid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type el ON el.oid = t.typelem AND t.typcategory = 'A'
JOIN pg_type et ON et.oid = COALESCE(el.oid, t.oid)
JOIN pg_namespace en ON en.oid = et.typnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_description ds
       ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum
LEFT JOIN (
    SELECT DISTINCT dep.refobjid, dep.refobjsubid
    FROM pg_depend dep
    JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
    WHERE dep.classid = 'pg_class'::regclass AND dep.deptype = 'a'
) seq ON seq.refobjid = c.oid AND seq.refobjsubid = a.attnum
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.oid, a.attnum";

/// Index key parts, one row per part, for every index including the primary key's.
/// `pg_get_indexdef` is only asked for expression parts (attnum 0) and comments come from a
/// join: calling both functions per row made this the slowest catalog query at 1,000 tables.
/// `contype` is `p` or `u` when the index backs a PRIMARY KEY or UNIQUE constraint; exclusion
/// constraints are left out (the model has no place for them).
pub const INDEXES: &str = "\
SELECT n.nspname::text, t.relname::text, i.relname::text AS index_name,
       x.indisunique, x.indisprimary,
       COALESCE(con.contype::text, '') AS contype,
       am.amname::text,
       pg_get_expr(x.indpred, x.indrelid, true) AS predicate,
       ds.description AS comment,
       a.attname::text AS column_name,
       CASE WHEN k.attnum = 0 THEN pg_get_indexdef(x.indexrelid, k.ord::int, true) END AS part_expr,
       (x.indoption[(k.ord - 1)::int] & 1) = 1 AS descending,
       CASE WHEN NOT opc.opcdefault THEN opc.opcname::text END AS opclass,
       CASE WHEN a.attnum IS NOT NULL AND x.indcollation[(k.ord - 1)::int] <> 0
                 AND x.indcollation[(k.ord - 1)::int] <> a.attcollation
            THEN co.collname::text END AS collation
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_am am ON am.oid = i.relam
LEFT JOIN pg_constraint con
       ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u', 'x')
CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum > 0
LEFT JOIN pg_opclass opc ON opc.oid = x.indclass[(k.ord - 1)::int]
LEFT JOIN pg_collation co ON co.oid = x.indcollation[(k.ord - 1)::int]
LEFT JOIN pg_description ds
       ON ds.objoid = i.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
WHERE n.nspname = ANY($1) AND t.relkind IN ('r', 'p') AND NOT t.relispartition
  AND k.ord <= x.indnkeyatts AND COALESCE(con.contype, 'u') <> 'x'
ORDER BY 1, 2, 3, k.ord";

/// Foreign keys with their column lists in key order.
pub const FOREIGN_KEYS: &str = "\
SELECT n.nspname::text, t.relname::text, c.conname::text, rn.nspname::text, rt.relname::text,
       ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(num, ord)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num
             ORDER BY k.ord) AS columns,
       ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(num, ord)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num
             ORDER BY k.ord) AS ref_columns,
       c.confdeltype::text, c.confupdtype::text, c.condeferrable, c.condeferred
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_class rt ON rt.oid = c.confrelid
JOIN pg_namespace rn ON rn.oid = rt.relnamespace
WHERE c.contype = 'f' AND n.nspname = ANY($1) AND t.relkind IN ('r', 'p') AND NOT t.relispartition
ORDER BY 1, 2, 3";

/// CHECK constraints with their expression as the server prints it.
pub const CHECKS: &str = "\
SELECT n.nspname::text, t.relname::text, c.conname::text, pg_get_expr(c.conbin, c.conrelid, true)
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE c.contype = 'c' AND n.nspname = ANY($1) AND t.relkind IN ('r', 'p') AND NOT t.relispartition
ORDER BY 1, 2, 3";
