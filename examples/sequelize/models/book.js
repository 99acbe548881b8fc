"use strict";
const { Model } = require("sequelize");

module.exports = (sequelize, DataTypes) => {
  class Book extends Model {
    static associate(models) {
      Book.belongsTo(models.Publisher, { foreignKey: { allowNull: false }, onDelete: "CASCADE" });
      Book.belongsToMany(models.LibraryMember, { through: "book_holds" });
      Book.hasMany(models.Loan);
    }
  }
  Book.init(
    {
      title: { type: DataTypes.STRING, allowNull: false },
      isbn: { type: DataTypes.STRING(13), allowNull: false, unique: true },
      pages: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      price: DataTypes.DECIMAL(10, 2),
      format: {
        type: DataTypes.ENUM("hardcover", "paperback", "ebook"),
        allowNull: false,
        defaultValue: "paperback",
      },
      published: DataTypes.DATEONLY,
      inPrint: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      summary: DataTypes.TEXT,
      weight: DataTypes.DOUBLE,
      copies: { type: DataTypes.BIGINT, defaultValue: 1 },
    },
    {
      sequelize,
      modelName: "Book",
      paranoid: true,
      indexes: [{ fields: ["title"] }, { name: "books_published_pages", fields: ["published", "pages"] }],
    },
  );
  return Book;
};
