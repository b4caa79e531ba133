import datetime
import decimal
import json
import typing

import pytest
from django.urls import include, path
from graphql import print_schema
from rest_framework import serializers

from drf_graphql_crud import DRFGraphQLView
from tests.factories import ProjectFactory, TagFactory, TaskFactory, UserFactory
from tests.parity import flatten_gql, flatten_rest
from tests.testapp.models import Project, Task

from .common import build, gql, rest

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

WHEN = datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone.utc)


class RvMethodSerializer(serializers.ModelSerializer):
    m_int = serializers.SerializerMethodField()
    m_dict = serializers.SerializerMethodField()
    m_list = serializers.SerializerMethodField()
    m_dec = serializers.SerializerMethodField()
    m_dt = serializers.SerializerMethodField()
    m_date = serializers.SerializerMethodField()
    m_dec_a = serializers.SerializerMethodField()
    m_dt_a = serializers.SerializerMethodField()
    m_dt_naive_a = serializers.SerializerMethodField()
    m_list_a = serializers.SerializerMethodField()
    m_opt = serializers.SerializerMethodField()
    m_none_a = serializers.SerializerMethodField()
    m_float_a = serializers.SerializerMethodField()
    m_td_a = serializers.SerializerMethodField()
    m_tuple_a = serializers.SerializerMethodField()
    m_str_int = serializers.SerializerMethodField()
    m_lit = serializers.SerializerMethodField()
    m_uuid = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "title", "m_int", "m_dict", "m_list", "m_dec", "m_dt", "m_date", "m_dec_a",
                  "m_dt_a", "m_dt_naive_a", "m_list_a", "m_opt", "m_none_a", "m_float_a", "m_td_a",
                  "m_tuple_a", "m_str_int", "m_lit", "m_uuid"]

    def get_m_int(self, obj):
        return obj.priority

    def get_m_dict(self, obj):
        return {"a": 1, "b": [1, 2], "d": decimal.Decimal("1.50"), "t": WHEN}

    def get_m_list(self, obj):
        return [1, "x", None]

    def get_m_dec(self, obj):
        return decimal.Decimal("1.50")

    def get_m_dt(self, obj):
        return WHEN

    def get_m_date(self, obj):
        return datetime.date(2026, 1, 2)

    def get_m_dec_a(self, obj) -> decimal.Decimal:
        return decimal.Decimal("1.50")

    def get_m_dt_a(self, obj) -> datetime.datetime:
        return WHEN

    def get_m_dt_naive_a(self, obj) -> datetime.datetime:
        return datetime.datetime(2026, 1, 2, 3, 4, 5)

    def get_m_list_a(self, obj) -> list[int]:
        return [1, 2, 3]

    def get_m_opt(self, obj) -> typing.Optional[str]:
        return None

    def get_m_none_a(self, obj) -> str:
        return None if obj.priority == 0 else "x"

    def get_m_float_a(self, obj) -> float:
        return decimal.Decimal("2.5")

    def get_m_td_a(self, obj) -> datetime.timedelta:
        return datetime.timedelta(days=1, seconds=5)

    def get_m_tuple_a(self, obj) -> tuple[int, str]:
        return (1, "a")

    def get_m_str_int(self, obj) -> str:
        return 5

    def get_m_lit(self, obj) -> typing.Literal["a", "b"]:
        return "a"

    def get_m_uuid(self, obj):
        import uuid
        return uuid.UUID(int=5)


class RvReprSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "notes", "priority"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data.pop("notes")
        data["extra"] = "x"
        data["title"] = data["title"].upper()
        return data


class RvInternalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "notes", "priority"]

    def to_internal_value(self, data):
        data = dict(data)
        if "title" in data and isinstance(data["title"], str):
            data["title"] = data["title"].strip().lower()
        if "priority" not in data and not self.partial:
            data["priority"] = 9
        return super().to_internal_value(data)


class CommaList(serializers.Field):
    def to_representation(self, value):
        return [p for p in value.split(",") if p]

    def to_internal_value(self, data):
        if not isinstance(data, list) or not all(isinstance(x, str) for x in data):
            raise serializers.ValidationError("Expected a list of strings.")
        return ",".join(data)


class Money(serializers.Field):
    def to_representation(self, value):
        return {"amount": str(value), "currency": "EUR"} if value is not None else None

    def to_internal_value(self, data):
        try:
            return decimal.Decimal(str(data["amount"]))
        except Exception:
            raise serializers.ValidationError("Bad money.")


class RvCustomSerializer(serializers.ModelSerializer):
    notes = CommaList()
    estimate = Money(allow_null=True, required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "notes", "estimate"]


schema, router = build(
    [
        ("Meth", RvMethodSerializer, Task.objects.order_by("pk")),
        ("Repr", RvReprSerializer, Task.objects.order_by("pk")),
        ("Intern", RvInternalSerializer, Task.objects.order_by("pk")),
        ("Cust", RvCustomSerializer, Task.objects.order_by("pk")),
    ]
)

urlpatterns = [
    path("api/", include(router.urls)),
    path("graphql/", DRFGraphQLView.as_view(schema=schema)),
]

METH = "id title mInt mDict mList mDec mDt mDate mDecA mDtA mDtNaiveA mListA mOpt mNoneA mFloatA mTdA mTupleA mStrInt mLit mUuid"


def test_print():
    text = print_schema(schema.graphql_schema)
    start = text.index("type RvMethodOutput")
    print(text[start:start + 900])
    start = text.index("type RvReprOutput")
    print(text[start:start + 300])
    start = text.index("type RvCustomOutput")
    print(text[start:start + 300])
    start = text.index("input RvCustomInput")
    print(text[start:start + 400])


@pytest.mark.parametrize("prio", [0, 3])
def test_method_values(client, prio):
    t = TaskFactory(title="meth", priority=prio)
    s, r = rest(client, "get", f"/api/meth/{t.pk}/")
    gs, g = gql(client, "query($id: ID!){ getMeth(id:$id){ %s } }" % METH, {"id": t.pk})
    print(json.dumps(r, indent=1))
    print(json.dumps(g, indent=1))
    from graphene.utils.str_converters import to_camel_case
    diffs = {}
    got = (g.get("data") or {}).get("getMeth") or {}
    for k, v in r.items():
        gv = got.get(to_camel_case(k), "MISSING")
        if k == "id":
            gv = int(gv)
        if gv != v:
            diffs[k] = (v, gv)
    assert not diffs and "errors" not in g, (diffs, g.get("errors"))


def test_method_list(client):
    TaskFactory(title="meth", priority=3)
    s, r = rest(client, "get", "/api/meth/")
    gs, g = gql(client, "{ listMeth { results { %s } } }" % METH)
    assert "errors" not in g, g


def test_repr_override(client):
    t = TaskFactory(title="repr", notes="some notes", priority=2)
    s, r = rest(client, "get", f"/api/repr/{t.pk}/")
    gs, g = gql(client, "query($id: ID!){ getRepr(id:$id){ id title notes priority } }", {"id": t.pk})
    print(r, g)
    assert g["data"]["getRepr"]["title"] == r["title"]
    assert g["data"]["getRepr"]["notes"] is None
    gs, g = gql(client, "{ listRepr { results { id title } } }")
    assert g["data"]["listRepr"]["results"][0]["title"] == "REPR", g
    gs, g = gql(
        client,
        "mutation($i: RvReprInput!){ createRepr(input:$i){ task { id title notes priority } } }",
        {"i": {"title": "new", "notes": "n", "priority": 1}},
    )
    print(g)
    assert "errors" not in g, g
    assert g["data"]["createRepr"]["task"]["title"] == "NEW"


def test_internal_override(client):
    s, r = rest(client, "post", "/api/intern/", {"title": "  Hello ", "notes": "n"})
    assert s == 201, r
    gs, g = gql(
        client,
        "mutation($i: RvInternalInput!){ createIntern(input:$i){ task { id title notes priority } } }",
        {"i": {"title": "  Hello ", "notes": "n"}},
    )
    print(r, g)
    assert "errors" not in g, g
    gt = g["data"]["createIntern"]["task"]
    assert gt["title"] == r["title"] and gt["priority"] == r["priority"]
    s, r = rest(client, "patch", f"/api/intern/{r['id']}/", {"title": " ABC "})
    gs, g = gql(
        client,
        "mutation($id: ID!, $i: RvInternalPartialInput!){ updateIntern(id:$id, input:$i){ task { id title priority } } }",
        {"id": gt["id"], "i": {"title": " ABC "}},
    )
    print(r, g)
    assert g["data"]["updateIntern"]["task"]["title"] == r["title"]
    assert g["data"]["updateIntern"]["task"]["priority"] == r["priority"]


def test_custom_field(client):
    data = {"title": "cust", "notes": ["a", "b"], "estimate": {"amount": "2.5", "currency": "EUR"}}
    s, r = rest(client, "post", "/api/cust/", data)
    assert s == 201, r
    gs, g = gql(
        client,
        "mutation($i: RvCustomInput!){ createCust(input:$i){ task { id title notes estimate } } }",
        {"i": data},
    )
    print(r, g)
    assert "errors" not in g, g
    gt = g["data"]["createCust"]["task"]
    assert gt["notes"] == r["notes"]
    assert gt["estimate"] == r["estimate"]
    # literal form in the document
    gs, g = gql(
        client,
        'mutation{ createCust(input:{title: "cust2", notes: ["a","b"], estimate: {amount: "2.5", currency: "EUR"}}){ task { id title notes estimate } } }',
    )
    print(g)
    assert "errors" not in g, g
    # bad value
    s, r = rest(client, "post", "/api/cust/", {"title": "cust", "notes": "a,b"})
    gs, g = gql(
        client,
        "mutation($i: RvCustomInput!){ createCust(input:$i){ task { id } } }",
        {"i": {"title": "cust", "notes": "a,b"}},
    )
    print(r, g)
    assert flatten_rest(r) == flatten_gql(g, "createCust")
    # read & list
    t = Task.objects.first()
    s, r = rest(client, "get", f"/api/cust/{t.pk}/")
    gs, g = gql(client, "query($id: ID!){ getCust(id:$id){ id notes estimate } }", {"id": t.pk})
    assert g["data"]["getCust"]["notes"] == r["notes"]
    assert g["data"]["getCust"]["estimate"] == r["estimate"]
