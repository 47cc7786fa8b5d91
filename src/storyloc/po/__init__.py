"""The one PO layer: read, write, validate and compile gettext catalogs without losing a byte.

Babel and polib both rewrite what they did not change (re-wrapped lines, dropped previous
msgids, octal escapes, duplicate entries).  Here every entry keeps the exact text it was read
from; only an entry whose content changed is written anew, in GNU gettext's layout.  So a load
and save of any valid catalog is byte-identical, CRLF files included.  No other module imports
babel's or polib's catalog types.

The modules, in the order a catalog goes through them:

* :mod:`~storyloc.po.message`: the model, :class:`Message` and :class:`Catalog`;
* :mod:`~storyloc.po.read`: the one reader, exactly GNU gettext 0.21's grammar
  (:func:`read_po` a file, :func:`read_catalog` a file as the stages open it, validated;
  :func:`parse_po` bytes or text in memory);
* :mod:`~storyloc.po.validation`: what ``msgfmt --check`` refuses, on msgfmt's lines, and
  storyloc's own refusals;
* :mod:`~storyloc.po.write`: back to text (:func:`format_po`), bytes (:func:`encode_po`)
  or a file (:func:`save_po`);
* :mod:`~storyloc.po.wrap`: GNU's line wrapping and comment lines, exactly;
* :mod:`~storyloc.po.mo`: the ``.mo`` compiler, byte for byte what msgfmt writes;
* :mod:`~storyloc.po.handover`: a catalog a stage saved, handed to the next stage of the same
  run without reading the file again;
* :mod:`~storyloc.po.fuzzy`, :mod:`~storyloc.po.provenance`, :mod:`~storyloc.po.mergedriver`:
  the fuzzy index, who wrote a translation, the git merge driver.
"""
from .message import Catalog, Message, write_translator_comments
from .read import parse_po, read_catalog, read_po

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .mo import compile_mo
    from .validation import validate
    from .write import encode_po, format_po, save_po


def __getattr__(name: str):
    """The checks, the writer and the compiler, imported when first asked for: a compile needs
    neither of the first two, a load and save not the third."""
    if name == "compile_mo":
        from .mo import compile_mo as found
    elif name == "validate":
        from .validation import validate as found
    elif name in ("encode_po", "format_po", "save_po"):
        from . import write
        found = getattr(write, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = found
    return found

__all__ = ["Catalog", "Message", "compile_mo", "encode_po", "format_po", "parse_po", "read_catalog",
           "read_po", "save_po", "validate", "write_translator_comments"]
