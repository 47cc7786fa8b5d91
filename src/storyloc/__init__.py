"""storyloc: a localization workflow for newsroom stories.

The flow, one module per stage: :mod:`extract` → :mod:`update` → :mod:`build`,
over a :class:`~storyloc.project.Project`, with :mod:`po` as the only PO layer.
"""
__version__ = "0.1.0"
