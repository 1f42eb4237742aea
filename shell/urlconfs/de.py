from shell.urls import handler404, patterns

urlpatterns = patterns("de")

__all__ = ["handler404", "urlpatterns"]
