import datetime
import decimal

from django.contrib.auth import get_user_model
from drf_writable_nested.serializers import WritableNestedModelSerializer
from rest_framework import serializers

from .models import Document, Project, Subtask, Tag, Task


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "slug", "name"]


class SubtaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subtask
        fields = ["id", "title", "done"]


class TaskSerializer(WritableNestedModelSerializer):
    owner = serializers.HiddenField(default=serializers.CurrentUserDefault())
    owner_name = serializers.CharField(source="owner.username", read_only=True, default=None)
    project = serializers.SlugRelatedField(
        slug_field="slug", queryset=Project.objects.all(), required=False, allow_null=True
    )
    subtasks = SubtaskSerializer(many=True, required=False)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "notes",
            "status",
            "priority",
            "views",
            "estimate",
            "due_date",
            "created",
            "owner",
            "owner_name",
            "project",
            "tags",
            "subtasks",
            "is_overdue",
        ]
        extra_kwargs = {"title": {"min_length": 3}}

    def get_is_overdue(self, obj: Task) -> bool:
        return bool(obj.due_date and obj.due_date < datetime.date(2026, 1, 1))

    def validate(self, attrs):
        if attrs.get("notes") and attrs.get("notes") == attrs.get("title"):
            raise serializers.ValidationError("Title and notes must differ.")
        return attrs


class TaskReadSerializer(serializers.ModelSerializer):
    """A read-side serializer with nested objects, used as an output serializer."""

    tags = TagSerializer(many=True, read_only=True)
    project = ProjectSerializer(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "status", "tags", "project"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "name", "file"]


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "password"]

    def create(self, validated_data):
        return get_user_model().objects.create_user(**validated_data)


class EchoSerializer(serializers.Serializer):
    """One optional field of every DRF field class: a mutation echoes what DRF validated."""

    boolean = serializers.BooleanField(required=False)
    char = serializers.CharField(required=False)
    email = serializers.EmailField(required=False)
    regex = serializers.RegexField(r"^[a-z]+$", required=False)
    slug = serializers.SlugField(required=False)
    url = serializers.URLField(required=False)
    ip = serializers.IPAddressField(required=False)
    uuid = serializers.UUIDField(required=False)
    uuid_int = serializers.UUIDField(format="int", required=False)
    integer = serializers.IntegerField(required=False)
    big = serializers.IntegerField(required=False, max_value=2**62)
    floating = serializers.FloatField(required=False)
    decimal = serializers.DecimalField(max_digits=30, decimal_places=10, required=False)
    datetime = serializers.DateTimeField(required=False)
    date = serializers.DateField(required=False)
    time = serializers.TimeField(required=False)
    duration = serializers.DurationField(required=False)
    choice = serializers.ChoiceField(
        choices=[("in progress", "In progress"), (1, "One")], required=False
    )
    multiple = serializers.MultipleChoiceField(choices=["red", "green"], required=False)
    file_path = serializers.FilePathField(path="/etc", match=r"^hostname$", required=False)
    ints = serializers.ListField(child=serializers.IntegerField(), required=False)
    dict = serializers.DictField(child=serializers.CharField(), required=False)
    json = serializers.JSONField(required=False)
    hstore = serializers.HStoreField(required=False)
    nested = TagSerializer(required=False)
    nested_many = TagSerializer(many=True, required=False)
    method = serializers.SerializerMethodField()
    read_only = serializers.ReadOnlyField(default="read-only")

    def get_method(self, obj) -> list[int]:
        return [1, 2]

    def create(self, validated_data):
        return validated_data

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Only echo what was sent: DRF's own representation of each validated value.
        return {key: value for key, value in data.items() if key in instance or key == "method"}


def to_decimal(text: str) -> decimal.Decimal:
    return decimal.Decimal(text)
