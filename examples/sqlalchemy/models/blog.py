"""A small blog: authors, posts, tags (many-to-many through an association table)."""
import enum
from typing import List, Optional

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from base import Base, Timestamped


class PostState(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


post_tag = Table(
    "post_tag",
    Base.metadata,
    Column("post_id", ForeignKey("post.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Author(Timestamped, Base):
    __tablename__ = "author"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    bio: Mapped[Optional[str]] = mapped_column(Text)
    posts: Mapped[List["Post"]] = relationship(back_populates="author")


class Tag(Base):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(40), unique=True)


class Post(Timestamped, Base):
    __tablename__ = "post"
    __table_args__ = (Index("ix_post_author_state", "author_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200), index=True)
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[PostState] = mapped_column(default=PostState.DRAFT)
    author: Mapped[Author] = relationship(back_populates="posts")
    tags: Mapped[List[Tag]] = relationship(secondary=post_tag)
