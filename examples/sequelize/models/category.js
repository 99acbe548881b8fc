"use strict";

module.exports = (sequelize, DataTypes) => {
  const Category = sequelize.define(
    "Category",
    {
      code: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      label: { type: DataTypes.STRING(60), allowNull: false },
      slug: { type: DataTypes.STRING(60), unique: true },
    },
    { freezeTableName: true, timestamps: false },
  );
  Category.associate = (models) => {
    Category.belongsTo(Category, { as: "parent" });
    Category.hasMany(models.Person, { foreignKey: "favouriteCode" });
  };
  return Category;
};
