from django.apps import AppConfig


class LeaversConfig(AppConfig):
    name = "leavers"
    verbose_name = "Leavers"

    def ready(self) -> None:
        from leavers.agency import departures_for
        from workforce.selectors.agency import departures_wanted

        departures_wanted.connect(departures_for, dispatch_uid="leavers.agency.departures_for")
