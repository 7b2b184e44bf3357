"""Test settings: hypothesis runs derandomized (the same examples every run) and untimed."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "minigrad",
    derandomize=True,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("minigrad")
