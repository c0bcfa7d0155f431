"""Zips a python-docx document into a DOCX package, document after document. The only module that writes a package.

A save does what python-docx's own `Document.save()` does, through its public parts API: every part
is told `before_marshal()`; then come the content types made from the parts, the package's
relationships, and each part with its relationships, in the package's order. The part list is read
again at every save, so a part added at any time (numbering, an image, a footer) is written.
tests/test_package.py checks the result byte for byte against `Document.save()`. Two things differ,
on purpose:
- the bytes of the parts settled after set-up (styles, settings, headers …) are made once, not at
  every save (serialising them again was a third of the saving time of a batch), and the content
  types and relationships again only when the parts or relationships they list change;
- every zip entry is dated with the moment given (the document's issue date) instead of the clock,
  its only difference from python-docx's zip: the same document gives the same bytes, run after run.
The zip is written here, as `zipfile` writes each `writestr(ZipInfo(name, date_time), data)` deflated,
so that an entry whose bytes are those of the last save is not compressed again (in a batch all but
document.xml and core.xml). tests/test_package.py checks it byte for byte against `zipfile`.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from datetime import datetime

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.oxml import CT_Types, serialize_part_xml
from docx.opc.package import OpcPackage
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.part import Part
from docx.opc.spec import default_content_types

# The zip records zipfile writes (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16): version 2.0 (deflate), no extra
# fields, no comment, no data descriptor; "made by" is the system zipfile names (3 Unix, 0 Windows), with
# the permissions it gives an entry (?rw-------).
_LOCAL_HEADER, _CENTRAL_HEADER, _END = "<4s2B4HL2L2H", "<4s4B4HL2L5H2L", "<4s4H2LH"
_VERSION = 20
_PERMISSIONS = 0o600 << 16
_UTF8_NAME = 0x800  # general purpose flag bit 11: the name is UTF-8 (zipfile sets it for a non-ASCII name)
_SYSTEM = zipfile.ZipInfo().create_system


class Package:
    """The package of one python-docx document, saved as often as the document changes."""

    def __init__(self, document: Document) -> None:
        self._package = document.part.package
        self._settled: dict[Part, bytes] = {}  # part -> its bytes, made once (settle)
        self._made: dict[object, tuple[tuple, bytes]] = {}  # what -> (what it was made from, its bytes)
        self._deflate_cache: dict[str, tuple[bytes, int, bytes]] = {}  # entry -> (its bytes, CRC-32, deflated)

    @property
    def core_properties_part(self) -> Part:
        """The part holding the document's core properties (title, author, dates)."""
        return self._package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)

    def settle(self, *changing: Part) -> None:
        """From now on, write the bytes the package's parts have now, except for the changing ones, which
        are serialised at every save, as is any part added later."""
        for part in self._package.parts:
            if part not in changing:
                part.before_marshal()
                self._settled[part] = part.blob

    def save(self, stamp: datetime) -> bytes:
        """The DOCX file as python-docx's save would write it now, every zip entry dated stamp."""
        parts = self._package.parts
        for part in parts:
            part.before_marshal()
        entries = [(CONTENT_TYPES_URI.membername, self._content_types_xml(parts)),
                   (PACKAGE_URI.rels_uri.membername, self._rels_xml(self._package))]
        for part in parts:
            settled = self._settled.get(part)
            entries.append((part.partname.membername, part.blob if settled is None else settled))
            if len(part.rels):
                entries.append((part.partname.rels_uri.membername, self._rels_xml(part)))
        return self._zip(entries, stamp)

    def _zip(self, entries: list[tuple[str, bytes]], stamp: datetime) -> bytes:
        """The zip archive of the entries, every one dated stamp, byte for byte as zipfile writes it."""
        if not 1980 <= stamp.year <= 2107:
            raise ValueError("a zip entry's date must lie between 1980 and 2107")
        dos_time = stamp.hour << 11 | stamp.minute << 5 | stamp.second // 2
        dos_date = (stamp.year - 1980) << 9 | stamp.month << 5 | stamp.day
        local, central, offset = [], [], 0
        for name, data in entries:
            crc, packed = self._deflated(name, data)
            filename = name.encode("utf-8")
            flags = 0 if filename.isascii() else _UTF8_NAME
            sizes = (dos_time, dos_date, crc, len(packed), len(data), len(filename))
            local += (struct.pack(_LOCAL_HEADER, b"PK\x03\x04", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, *sizes, 0),
                      filename, packed)
            central += (struct.pack(_CENTRAL_HEADER, b"PK\x01\x02", _VERSION, _SYSTEM, _VERSION, 0, flags,
                                    zipfile.ZIP_DEFLATED, *sizes, 0, 0, 0, 0, _PERMISSIONS, offset), filename)
            offset += struct.calcsize(_LOCAL_HEADER) + len(filename) + len(packed)
        directory = b"".join(central)
        end = struct.pack(_END, b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0)
        return b"".join(local) + directory + end

    def _deflated(self, name: str, data: bytes) -> tuple[int, bytes]:
        """The CRC-32 and the raw deflate stream of an entry's bytes, as zipfile makes them; those of the
        last save when the bytes are the same."""
        last = self._deflate_cache.get(name)
        if last is None or last[0] != data:
            compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            last = self._deflate_cache[name] = (data, zlib.crc32(data), compressor.compress(data) + compressor.flush())
        return last[1], last[2]

    def _remade(self, what: object, source: tuple, make: Callable[[], bytes]) -> bytes:
        """make(), or the bytes it made last time for what if source has not changed since."""
        made = self._made.get(what)
        if made is None or made[0] != source:
            made = self._made[what] = (source, make())
        return made[1]

    def _rels_xml(self, owner: Part | OpcPackage) -> bytes:
        """The relationships of a part or of the package as python-docx writes them (as a .rels item)."""
        rels = owner.rels
        source = tuple((rel.rId, rel.reltype, rel.is_external, rel.target_ref if rel.is_external
                        else rel.target_part.partname) for rel in rels.values())
        return self._remade(owner, source, lambda: rels.xml)

    def _content_types_xml(self, parts: Iterable[Part]) -> bytes:
        """[Content_Types].xml as python-docx makes it: a Default for each extension whose content type is
        the usual one, an Override for any other part, each sorted."""
        source = tuple((part.partname, part.content_type) for part in parts)

        def make() -> bytes:
            defaults = {"rels": CONTENT_TYPE.OPC_RELATIONSHIPS, "xml": CONTENT_TYPE.XML}
            overrides = {}
            for name, content_type in source:
                if (name.ext.lower(), content_type) in default_content_types:
                    defaults[name.ext.lower()] = content_type
                else:
                    overrides[name] = content_type
            types = CT_Types.new()
            for ext in sorted(defaults):
                types.add_default(ext, defaults[ext])
            for name in sorted(overrides):
                types.add_override(name, overrides[name])
            return serialize_part_xml(types)

        return self._remade(CONTENT_TYPES_URI, source, make)
