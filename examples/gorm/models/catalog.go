package models

import (
	"time"

	"gorm.io/gorm"
)

type Genre struct {
	ID    uint   `gorm:"primaryKey"`
	Label string `gorm:"size:50;unique"`
}

type Book struct {
	gorm.Model
	ISBN        string  `gorm:"size:13;uniqueIndex"`
	Title       string  `gorm:"size:200;not null;index"`
	CoverURL    string  `gorm:"column:coverUrl;size:255"`
	PageCount   uint16
	Price       float64 `gorm:"precision:8;scale:2"`
	PublisherID uint
	Publisher   Publisher `gorm:"constraint:OnDelete:SET NULL"`
	Copies      []BookCopy
}

type Publisher struct {
	ID   uint   `gorm:"primaryKey"`
	Name string `gorm:"size:120;not null"`
}

type BookCopy struct {
	ID       uint   `gorm:"primaryKey"`
	BookID   uint   `gorm:"not null"`
	Barcode  string `gorm:"size:24;uniqueIndex:idx_copy_barcode"`
	Shelf    string `gorm:"size:10;index:idx_copy_shelf,sort:desc"`
	Condition string `gorm:"size:12;default:'good'"`
}

type Loan struct {
	ID         uint `gorm:"primaryKey"`
	MemberID   uint `gorm:"index"`
	BookCopyID uint
	BookCopy   BookCopy
	LoanedAt   time.Time `gorm:"autoCreateTime"`
	DueOn      time.Time
	Returned   bool      `gorm:"default:false"`
	Fine       float64   `gorm:"precision:6;scale:2;default:0"`
	Hidden     string    `gorm:"-:migration"`
	Computed   string    `gorm:"->"`
}

// TableName keeps the legacy table name.
func (Loan) TableName() string {
	return "book_loans"
}
