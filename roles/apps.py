from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Roles and guides"

    def ready(self):
        from roles.editing import register_content_models

        register_content_models()
