"""REST and GraphQL validate a write alike, for any input GraphQL's types can carry.

One plain serializer holds most DRF field kinds, with their options, field and object
validators, a nested list and a related key. The same generated input goes to a REST view
(as JSON) and to a ``SerializerMutation`` (as variables): both accept it, with the same
rendered answer, or both refuse it, with the same errors (client path, message, code).
Values GraphQL's own types refuse (``"5"`` for an ``Int``) are not generated: that
refusal is the schema's, and the README lists it.
"""

import datetime
import json

import graphene
import pytest
from django.urls import path
from graphene.utils.str_converters import to_camel_case
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from drf_graphql_crud import DRFGraphQLView, SerializerMutation
from tests.parity import flatten_gql, flatten_rest, full_details_handler
from tests.testapp.models import Tag

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class ParityItemSerializer(serializers.Serializer):
    item_name = serializers.CharField(max_length=5)
    qty = serializers.IntegerField(min_value=1, default=1)

    def validate(self, attrs):
        if attrs["item_name"] == "bad":
            raise serializers.ValidationError("Item is bad.", code="bad_item")
        return attrs


class ParitySerializer(serializers.Serializer):
    short_text = serializers.CharField(max_length=5, min_length=2)
    blank_ok = serializers.CharField(max_length=10, allow_blank=True, required=False)
    raw_text = serializers.CharField(trim_whitespace=False, required=False, allow_null=True)
    count = serializers.IntegerField(min_value=-5, max_value=100, required=False)
    price = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, required=False)
    ratio = serializers.FloatField(max_value=1e6, required=False)
    flag = serializers.BooleanField(required=False)
    color = serializers.ChoiceField(choices=["red", "green", "blue"], required=False)
    colors = serializers.MultipleChoiceField(choices=["red", "green", "blue"], required=False)
    day = serializers.DateField(required=False)
    when = serializers.DateTimeField(required=False)
    at_time = serializers.TimeField(required=False)
    span = serializers.DurationField(required=False)
    email = serializers.EmailField(required=False)
    site = serializers.URLField(required=False)
    uid = serializers.UUIDField(required=False)
    slug = serializers.SlugField(required=False)
    ip = serializers.IPAddressField(required=False)
    code = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    blob = serializers.JSONField(required=False)
    nums = serializers.ListField(
        child=serializers.IntegerField(min_value=0), max_length=3, required=False
    )
    labels = serializers.DictField(child=serializers.CharField(max_length=3), required=False)
    items = ParityItemSerializer(many=True, required=False)
    tag = serializers.PrimaryKeyRelatedField(
        queryset=Tag.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(default="none", allow_null=True)

    def validate_short_text(self, value):
        if value == "xx":
            raise serializers.ValidationError("No xx.", code="no_xx")
        return value

    def validate(self, attrs):
        if attrs.get("count") == 13:
            raise serializers.ValidationError("Unlucky.", code="unlucky")
        if attrs.get("flag") and attrs.get("count") == 7:
            raise serializers.ValidationError({"flag": "Not with seven."}, code="flag_seven")
        return attrs

    def create(self, validated_data):
        return validated_data


class RecordParity(SerializerMutation):
    class Meta:
        serializer_class = ParitySerializer
        return_field_name = "record"


class ParityView(APIView):
    def get_exception_handler(self):
        return full_details_handler

    def post(self, request):
        serializer = ParitySerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data, status=status.HTTP_201_CREATED)


class ParityQuery(graphene.ObjectType):
    ping = graphene.String()


class ParityMutation(graphene.ObjectType):
    record_parity = RecordParity.Field()


urlpatterns = [
    path(
        "graphql/",
        DRFGraphQLView.as_view(schema=graphene.Schema(query=ParityQuery, mutation=ParityMutation)),
    ),
    path("rest/", ParityView.as_view()),
]

SELECTION = (
    "shortText blankOk rawText count price ratio flag color colors day when atTime span email "
    "site uid slug ip code blob nums labels items { itemName qty } tag note"
)
QUERY = (
    "mutation($input: ParityInput!) { recordParity(input: $input) { record { "
    + SELECTION
    + " } } }"
)

# ------------------------------------------------------------------------------ inputs

ABSENT = object()
text = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["", " ", "  ab  ", "\t", "ab", "xx", "abcdef", "é" * 3, "\x00a", "ABC"]),
)
plain_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))


def maybe(values):
    """Left out, null, or one of ``values``."""
    return st.one_of(st.just(ABSENT), st.none(), values)


def texts(*samples):
    return st.one_of(st.sampled_from(samples), text)


#: Each field's values, right and wrong for DRF, all of the GraphQL type's kind.
FIELDS = {
    "short_text": texts("ab", "xx", "abc", " xx ", "abcdef", "", "a"),
    "blank_ok": maybe(text),
    "raw_text": maybe(text),
    "count": maybe(st.one_of(st.integers(-10, 110), st.sampled_from([13, 7]))),
    "price": maybe(
        st.one_of(
            texts("1.5", "1.555", "999.99", "1000", "-1", "1e2", "NaN", "0.10", "1,5", " 2 "),
            st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
        )
    ),
    "ratio": maybe(st.floats(allow_nan=False, allow_infinity=False)),
    "flag": maybe(st.booleans()),
    "color": maybe(st.sampled_from(["red", "green", "blue"])),
    "colors": maybe(st.lists(st.sampled_from(["red", "green", "blue"]), max_size=4)),
    "day": maybe(st.one_of(texts("2024-02-30", "2024-13-01", "2024/01/01"), st.dates().map(str))),
    "when": maybe(
        st.one_of(
            texts("2024-01-01T10:00:00Z", "2024-01-01 10:00", "2024-01-01T25:00", "2024-01-01"),
            st.datetimes(timezones=st.timezones()).map(datetime.datetime.isoformat),
        )
    ),
    "at_time": maybe(st.one_of(texts("10:00", "25:00", "10:00:00.5"), st.times().map(str))),
    "span": maybe(texts("1 02:03:04", "P1D", "PT1H", "-1", "3", "999999999 00:00:00")),
    "email": maybe(st.one_of(texts("a@b.co", "a@b", "@b.co", " a@b.co "), st.emails())),
    "site": maybe(texts("http://a.io", "a.io", "ftp://a.io", "http://", "http://ü.de/x y")),
    "uid": maybe(st.one_of(st.uuids().map(str), st.uuids().map(lambda u: u.hex), text)),
    "slug": maybe(texts("a-b_c", "a b", "ü", "-")),
    "ip": maybe(st.one_of(texts("1.2.3.256", "::1", "1.2.3.4 "), st.ip_addresses().map(str))),
    "code": maybe(texts("ABC", "AB", "abc", "ABCD")),
    "blob": maybe(
        st.recursive(
            st.one_of(st.none(), st.booleans(), st.integers(-100, 100), st.text(max_size=3)),
            lambda inner: st.one_of(
                st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)
            ),
            max_leaves=5,
        )
    ),
    "nums": maybe(st.lists(st.integers(-3, 2**31 - 1), max_size=5)),
    # Keys without "_": the client's own, which camelCasing REST's paths would change.
    "labels": maybe(st.dictionaries(st.sampled_from(["a", "bc", "X"]), plain_text, max_size=3)),
    "items": maybe(
        st.lists(
            st.fixed_dictionaries(
                {"item_name": texts("ok", "bad", "toolong")},
                optional={"qty": st.one_of(st.none(), st.integers(-2, 3))},
            ),
            max_size=3,
        )
    ),
    "tag": maybe(st.one_of(texts("1", "2", "999", "1.0"), st.integers(-1, 3))),
    "note": maybe(text),
}


@st.composite
def inputs(draw):
    data = {"short_text": draw(FIELDS["short_text"])}
    for name, values in FIELDS.items():
        value = draw(values) if name != "short_text" else ABSENT
        if value is not ABSENT:
            data[name] = value
    return data


def as_variables(data):
    """The input as GraphQL variables: camelCase names, choices as their enum names."""
    enum_fields = {"color", "colors"}
    variables = {}
    for name, value in data.items():
        if name in enum_fields and value is not None:
            value = [each.upper() for each in value] if isinstance(value, list) else value.upper()
        if name == "items" and value is not None:
            value = [{to_camel_case(key): item for key, item in each.items()} for each in value]
        variables[to_camel_case(name)] = value
    return {"input": variables}


def as_rendered_by_rest(body):
    """REST's answer as GraphQL renders it: camelCase, choices in order, keys as text."""
    rendered = {to_camel_case(name): value for name, value in body.items()}
    if rendered.get("items") is not None:
        rendered["items"] = [
            {to_camel_case(key): value for key, value in each.items()} for each in rendered["items"]
        ]
    if rendered.get("color") is not None:
        rendered["color"] = rendered["color"].upper()
    if rendered.get("colors") is not None:
        rendered["colors"] = sorted(each.upper() for each in rendered["colors"])
    if rendered.get("tag") is not None:
        rendered["tag"] = str(rendered["tag"])  # an ID is text
    return rendered


# ------------------------------------------------------------------------------ the property


@pytest.fixture
def tags(db):
    Tag.objects.bulk_create([Tag(pk=1, name="one"), Tag(pk=2, name="two")])


@settings(max_examples=settings().max_examples * 5)
@given(data=inputs())
def test_rest_and_graphql_validate_a_write_alike(client, tags, data):
    rest = client.post("/rest/", json.dumps(data), content_type="application/json")
    answer = client.post(
        "/graphql/",
        json.dumps({"query": QUERY, "variables": as_variables(data)}),
        content_type="application/json",
    ).json()
    if rest.status_code == 400:
        assert flatten_gql(answer, "recordParity") == flatten_rest(rest.json())
        return
    assert rest.status_code == 201, rest.content
    assert "errors" not in answer, answer
    record = answer["data"]["recordParity"]["record"]
    if record.get("colors") is not None:
        record["colors"] = sorted(record["colors"])
    expected = as_rendered_by_rest(rest.json())
    # A field REST leaves out (not given, no default) is null in GraphQL's answer.
    assert {name: value for name, value in record.items() if name not in expected} == dict.fromkeys(
        set(record) - set(expected)
    )
    assert {name: record[name] for name in expected} == expected
