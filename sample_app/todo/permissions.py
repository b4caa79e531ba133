"""DRF permissions shared by the REST viewsets and the GraphQL mutations."""

from rest_framework.permissions import BasePermission


class IsOwner(BasePermission):
    """Only the task's owner may see or change it.

    The querysets are already scoped to the caller's tasks, so this is defence in depth; it is
    also the object permission that shows GraphQL running ``has_object_permission`` on the
    looked-up row, with this ``message`` reaching the client as DRF would send it.
    """

    message = "You can only access your own tasks."

    def has_object_permission(self, request, view, obj) -> bool:
        # Compare ids: equal to ``obj.owner.user == request.user`` without loading the user.
        return obj.owner.user_id == request.user.pk
