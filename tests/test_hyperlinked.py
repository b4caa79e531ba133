"""Hyperlinked serializers and fields: REST and GraphQL answers compared, in and out."""

import graphene
import pytest
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from drf_graphql_crud import (
    CreateMutation,
    DRFGraphQLView,
    ListField,
    RetrieveField,
    UpdateMutation,
    ViewSetCrud,
)
from tests.factories import ProjectFactory, TagFactory, TaskFactory
from tests.parity import DetailedErrorsMixin, flatten_gql, flatten_rest, gql_post, rest_post
from tests.testapp.models import Project, Tag, Task

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class LinkLinkTaskSerializer(serializers.HyperlinkedModelSerializer):
    """url (identity), project (FK link), tags (many links)."""

    class Meta:
        model = Task
        fields = ["url", "id", "title", "project", "tags"]
        extra_kwargs = {"project": {"required": False, "allow_null": True}}


class LinkLinkProjectSerializer(serializers.HyperlinkedModelSerializer):
    class Meta:
        model = Project
        fields = ["url", "id", "slug", "name"]


class LinkLinkTagSerializer(serializers.HyperlinkedModelSerializer):
    class Meta:
        model = Tag
        fields = ["url", "id", "name"]


class LinkSlugLinkTaskSerializer(serializers.ModelSerializer):
    """A project linked by slug (lookup_field), in a plain ModelSerializer."""

    project = serializers.HyperlinkedRelatedField(
        view_name="project-slug-detail",
        lookup_field="slug",
        queryset=Project.objects.all(),
        required=False,
        allow_null=True,
    )
    self_link = serializers.HyperlinkedIdentityField(view_name="task-detail")

    class Meta:
        model = Task
        fields = ["id", "title", "project", "self_link"]


class LinkLinkTaskViewSet(DetailedErrorsMixin, viewsets.ModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = LinkLinkTaskSerializer


class LinkLinkProjectViewSet(DetailedErrorsMixin, viewsets.ModelViewSet):
    queryset = Project.objects.order_by("pk")
    serializer_class = LinkLinkProjectSerializer


class LinkSlugProjectViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Project.objects.order_by("pk")
    serializer_class = LinkLinkProjectSerializer
    lookup_field = "slug"


class LinkLinkTagViewSet(DetailedErrorsMixin, viewsets.ModelViewSet):
    queryset = Tag.objects.order_by("pk")
    serializer_class = LinkLinkTagSerializer


class LinkSlugLinkTaskViewSet(DetailedErrorsMixin, viewsets.ModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = LinkSlugLinkTaskSerializer


class CreateLinkTask(CreateMutation):
    class Meta:
        serializer_class = LinkLinkTaskSerializer


class UpdateLinkTask(UpdateMutation):
    class Meta:
        serializer_class = LinkLinkTaskSerializer


class CreateSlugLinkTask(CreateMutation):
    class Meta:
        serializer_class = LinkSlugLinkTaskSerializer
        return_field_name = "task"


link_crud = ViewSetCrud(LinkLinkTaskViewSet, name="crudLinkTask")


class Query(link_crud.Query, graphene.ObjectType):
    link_task = RetrieveField(LinkLinkTaskSerializer)
    link_tasks = ListField(LinkLinkTaskSerializer, queryset=Task.objects.order_by("pk"))
    slug_link_task = RetrieveField(LinkSlugLinkTaskSerializer)


class Mutation(link_crud.Mutation, graphene.ObjectType):
    create_link_task = CreateLinkTask.Field()
    update_link_task = UpdateLinkTask.Field()
    create_slug_link_task = CreateSlugLinkTask.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)

router = DefaultRouter()
router.register("tasks", LinkLinkTaskViewSet, basename="task")
router.register("projects", LinkLinkProjectViewSet, basename="project")
router.register("tags", LinkLinkTagViewSet, basename="tag")
router.register("slug-projects", LinkSlugProjectViewSet, basename="project-slug")
router.register("slug-link-tasks", LinkSlugLinkTaskViewSet, basename="slug-link-task")

urlpatterns = [
    path("api/", include(router.urls)),
    path("graphql/", DRFGraphQLView.as_view(schema=schema)),
]

FIELDS = "url id title project tags"


def camel(rest):
    return {
        "url": rest["url"],
        "id": str(rest["id"]),
        "title": rest["title"],
        "project": rest["project"],
        "tags": rest["tags"],
    }


def make_task():
    project = ProjectFactory()
    tags = [TagFactory(), TagFactory()]
    task = TaskFactory(project=project, title="Linked")
    task.tags.set(tags)
    return task, project, tags


# ------------------------------------------------------------------------------ outputs


@pytest.mark.parametrize(
    "extra",
    [{}, {"HTTP_HOST": "api.example.com"}, {"HTTP_HOST": "api.example.com:8443", "secure": True}],
    ids=["default", "other-host", "https-port"],
)
def test_retrieve_field_links_match_rest(client, extra):
    task, project, tags = make_task()
    status, rest = client.get(f"/api/tasks/{task.pk}/", **extra).status_code, None
    rest = client.get(f"/api/tasks/{task.pk}/", **extra).json()
    assert rest["url"].endswith(f"/api/tasks/{task.pk}/")
    status, body = gql_post(client, f'{{ linkTask(id: "{task.pk}") {{ {FIELDS} }} }}', **extra)
    assert body == {"data": {"linkTask": camel(rest)}}


def test_list_field_links_match_rest(client):
    make_task()
    make_task()
    rest = client.get("/api/tasks/").json()
    status, body = gql_post(client, f"{{ linkTasks {{ totalCount results {{ {FIELDS} }} }} }}")
    assert body == {"data": {"linkTasks": {"totalCount": 2, "results": [camel(r) for r in rest]}}}


def test_list_field_links_only_url_selected(client):
    """Pruned to `url` alone: the identity field reads the instance itself (source='*')."""
    task, _, _ = make_task()
    rest = client.get("/api/tasks/").json()
    status, body = gql_post(client, "{ linkTasks { results { url tags } } }")
    assert body == {
        "data": {"linkTasks": {"results": [{"url": r["url"], "tags": r["tags"]} for r in rest]}}
    }


def test_viewset_crud_retrieve_and_list_match_rest(client):
    task, _, _ = make_task()
    extra = {"HTTP_HOST": "api.example.com", "secure": True}
    rest = client.get(f"/api/tasks/{task.pk}/", **extra).json()
    status, body = gql_post(client, f'{{ crudLinkTask(id: "{task.pk}") {{ {FIELDS} }} }}', **extra)
    assert body == {"data": {"crudLinkTask": camel(rest)}}
    rest_list = client.get("/api/tasks/", **extra).json()
    status, body = gql_post(client, f"{{ crudLinkTasks {{ results {{ {FIELDS} }} }} }}", **extra)
    assert body == {"data": {"crudLinkTasks": {"results": [camel(r) for r in rest_list]}}}


def test_hyperlinked_identity_with_slug_lookup_matches_rest(client):
    project = ProjectFactory(slug="garden")
    task = TaskFactory(project=project)
    rest = client.get(f"/api/slug-link-tasks/{task.pk}/").json()
    assert rest["project"].endswith("/api/slug-projects/garden/")
    status, body = gql_post(
        client, f'{{ slugLinkTask(id: "{task.pk}") {{ id title project selfLink }} }}'
    )
    assert body == {
        "data": {
            "slugLinkTask": {
                "id": str(rest["id"]),
                "title": rest["title"],
                "project": rest["project"],
                "selfLink": rest["self_link"],
            }
        }
    }


# ------------------------------------------------------------------------------ inputs


def test_create_with_links_matches_rest(client):
    project = ProjectFactory()
    tags = [TagFactory(), TagFactory()]
    links = {
        "project": f"http://testserver/api/projects/{project.pk}/",
        "tags": [f"http://testserver/api/tags/{tag.pk}/" for tag in tags],
    }
    status, rest = rest_post(client, "/api/tasks/", {"title": "Via REST", **links})
    assert status == 201, rest
    status, body = gql_post(
        client,
        f"mutation($input: LinkLinkTaskInput!) {{ createLinkTask(input: $input) {{ task {{ {FIELDS} }} }} }}",
        {"input": {"title": "Via GraphQL", **links}},
    )
    assert "errors" not in body, body
    out = body["data"]["createLinkTask"]["task"]
    rest_task = Task.objects.get(pk=rest["id"])
    gql_task = Task.objects.get(pk=out["id"])
    assert gql_task.project_id == rest_task.project_id == project.pk
    assert set(gql_task.tags.values_list("pk", flat=True)) == {t.pk for t in tags}
    assert out["project"] == rest["project"]
    assert out["tags"] == rest["tags"]
    assert out["url"] == rest["url"].replace(f"/{rest['id']}/", f"/{out['id']}/")


def test_viewset_crud_create_with_links_matches_rest(client):
    project = ProjectFactory()
    link = f"http://testserver/api/projects/{project.pk}/"
    status, rest = rest_post(client, "/api/tasks/", {"title": "Via REST", "project": link})
    status, body = gql_post(
        client,
        "mutation($input: LinkLinkTaskInput!) { createCrudLinkTask(input: $input) "
        f"{{ crudLinkTask {{ {FIELDS} }} }} }}",
        {"input": {"title": "Via GraphQL", "project": link}},
    )
    assert "errors" not in body, body
    out = body["data"]["createCrudLinkTask"]["crudLinkTask"]
    assert out["project"] == rest["project"] == link


BAD_LINKS = {
    "no-match": "http://testserver/nowhere/1/",
    "other-view": "http://testserver/api/tags/{tag}/",
    "missing-row": "http://testserver/api/projects/999999/",
    "not-a-url": "just text",
    "other-host": "http://elsewhere.example/api/projects/{project}/",
}


@pytest.mark.parametrize("case", list(BAD_LINKS))
def test_bad_project_link_errors_match_rest(client, case):
    project, tag = ProjectFactory(), TagFactory()
    link = BAD_LINKS[case].format(project=project.pk, tag=tag.pk)
    before = Task.objects.count()
    status, rest = rest_post(client, "/api/tasks/", {"title": "x", "project": link})
    status_gql, body = gql_post(
        client,
        "mutation($input: LinkLinkTaskInput!) { createLinkTask(input: $input) "
        "{ task { id project } } }",
        {"input": {"title": "x", "project": link}},
    )
    if case == "other-host":  # DRF only reads the path of a link
        assert status == 201
        assert body["data"]["createLinkTask"]["task"]["project"] == rest["project"]
        return
    assert status == 400
    assert flatten_gql(body, "createLinkTask") == flatten_rest(rest)
    assert Task.objects.count() == before


@pytest.mark.parametrize("case", list(BAD_LINKS))
def test_bad_tag_link_in_list_errors_match_rest(client, case):
    project, tag = ProjectFactory(), TagFactory()
    link = BAD_LINKS[case].format(project=project.pk, tag=tag.pk)
    good = f"http://testserver/api/tags/{tag.pk}/"
    status, rest = rest_post(client, "/api/tasks/", {"title": "x", "tags": [good, link]})
    if case == "other-view":  # a tag link is right for tags
        assert status == 201
        return
    assert status == 400
    status, body = gql_post(
        client,
        "mutation($input: LinkLinkTaskInput!) { createLinkTask(input: $input) { task { id } } }",
        {"input": {"title": "x", "tags": [good, link]}},
    )
    assert flatten_gql(body, "createLinkTask") == flatten_rest(rest)


def test_update_with_link_matches_rest(client):
    task, project, tags = make_task()
    other = ProjectFactory()
    link = f"http://testserver/api/projects/{other.pk}/"
    status, rest = rest_post(client, f"/api/tasks/{task.pk}/", {"project": link}, method="patch")
    assert status == 200
    task.project = project
    task.save()
    status, body = gql_post(
        client,
        f'mutation {{ updateLinkTask(id: "{task.pk}", input: {{project: "{link}"}}) {{ task {{ {FIELDS} }} }} }}',
    )
    assert body == {"data": {"updateLinkTask": {"task": camel(rest)}}}


def test_slug_link_input_matches_rest(client):
    ProjectFactory(slug="garden")
    link = "http://testserver/api/slug-projects/garden/"
    status, rest = rest_post(client, "/api/slug-link-tasks/", {"title": "x", "project": link})
    assert status == 201, rest
    status, body = gql_post(
        client,
        "mutation($input: LinkSlugLinkTaskInput!) { createSlugLinkTask(input: $input) "
        "{ task { id project selfLink } } }",
        {"input": {"title": "x", "project": link}},
    )
    assert "errors" not in body, body
    out = body["data"]["createSlugLinkTask"]["task"]
    assert out["project"] == rest["project"]
    # A pk link for a slug view: REST says "does not exist".
    status, rest = rest_post(
        client,
        "/api/slug-link-tasks/",
        {"title": "x", "project": "http://testserver/api/slug-projects/nope/"},
    )
    status, body = gql_post(
        client,
        "mutation($input: LinkSlugLinkTaskInput!) { createSlugLinkTask(input: $input) "
        "{ task { id } } }",
        {"input": {"title": "x", "project": "http://testserver/api/slug-projects/nope/"}},
    )
    assert flatten_gql(body, "createSlugLinkTask") == flatten_rest(rest)


def test_mutation_payload_links_use_request_host_and_scheme(client):
    project = ProjectFactory()
    extra = {"HTTP_HOST": "api.example.com:8443", "secure": True}
    link = f"https://api.example.com:8443/api/projects/{project.pk}/"
    status, rest = rest_post(client, "/api/tasks/", {"title": "R", "project": link}, **extra)
    assert status == 201, rest
    status, body = gql_post(
        client,
        f"mutation($input: LinkLinkTaskInput!) {{ createLinkTask(input: $input) {{ task {{ {FIELDS} }} }} }}",
        {"input": {"title": "G", "project": link}},
        **extra,
    )
    out = body["data"]["createLinkTask"]["task"]
    assert out["url"].startswith("https://api.example.com:8443/api/tasks/")
    assert out["project"] == rest["project"] == link
    status, body = gql_post(
        client,
        'mutation {{ updateCrudLinkTask(id: "{}", input: {{title: "U"}}) {{ crudLinkTask {{ url project }} }} }}'.format(
            out["id"]
        ),
        **extra,
    )
    assert body["data"]["updateCrudLinkTask"]["crudLinkTask"] == {
        "url": out["url"],
        "project": link,
    }


class LinkNestedLinkTaskSerializer(serializers.ModelSerializer):
    project = LinkLinkProjectSerializer(read_only=True)
    tags = LinkLinkTagSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "project", "tags"]


class NestedLinkQuery(graphene.ObjectType):
    nested_link_tasks = ListField(
        LinkNestedLinkTaskSerializer, queryset=Task.objects.order_by("pk")
    )


nested_schema = graphene.Schema(query=NestedLinkQuery)
urlpatterns += [path("nested-graphql/", DRFGraphQLView.as_view(schema=nested_schema))]


class LinkNestedLinkTaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = LinkNestedLinkTaskSerializer


router.register("nested-link-tasks", LinkNestedLinkTaskViewSet, basename="nested-link-task")
urlpatterns[0] = path("api/", include(router.urls))


@pytest.mark.parametrize("selection", ["project", "url", "tags"])
def test_list_single_link_selection_matches_rest(client, selection):
    make_task()
    TaskFactory(project=None)  # a task without a project: its link is null
    rest = client.get("/api/tasks/").json()
    status, body = gql_post(client, f"{{ linkTasks {{ results {{ {selection} }} }} }}")
    assert body == {"data": {"linkTasks": {"results": [{selection: r[selection]} for r in rest]}}}


def test_nested_hyperlinked_serializers_in_list_match_rest(client):
    make_task()
    TaskFactory(project=None)
    rest = client.get("/api/nested-link-tasks/").json()
    status, body = gql_post(
        client,
        "{ nestedLinkTasks { results { title project { url } tags { url name } } } }",
        url="/nested-graphql/",
    )
    assert body == {
        "data": {
            "nestedLinkTasks": {
                "results": [
                    {
                        "title": r["title"],
                        "project": r["project"] and {"url": r["project"]["url"]},
                        "tags": [{"url": t["url"], "name": t["name"]} for t in r["tags"]],
                    }
                    for r in rest
                ]
            }
        }
    }
