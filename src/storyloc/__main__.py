"""``python -m storyloc``: the same as the ``storyloc`` command."""
from .cli import main

main()
