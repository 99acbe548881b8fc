"use strict";

module.exports = (sequelize, DataTypes) => {
  const Loan = sequelize.define(
    "Loan",
    {
      dueOn: { type: DataTypes.DATEONLY, allowNull: false, field: "due_on" },
      returned: { type: DataTypes.BOOLEAN, defaultValue: false },
      fine: { type: DataTypes.DECIMAL(6, 2), allowNull: false, defaultValue: 0 },
    },
    { tableName: "loans", createdAt: "borrowedAt", updatedAt: false },
  );
  Loan.associate = (models) => {
    Loan.belongsTo(models.LibraryMember, { as: "borrower", onDelete: "SET NULL" });
  };
  return Loan;
};
