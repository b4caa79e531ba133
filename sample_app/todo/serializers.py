"""The serializers: the single source of truth for both the REST API and the GraphQL schema."""

from drf_writable_nested.serializers import WritableNestedModelSerializer
from rest_framework import serializers

from .models import Owner, Subtask, Tag, Task


class CurrentOwnerDefault:
    """Default for a hidden ``owner`` field: the requesting user's ``Owner`` row.

    Like DRF's ``CurrentUserDefault`` it reads ``context["request"]``, so it only works if
    GraphQL passes the same context as REST does. The row is created on the user's first write,
    which keeps sign-up free of any to-do specific step: as the input is validated, so a write
    that then fails rolls it back with the rest (each GraphQL mutation runs in a transaction;
    REST requests do under the settings' ``ATOMIC_REQUESTS``).
    """

    requires_context = True

    def __call__(self, serializer_field) -> Owner:
        user = serializer_field.context["request"].user
        owner, _ = Owner.objects.get_or_create(
            user=user, defaults={"display_name": user.get_username()}
        )
        return owner

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class TagSerializer(serializers.ModelSerializer):
    """Tags, written and read by name; the model's slug validator and uniqueness apply."""

    class Meta:
        model = Tag
        fields = ["id", "name"]


class SubtaskSerializer(serializers.ModelSerializer):
    """A checklist item as it appears nested inside a task."""

    class Meta:
        model = Subtask
        fields = ["id", "name", "done"]


class TaskSerializer(WritableNestedModelSerializer):
    """A task with its subtasks written in the same call and its tags given by id.

    ``owner`` is hidden: never in input or output, always the caller's own ``Owner``.
    """

    subtasks = SubtaskSerializer(many=True, required=False)
    owner = serializers.HiddenField(default=CurrentOwnerDefault())

    class Meta:
        model = Task
        fields = [
            "id",
            "name",
            "note",
            "created",
            "due_date",
            "completed",
            "priority",
            "tags",
            "subtasks",
            "owner",
        ]

    def validate_name(self, value: str) -> str:
        """Reject names too short to mean anything (a field error on ``name``)."""
        if len(value.strip()) < 3:
            raise serializers.ValidationError(
                "Ensure this field has at least 3 characters.", code="min_length"
            )
        return value

    def validate(self, attrs: dict) -> dict:
        """Reject a note that merely repeats the name (a non-field error).

        On a partial update the values not sent are taken from the stored task, so the rule
        holds whichever of the two fields a PATCH changes.
        """
        name = attrs.get("name", getattr(self.instance, "name", None))
        note = attrs.get("note", getattr(self.instance, "note", None))
        if name and name == note:
            raise serializers.ValidationError("Name and note must differ.")
        return attrs
