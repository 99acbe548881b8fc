//! Reading 500 TypeORM entities: generates them into a temporary folder (one TypeScript file
//! each, with typed columns, an index, a unique key, special columns and a many-to-one to the
//! previous entity) and times `load` over several runs.

#[path = "../../sequelize/benches/support/timed_loads.rs"]
mod support;

use strata_typeorm::TypeOrm;

const MODELS: usize = 500;

fn entity(i: usize) -> String {
    let parent = if i > 0 {
        format!(
            "  @ManyToOne(() => E{p}, {{ onDelete: \"CASCADE\" }})\n  parent: E{p};\n",
            p = i - 1
        )
    } else {
        String::new()
    };
    let import = if i > 0 {
        format!("import {{ E{p} }} from \"./e{p}\";\n", p = i - 1)
    } else {
        String::new()
    };
    format!(
        "import {{ Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, Unique }} from \"typeorm\";\n\
         {import}\
         @Entity()\n\
         @Unique([\"title\", \"price\"])\n\
         export class E{i} {{\n\
           @PrimaryGeneratedColumn()\n  id: number;\n\
           @Index()\n  @Column({{ length: 120 }})\n  title: string;\n\
           @Column({{ type: \"simple-enum\", enum: [\"draft\", \"live\"], default: \"draft\" }})\n  status: string;\n\
           @Column({{ type: \"decimal\", precision: 10, scale: 2, nullable: true }})\n  price: string;\n\
           @Column({{ default: true }})\n  active: boolean;\n\
           @CreateDateColumn()\n  createdAt: Date;\n\
         {parent}}}\n"
    )
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..MODELS {
        std::fs::write(dir.path().join(format!("e{i}.ts")), entity(i)).expect("write entity");
    }
    support::time_loads(
        &TypeOrm,
        dir.path(),
        MODELS,
        &format!("typeorm: load {MODELS} entities"),
    );
}
