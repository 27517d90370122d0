"""Give the "Editors" group translation rights, add "Reviewers" and the review workflow.

Editors write and translate pages and submit them for review; reviewers
approve and publish. Every page in the tree goes through the "Review" workflow,
which replaces Wagtail's default one on the root page. "Editors" is Wagtail's
own default group, reused so that administrators see one editors' group.
"""

from django.db import migrations

from lms.migrations._permissions import ensure_permissions_exist

WORKFLOW_NAME = "Review"
TASK_NAME = "Approval by reviewers"

PAGE_PERMISSIONS = {
    "Editors": ["add_page", "change_page", "lock_page"],
    "Reviewers": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    "Editors": [
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    ],
    "Reviewers": [
        "add_image",
        "change_image",
        "choose_image",
        "delete_image",
        "add_document",
        "change_document",
        "choose_document",
        "delete_document",
    ],
}
GLOBAL_PERMISSIONS = {
    "Editors": [("wagtailadmin", "access_admin"), ("wagtail_localize", "submit_translation")],
    "Reviewers": [("wagtailadmin", "access_admin"), ("wagtail_localize", "submit_translation")],
}


def create_roles(apps, schema_editor):
    ensure_permissions_exist(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    groups = {}
    for name in PAGE_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        for codename in PAGE_PERMISSIONS[name]:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        for codename in COLLECTION_PERMISSIONS[name]:
            app_label = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
        for app_label, codename in GLOBAL_PERMISSIONS[name]:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=TASK_NAME, defaults={"content_type": task_type, "active": True}
    )
    task.groups.set([groups["Reviewers"]])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    Task.objects.filter(name=TASK_NAME).delete()
    Group.objects.filter(name="Reviewers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
