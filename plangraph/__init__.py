"""plangraph: who is responsible for what in China's science-literacy plans.

The code lives in the top-level folders ``loaders/ graph/ queries/ api/ viz/`` and is installed
as ``plangraph.loaders`` etc.; this package holds the command line and settings.
"""

__version__ = "0.1.0"
