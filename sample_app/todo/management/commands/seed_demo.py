"""``manage.py seed_demo``: the demo user, a token, tags and tasks for ``make demo``.

Safe to run again: the user, token and tags are fetched if they exist, and tasks are only
generated while the demo user has none, so a second ``make demo`` keeps what the first one
(and the person trying the API) wrote. The random generator is seeded, so a fresh database
always gets the same tasks.
"""

import factory.random
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from rest_framework.authtoken.models import Token

from todo.factories import OwnerFactory, TagFactory, TaskFactory
from todo.models import Task

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password"
TAG_NAMES = ["home", "work", "errands", "health", "reading"]


class Command(BaseCommand):
    help = "Create the demo user (demo / demo-password), its API token, tags and tasks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tasks", type=int, default=20, help="tasks to create (20)")
        parser.add_argument("--seed", type=int, default=20240601, help="random seed")

    @transaction.atomic
    def handle(self, *args, tasks: int, seed: int, **options) -> None:
        factory.random.reseed_random(seed)
        rng = factory.random.randgen

        user = get_user_model().objects.filter(username=DEMO_USERNAME).first()
        if user is None:
            user = get_user_model().objects.create_user(
                DEMO_USERNAME, email="demo@example.com", password=DEMO_PASSWORD
            )
            self.stdout.write(f"Created user {DEMO_USERNAME!r} (password {DEMO_PASSWORD!r}).")
        else:
            self.stdout.write(f"User {DEMO_USERNAME!r} already exists; password left as it is.")
        token, _ = Token.objects.get_or_create(user=user)
        owner = OwnerFactory(user=user, display_name="Demo User")

        tags = [TagFactory(name=name) for name in TAG_NAMES]

        existing = Task.objects.filter(owner=owner).count()
        if existing:
            self.stdout.write(f"{DEMO_USERNAME!r} already has {existing} tasks; none added.")
        else:
            for _ in range(tasks):
                TaskFactory(owner=owner, tags=rng.sample(tags, rng.randint(0, 2)))
            self.stdout.write(f"Created {tasks} tasks with {len(tags)} tags.")

        self.stdout.write(self.style.SUCCESS(f"API token for {DEMO_USERNAME!r}: {token.key}"))
        self.stdout.write(f'Use it as the header  "Authorization: Token {token.key}"')
