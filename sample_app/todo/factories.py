"""factory-boy factories for demo data (``seed_demo``) and for anyone testing the sample.

All randomness goes through factory-boy's own generator (``factory.random``), so reseeding it
with ``factory.random.reseed_random`` makes a run reproducible, Faker values included.
"""

import datetime

import factory
import factory.random
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from .models import Owner, Subtask, Tag, Task


def _randint(low: int, high: int) -> int:
    """A random integer from factory-boy's seeded generator, not the global one."""
    return factory.random.randgen.randint(low, high)


class UserFactory(DjangoModelFactory):
    """A user whose password is ``demo-password`` unless given."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("demo-password")


class OwnerFactory(DjangoModelFactory):
    """The to-do profile of a user; one per user, hence get-or-create on ``user``."""

    class Meta:
        model = Owner
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda owner: owner.user.username.title())


class TagFactory(DjangoModelFactory):
    """A slug-like tag; get-or-create on ``name`` so reseeding never breaks uniqueness."""

    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag-{n}")


class SubtaskFactory(DjangoModelFactory):
    """A checklist item, by default inside a fresh task."""

    class Meta:
        model = Subtask

    task = factory.SubFactory("todo.factories.TaskFactory", subtasks=[])
    name = factory.Faker("sentence", nb_words=3)
    done = factory.Faker("pybool")


class TaskFactory(DjangoModelFactory):
    """A task with 0-3 subtasks; pass ``tags=[...]`` to tag it.

    The due date is a seeded offset from today (a week ago to a month ahead, or
    ``due_in_days=...``), so the dates stay current whatever day it is run. A given seed need
    not produce an open overdue task: ``seed_demo``'s default seed produces none.
    """

    class Meta:
        model = Task
        # The post-generation hook only sets many-to-many rows: no second save of the task.
        skip_postgeneration_save = True

    class Params:
        due_in_days = factory.LazyFunction(lambda: _randint(-7, 30))

    name = factory.Faker("sentence", nb_words=4, variable_nb_words=False)
    note = factory.Faker("paragraph", nb_sentences=2)
    due_date = factory.LazyAttribute(
        lambda task: timezone.localdate() + datetime.timedelta(days=task.due_in_days)
    )
    completed = factory.Faker("pybool", truth_probability=30)
    priority = factory.Faker("random_element", elements=Task.Priority.values)
    owner = factory.SubFactory(OwnerFactory)
    subtasks = factory.RelatedFactoryList(
        SubtaskFactory, factory_related_name="task", size=lambda: _randint(0, 3)
    )

    @factory.post_generation
    def tags(self, create: bool, extracted, **kwargs) -> None:
        """Set the many-to-many tags after the task has a primary key."""
        if create and extracted:
            self.tags.set(extracted)
