from rootconf import *  # noqa: F403

# tests/test_fuzz.py adds, below, the parser, theme and address settings of the project's
# own conf.py, so that the fuzzer attacks the letter as it is published.
