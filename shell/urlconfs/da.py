from shell.urls import handler404, patterns

urlpatterns = patterns("da")

__all__ = ["handler404", "urlpatterns"]
