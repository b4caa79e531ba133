"""Admin pages, handy for looking at what REST and GraphQL calls wrote."""

from django.contrib import admin

from .models import Owner, Subtask, Tag, Task


class SubtaskInline(admin.TabularInline):
    """Edit a task's checklist on the task's own page."""

    model = Subtask
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """Tasks with the columns that the REST filters use."""

    list_display = ["name", "owner", "priority", "due_date", "completed"]
    list_filter = ["completed", "priority", "tags"]
    inlines = [SubtaskInline]


admin.site.register(Owner)
admin.site.register(Tag)
