import uuid

from django.conf import settings
from django.db import models


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)

    class Meta:
        # A task's tags in one order whether REST reads them row by row or GraphQL
        # prefetches them: PostgreSQL returns an unordered relation in any order.
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", "To do"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    title = models.CharField(max_length=100, help_text="What is to be done.")
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TODO)
    priority = models.IntegerField(default=0)
    views = models.BigIntegerField(default=0)
    estimate = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="tasks")

    def __str__(self) -> str:
        return self.title


class Subtask(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="subtasks")
    title = models.CharField(max_length=100)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]  # as Tag: one order for a reverse relation, prefetched or not


class Document(models.Model):
    name = models.CharField(max_length=100)
    file = models.FileField(upload_to="docs/", blank=True)


class Badge(models.Model):
    """A row with a UUID key, which serializers may name by its integer (``pk_field``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=50)


class Award(models.Model):
    badge = models.ForeignKey(Badge, null=True, on_delete=models.SET_NULL, related_name="+")
    badges = models.ManyToManyField(Badge, blank=True, related_name="+")


class Category(models.Model):
    """A tree: each row's children are the rows naming it as their parent."""

    name = models.CharField(max_length=50)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        ordering = ["pk"]
