from rootconf import *  # noqa: F403

# As the project's conf.py: colon fences and definition lists nest too.
myst_enable_extensions = ['colon_fence', 'deflist']
