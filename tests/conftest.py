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


def pytest_addoption(parser):
    parser.addoption(
        "--screenshot",
        metavar="PNG",
        default=None,
        help="also save the step-by-step page's screenshot there (tests/test_steps_browser.py), e.g. docs/steps.png",
    )
