"use strict";

module.exports = (sequelize, DataTypes) => {
  const LibraryMember = sequelize.define(
    "LibraryMember",
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      cardNumber: { type: DataTypes.STRING(20), allowNull: false, unique: "member_card" },
      branch: { type: DataTypes.STRING(10), allowNull: false, unique: "member_card" },
      email: { type: DataTypes.STRING, validate: { isEmail: true } },
      joinedAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      fullName: { type: DataTypes.VIRTUAL },
    },
    { underscored: true },
  );
  LibraryMember.associate = (models) => {
    LibraryMember.belongsToMany(models.Book, { through: "book_holds" });
  };
  return LibraryMember;
};
