"""What apps above indicators add to the indicator page, without indicators importing them.

Monitoring (projects/) registers a provider in its AppConfig.ready() that adds the values reported
against the indicator and the history of the indicator and its values. A provider takes
(request, indicator) and returns extra template context.
"""
_providers = []


def register(provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def context_for(request, indicator) -> dict:
    context = {}
    for provider in _providers:
        context.update(provider(request, indicator))
    return context
