-- A small publishing app, written in portable SQL so the same file serves SQLite (the
-- default env), PostgreSQL and MySQL/MariaDB.

CREATE TABLE authors (
  id         INTEGER PRIMARY KEY,
  name       VARCHAR(100) NOT NULL,
  email      VARCHAR(255) NOT NULL UNIQUE,
  bio        TEXT,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE posts (
  id           INTEGER PRIMARY KEY,
  author_id    INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
  title        VARCHAR(200) NOT NULL,
  body         TEXT NOT NULL,
  status       VARCHAR(20) NOT NULL DEFAULT 'draft',
  published_at TIMESTAMP,
  CONSTRAINT posts_status_check CHECK (status IN ('draft', 'published', 'archived'))
);

CREATE INDEX posts_author_id_idx ON posts (author_id);
CREATE INDEX posts_published_at_idx ON posts (published_at);

CREATE TABLE tags (
  id   INTEGER PRIMARY KEY,
  name VARCHAR(50) NOT NULL,
  CONSTRAINT tags_name_key UNIQUE (name)
);

CREATE TABLE post_tags (
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  tag_id  INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (post_id, tag_id)
);

CREATE TABLE comments (
  id         INTEGER PRIMARY KEY,
  post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  author     VARCHAR(100) NOT NULL,
  body       TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX comments_post_id_idx ON comments (post_id);
