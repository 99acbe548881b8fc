//! Reading 500 Sequelize models: generates them into a temporary folder (one file each, with
//! options, an index and a belongsTo association) and times `load` over several runs.

#[path = "support/timed_loads.rs"]
mod support;

use strata_sequelize::Sequelize;

const MODELS: usize = 500;

fn model(i: usize) -> String {
    let parent = if i > 0 {
        format!(
            "  M{i}.belongsTo(models.M{}, {{ onDelete: 'CASCADE' }});\n",
            i - 1
        )
    } else {
        String::new()
    };
    format!(
        "const {{ DataTypes }} = require('sequelize');\n\
         module.exports = (sequelize) => {{\n\
           const M{i} = sequelize.define('M{i}', {{\n\
             title: {{ type: DataTypes.STRING(120), allowNull: false, unique: true }},\n\
             status: {{ type: DataTypes.ENUM('draft', 'live'), defaultValue: 'draft' }},\n\
             price: DataTypes.DECIMAL(10, 2),\n\
             active: {{ type: DataTypes.BOOLEAN, defaultValue: true }},\n\
           }}, {{ underscored: true, paranoid: true, indexes: [{{ fields: ['title', 'price'] }}] }});\n\
           M{i}.associate = (models) => {{\n{parent}  }};\n\
           return M{i};\n\
         }};\n"
    )
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..MODELS {
        std::fs::write(dir.path().join(format!("m{i}.js")), model(i)).expect("write model");
    }
    support::time_loads(
        &Sequelize,
        dir.path(),
        MODELS,
        &format!("sequelize: load {MODELS} models"),
    );
}
