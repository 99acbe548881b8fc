"""A small blog: authors, posts, tags, and comments."""
from django.db import models
from django.db.models import Q


class Author(models.Model):
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=100)
    bio = models.TextField(blank=True)


class Tag(models.Model):
    label = models.SlugField(max_length=40, unique=True)


class Post(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(max_length=200)
    body = models.TextField()
    published = models.BooleanField(db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    tags = models.ManyToManyField(Tag, blank=True)

    class Meta:
        indexes = [models.Index(fields=["author", "-created_at"], name="post_author_recent_idx")]


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField()
    score = models.SmallIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(score__gte=-5), name="comment_score_floor")]
