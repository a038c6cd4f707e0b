from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Roles and guides"

    def ready(self):
        from django.db.models.signals import post_migrate

        from roles.registry import (
            ensure_curated_families,
            ensure_editors_group,
            register_content_models,
        )

        register_content_models()
        post_migrate.connect(ensure_editors_group, sender=self, dispatch_uid="roles-editors-group")
        post_migrate.connect(
            ensure_curated_families, sender=self, dispatch_uid="roles-curated-families"
        )
