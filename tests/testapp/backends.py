class OwnerObjectPermissionBackend:
    """Grants every object permission on a task to its owner, to test DjangoObjectPermissions."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return obj is not None and getattr(obj, "owner_id", None) == getattr(user_obj, "pk", -1)
