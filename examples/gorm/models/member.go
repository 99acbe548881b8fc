package models

import (
	"database/sql"
	"time"

	"gorm.io/datatypes"
	"gorm.io/gorm"
)

// Tier is stored as a string column.
type Tier string

// Address is a value embedded into members with a prefix; it is not a table.
type Address struct {
	Street string `gorm:"size:120"`
	City   string `gorm:"size:80;index"`
}

type Member struct {
	gorm.Model
	CardNumber string         `gorm:"size:32;uniqueIndex"`
	Email      string         `gorm:"size:191;unique;not null"`
	FullName   string         `gorm:"size:100;not null"`
	Tier       Tier           `gorm:"size:16;default:'standard'"`
	Age        int32          `gorm:"check:age >= 0"`
	Active     bool           `gorm:"default:true"`
	Nickname   sql.NullString `gorm:"size:40"`
	Home       Address        `gorm:"embedded;embeddedPrefix:home_"`
	Prefs      datatypes.JSON
	Notes      string
	JoinedAt   *time.Time
	Secret     string `gorm:"-"`
	Loans      []Loan `gorm:"constraint:OnUpdate:CASCADE,OnDelete:CASCADE"`
	Card       LibraryCard
	Genres     []Genre `gorm:"many2many:member_genres"`
}

type LibraryCard struct {
	ID        uint `gorm:"primaryKey"`
	MemberID  uint `gorm:"not null"`
	IssuedAt  time.Time
	ExpiresOn time.Time `gorm:"index:idx_card_window,priority:2"`
	Branch    string    `gorm:"size:20;index:idx_card_window,priority:1"`
}
