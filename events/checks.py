"""System checks of the events app: every hook in ``events.hooks`` has a function."""

from django.core.checks import CheckMessage, Error, register

from events.hooks import HOOKS, hooks_missing


@register()
def hooks_registered(app_configs=None, **kwargs) -> list[CheckMessage]:
    """``events.E001`` for each hook nobody registered: the flow it stands for would not run."""
    return [
        Error(
            f"No function is registered for the events hook {name!r}.",
            hint=f"The app selling tickets registers it in its AppConfig.ready: {HOOKS[name]}.",
            id="events.E001",
        )
        for name in hooks_missing()
    ]
