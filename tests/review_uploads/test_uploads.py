"""Probes: FileField/ImageField over GraphQL multipart vs REST multipart."""

import io
import json

import graphene
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from rest_framework import serializers, viewsets
from rest_framework.test import APIRequestFactory

from drf_graphql_crud import (
    BulkCreateMutation,
    CreateMutation,
    DRFGraphQLView,
    ListField,
    RetrieveField,
    UpdateMutation,
)
from tests.testapp.models import Document

pytestmark = pytest.mark.django_db


class RuDocSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "name", "file"]


class RuStrictSerializer(serializers.ModelSerializer):
    file = serializers.FileField(max_length=10, allow_empty_file=False)

    class Meta:
        model = Document
        fields = ["id", "name", "file"]


class RuEmptyOkSerializer(serializers.ModelSerializer):
    file = serializers.FileField(allow_empty_file=True, required=False)

    class Meta:
        model = Document
        fields = ["id", "name", "file"]


class RuImageSerializer(serializers.ModelSerializer):
    file = serializers.ImageField()

    class Meta:
        model = Document
        fields = ["id", "name", "file"]


class RuNullableSerializer(serializers.ModelSerializer):
    file = serializers.FileField(allow_null=True, required=False)

    class Meta:
        model = Document
        fields = ["id", "name", "file"]


class RuNoUrlSerializer(serializers.ModelSerializer):
    file = serializers.FileField(use_url=False, required=False)

    class Meta:
        model = Document
        fields = ["id", "name", "file"]


def _mk(name, base, serializer):
    meta = type("Meta", (), {"serializer_class": serializer})
    return type(name, (base,), {"Meta": meta})


RuCreateDoc = _mk("RuCreateDoc", CreateMutation, RuDocSerializer)
RuUpdateDoc = _mk("RuUpdateDoc", UpdateMutation, RuDocSerializer)
RuBulkDoc = _mk("RuBulkDoc", BulkCreateMutation, RuDocSerializer)
RuCreateStrict = _mk("RuCreateStrict", CreateMutation, RuStrictSerializer)
RuCreateEmptyOk = _mk("RuCreateEmptyOk", CreateMutation, RuEmptyOkSerializer)
RuCreateImage = _mk("RuCreateImage", CreateMutation, RuImageSerializer)
RuUpdateNullable = _mk("RuUpdateNullable", UpdateMutation, RuNullableSerializer)
RuCreateNoUrl = _mk("RuCreateNoUrl", CreateMutation, RuNoUrlSerializer)


class RuQuery(graphene.ObjectType):
    ru_doc = RetrieveField(RuDocSerializer)
    ru_docs = ListField(RuDocSerializer)


class RuMutation(graphene.ObjectType):
    ru_create_doc = RuCreateDoc.Field()
    ru_update_doc = RuUpdateDoc.Field()
    ru_bulk_doc = RuBulkDoc.Field()
    ru_create_strict = RuCreateStrict.Field()
    ru_create_empty_ok = RuCreateEmptyOk.Field()
    ru_create_image = RuCreateImage.Field()
    ru_update_nullable = RuUpdateNullable.Field()
    ru_create_no_url = RuCreateNoUrl.Field()


schema = graphene.Schema(query=RuQuery, mutation=RuMutation)
view = DRFGraphQLView.as_view(schema=schema)


def vs(serializer):
    return type(
        "VS", (viewsets.ModelViewSet,),
        {"queryset": Document.objects.all(), "serializer_class": serializer},
    )


def rest(serializer, method, data, pk=None, fmt="multipart"):
    f = APIRequestFactory()
    action = {"post": "create", "patch": "partial_update", "get": "retrieve"}[method]
    url = "/docs/" if pk is None else f"/docs/{pk}/"
    req = getattr(f, method)(url, data, format=fmt) if method != "get" else f.get(url)
    kwargs = {} if pk is None else {"pk": pk}
    resp = vs(serializer).as_view({method: action})(req, **kwargs)
    resp.render()
    return resp.status_code, json.loads(resp.content)


def gql_multipart(query, variables, map_, files, raw_ops=None, raw_map=None):
    data = {
        "operations": raw_ops if raw_ops is not None else json.dumps({"query": query, "variables": variables}),
        "map": raw_map if raw_map is not None else json.dumps(map_),
    }
    data.update(files)
    req = RequestFactory().post("/graphql/", data)
    resp = view(req)
    return resp.status_code, json.loads(resp.content)


def gql_json(query, variables=None):
    req = RequestFactory().post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    resp = view(req)
    return resp.status_code, json.loads(resp.content)


def up(name="notes.txt", content=b"hello", ctype="text/plain"):
    return SimpleUploadedFile(name, content, content_type=ctype)


CREATE = "mutation($f: Upload, $n: String!) { %s(input: {name: $n, file: $f}) { document { id name file } } }"


def create(mut, f, name="N"):
    q = CREATE % mut
    if "Strict" in mut or "Image" in mut:
        q = q.replace("$f: Upload,", "$f: Upload!,")
    return gql_multipart(q, {"f": None, "n": name}, {"0": ["variables.f"]}, {"0": f})


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_stored_names_match(capsys):
    g = create("ruCreateDoc", up("notes.txt"))
    r = rest(RuDocSerializer, "post", {"name": "N", "file": up("notes.txt")})
    print("G", g, "\nR", r)
    assert g[0] == 200 and r[0] == 201
    docs = list(Document.objects.order_by("pk"))
    print([d.file.name for d in docs])
    assert g[1]["data"]["ruCreateDoc"]["document"]["file"].startswith("http://testserver/media/docs/notes")
    assert r[1]["file"].startswith("http://testserver/media/docs/notes")


@pytest.mark.parametrize("case", ["empty", "long", "noname"])
def test_strict_validation_errors(case):
    f = {"empty": up("a.txt", b""), "long": up("abcdefghijkl.txt"), "noname": up("x.txt")}[case]
    if case == "noname":
        f.name = ""
    g = create("ruCreateStrict", f)
    f2 = {"empty": up("a.txt", b""), "long": up("abcdefghijkl.txt"), "noname": up("x.txt")}[case]
    if case == "noname":
        f2.name = ""
    r = rest(RuStrictSerializer, "post", {"name": "N", "file": f2})
    print("G", g, "\nR", r)
    assert r[0] == 400
    assert g[1]["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
    assert [e["message"] for e in g[1]["errors"][0]["extensions"]["errors"]] == r[1]["file"]


def test_strict_missing_file():
    q = "mutation { ruCreateStrict(input: {name: \"N\"}) { document { id } } }"
    g = gql_json(q)
    r = rest(RuStrictSerializer, "post", {"name": "N"})
    print("G", g, "\nR", r)


def test_empty_ok():
    g = create("ruCreateEmptyOk", up("a.txt", b""))
    r = rest(RuEmptyOkSerializer, "post", {"name": "N", "file": up("a.txt", b"")})
    print("G", g, "\nR", r)
    assert r[0] == 201
    assert g[0] == 200 and "errors" not in g[1]


def test_image_wrong_type():
    g = create("ruCreateImage", up("a.png", b"not an image", "image/png"))
    r = rest(RuImageSerializer, "post", {"name": "N", "file": up("a.png", b"not an image", "image/png")})
    print("G", g, "\nR", r)
    assert r[0] == 400
    assert [e["message"] for e in g[1]["errors"][0]["extensions"]["errors"]] == r[1]["file"]
    assert not Document.objects.exists()


def test_image_ok():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buf, "PNG")
    g = create("ruCreateImage", up("a.png", buf.getvalue(), "image/png"))
    r = rest(RuImageSerializer, "post", {"name": "N", "file": up("a.png", buf.getvalue(), "image/png")})
    print("G", g, "\nR", r)
    assert r[0] == 201 and "errors" not in g[1]


def test_string_instead_of_file_json():
    q = "mutation($f: Upload) { ruCreateDoc(input: {name: \"N\", file: $f}) { document { id } } }"
    g = gql_json(q, {"f": "abc"})
    r = rest(RuDocSerializer, "post", {"name": "N", "file": "abc"}, fmt="json")
    print("G", g, "\nR", r)
    assert g[1]["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
    assert [e["message"] for e in g[1]["errors"][0]["extensions"]["errors"]] == r[1]["file"]


@pytest.mark.parametrize("literal", ['"abc"', '{name: "x", size: 3}', "5", '["a"]'])
def test_inline_literal_for_upload(literal):
    q = "mutation { ruCreateDoc(input: {name: \"N\", file: %s}) { document { id } } }" % literal
    g = gql_json(q)
    print("G", g)
    assert g[0] != 500
    assert "errors" in g[1]
    assert not Document.objects.exists()


def test_use_url_false_setting(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "UPLOADED_FILES_USE_URL": False}

    class RuSettingSerializer(serializers.ModelSerializer):
        class Meta:
            model = Document
            fields = ["id", "name", "file"]

    r = rest(RuSettingSerializer, "post", {"name": "N", "file": up()})
    print("R", r)
    g = create("ruCreateNoUrl", up())
    print("G", g)
    assert g[1]["data"]["ruCreateNoUrl"]["document"]["file"].startswith("docs/")


def test_query_outputs_absolute_url():
    g = create("ruCreateDoc", up())
    pk = g[1]["data"]["ruCreateDoc"]["document"]["id"]
    r = rest(RuDocSerializer, "get", None, pk=pk)
    q1 = gql_json("query($id: ID!) { ruDoc(id: $id) { id file } }", {"id": pk})
    q2 = gql_json("{ ruDocs { results { id file } } }")
    print(r, q1, q2)
    assert q1[1]["data"]["ruDoc"]["file"] == r[1]["file"]
    assert q2[1]["data"]["ruDocs"]["results"][0]["file"] == r[1]["file"]


def test_update_replace_and_clear():
    d = Document.objects.create(name="x", file="docs/old.txt")
    q = "mutation($id: ID!, $f: Upload) { ruUpdateDoc(id: $id, input: {file: $f}) { document { id file } } }"
    g = gql_multipart(q, {"id": d.pk, "f": None}, {"0": ["variables.f"]}, {"0": up("new.txt")})
    print("G replace", g)
    assert "docs/new" in g[1]["data"]["ruUpdateDoc"]["document"]["file"]
    # clear with null: REST JSON PATCH {"file": null}
    g = gql_json(q, {"id": d.pk, "f": None})
    r = rest(RuDocSerializer, "patch", {"file": None}, pk=d.pk, fmt="json")
    print("G null", g, "\nR null", r)
    # nullable serializer
    q2 = q.replace("ruUpdateDoc", "ruUpdateNullable")
    g2 = gql_json(q2, {"id": d.pk, "f": None})
    d.refresh_from_db()
    gname = d.file.name
    d.file = "docs/old.txt"; d.save()
    r2 = rest(RuNullableSerializer, "patch", {"file": None}, pk=d.pk, fmt="json")
    d.refresh_from_db()
    print("G2", g2, gname, "\nR2", r2, d.file.name)
    assert g2[1]["data"]["ruUpdateNullable"]["document"]["file"] == r2[1]["file"]
    assert gname == d.file.name


def test_bulk_shared_part():
    q = "mutation($i: [RuDocInput!]!) { ruBulkDoc(input: $i) { documents { id file } } }"
    g = gql_multipart(
        q, {"i": [{"name": "a", "file": None}, {"name": "b", "file": None}]},
        {"0": ["variables.i.0.file", "variables.i.1.file"]}, {"0": up("s.txt", b"shared")},
    )
    print("G", g)
    assert g[0] == 200 and "errors" not in g[1], g
    assert [d.file.read() for d in Document.objects.order_by("pk")] == [b"shared", b"shared"]


def test_bulk_error_path_for_file():
    q = "mutation($i: [RuDocInput!]!) { ruBulkDoc(input: $i) { documents { id file } } }"
    g = gql_multipart(
        q, {"i": [{"name": "a", "file": None}, {"name": "b", "file": None}]},
        {"0": ["variables.i.0.file"], "1": ["variables.i.1.file"]},
        {"0": up("s.txt", b"ok"), "1": up("e.txt", b"")},
    )
    print("G", g)
    errs = g[1]["errors"][0]["extensions"]["errors"]
    assert errs[0]["field"] == "input.1.file" or errs[0]["field"] == "1.file"
    assert not Document.objects.exists()


# ------------------------------------------------------------ malformed multipart

Q = "mutation($f: Upload) { ruCreateDoc(input: {name: \"N\", file: $f}) { document { id } } }"

MALFORMED = {
    "map_not_json": dict(raw_map="{nope"),
    "map_list": dict(raw_map="[]"),
    "map_value_str": dict(map_={"0": "variables.f"}),
    "map_missing_path": dict(map_={"0": ["variables.g"]}),
    "map_deep_missing": dict(map_={"0": ["variables.f.x"]}),
    "map_empty_path": dict(map_={"0": [""]}),
    "map_query": dict(map_={"0": ["query"]}),
    "map_variables": dict(map_={"0": ["variables"]}),
    "map_opname": dict(map_={"0": ["operationName"]}, raw_ops=json.dumps({"query": Q, "variables": {"f": None}, "operationName": None})),
    "map_list_index_bad": dict(map_={"0": ["variables.l.x"]}, raw_ops=json.dumps({"query": Q, "variables": {"f": None, "l": [None]}})),
    "map_list_index_neg": dict(map_={"0": ["variables.l.-1"]}, raw_ops=json.dumps({"query": Q, "variables": {"f": None, "l": [None]}})),
    "map_non_null_target": dict(map_={"0": ["variables.f"]}, raw_ops=json.dumps({"query": Q, "variables": {"f": "x"}})),
    "unmapped_part": dict(map_={}),
    "ops_query_not_str": dict(map_={}, raw_ops=json.dumps({"query": 5})),
    "ops_variables_str": dict(map_={}, raw_ops=json.dumps({"query": Q, "variables": "nope"})),
    "ops_variables_list": dict(map_={}, raw_ops=json.dumps({"query": Q, "variables": [1]})),
    "map_into_string_var": dict(map_={"0": ["variables.s"]}, raw_ops=json.dumps({"query": "mutation($s: String!) { ruCreateDoc(input: {name: $s}) { document { id } } }", "variables": {"s": None}})),
    "map_key_numeric_list": dict(map_={"0": [5]}),
    "map_extensions": dict(map_={"0": ["extensions"]}, raw_ops=json.dumps({"query": Q, "variables": {"f": None}, "extensions": None})),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_multipart(name):
    kw = dict(MALFORMED[name])
    status, body = gql_multipart(Q, {"f": None}, kw.pop("map_", {"0": ["variables.f"]}), {"0": up()}, **kw)
    print(name, status, body)
    assert status != 500
    assert "Traceback" not in json.dumps(body)
