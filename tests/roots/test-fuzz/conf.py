from rootconf import *  # noqa: F403

# The parser, theme and address settings of the project's own conf.py are added by
# tests/test_fuzz.py (confoverrides), so that the fuzzer attacks what is published.
