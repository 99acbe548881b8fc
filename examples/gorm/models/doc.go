// Package models is a small lending library modelled with GORM v2: members with an embedded
// address, a library card (has-one), loans (has-many with cascading actions), favourite
// genres (many2many), books with a publisher (belongs-to) and their physical copies.
// `strata plan` reads these structs as GORM's AutoMigrate would create them.
package models
