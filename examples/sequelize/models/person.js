"use strict";

module.exports = (sequelize, DataTypes) => {
  return sequelize.define("Person", {
    nickname: { type: DataTypes.STRING(30), defaultValue: "reader" },
    birthYear: DataTypes.SMALLINT,
  });
};
