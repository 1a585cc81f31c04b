from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = "Establishment"

    def ready(self) -> None:
        from workforce import timeline

        timeline.connect()
