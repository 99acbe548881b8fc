"use strict";
const { DataTypes } = require("sequelize");

module.exports = (sequelize) => {
  const Publisher = sequelize.define("Publisher", {
    name: { type: DataTypes.STRING(100), allowNull: false, unique: true },
    country: DataTypes.CHAR(2),
    founded: { type: DataTypes.INTEGER, allowNull: true },
    rating: { type: DataTypes.FLOAT, defaultValue: 2.5 },
  });
  Publisher.associate = (models) => {
    Publisher.hasMany(models.Book);
  };
  return Publisher;
};
