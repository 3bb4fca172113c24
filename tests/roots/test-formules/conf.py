from rootconf import *  # noqa: F403
