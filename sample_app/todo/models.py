"""The to-do domain.

Tasks belong to an ``Owner`` rather than straight to ``auth.User`` so that the serializer can
show a real-world pattern: a hidden field whose default is computed from the request (see
``CurrentOwnerDefault``), which GraphQL has to honour exactly as REST does.
"""

from django.conf import settings
from django.core.validators import validate_slug
from django.db import models


class Owner(models.Model):
    """The profile that owns tasks; created on a user's first write (see serializers)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owner"
    )
    display_name = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.display_name or str(self.user)


class Tag(models.Model):
    """A label shared by all users; slug-like so it reads well in URLs and filters."""

    name = models.CharField(max_length=40, unique=True, validators=[validate_slug])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """One to-do item. Nested ``subtasks`` and the ``tags`` list exercise nested writes."""

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"

    name = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField(null=True, blank=True)
    completed = models.BooleanField(default=False)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="tasks")
    tags = models.ManyToManyField(Tag, blank=True, related_name="tasks")

    class Meta:
        # A stable order: paginated lists must not shuffle rows between pages.
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.name


class Subtask(models.Model):
    """A checklist item inside a task; deleted with its task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="subtasks")
    name = models.CharField(max_length=200)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
