from shell.urls import handler404, patterns

urlpatterns = patterns("en")

__all__ = ["handler404", "urlpatterns"]
