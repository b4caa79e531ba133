from rest_framework.permissions import BasePermission


class IsOwner(BasePermission):
    message = "You must own this task."
    code = "not_owner"

    def has_object_permission(self, request, view, obj):
        return obj.owner_id == getattr(request.user, "pk", None)


class RecordingPermission(BasePermission):
    """Records what DRF code sees: the request method, the view's action and kwargs."""

    seen: list = []

    def has_permission(self, request, view):
        RecordingPermission.seen.append(
            (
                "has_permission",
                request.method,
                view.action,
                dict(view.kwargs),
                view.get_queryset().model.__name__,
            )
        )
        return True

    def has_object_permission(self, request, view, obj):
        RecordingPermission.seen.append(
            ("has_object_permission", request.method, view.action, obj.pk)
        )
        return True
