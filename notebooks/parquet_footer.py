"""Reads a Parquet file's footer with the standard library: row count, columns, row groups and key/value metadata
(GeoParquet's `geo` entry among them). Enough to check a download offline where pyarrow or DuckDB is not at hand;
for the rows themselves use pandas.read_parquet, DuckDB or Spark.

Parquet's footer is a Thrift struct (FileMetaData) in the compact protocol, followed by its length and b"PAR1".
"""

import struct

MAGIC = b"PAR1"
_TYPES = {0: "BOOLEAN", 1: "INT32", 2: "INT64", 3: "INT96", 4: "FLOAT", 5: "DOUBLE", 6: "BYTE_ARRAY", 7: "FIXED_LEN_BYTE_ARRAY"}


class ParquetFooterError(Exception):
    """The file is not Parquet, or its footer could not be decoded."""


class _Compact:
    """A decoder of Thrift's compact protocol into {field id: value} dicts."""

    def __init__(self, data):
        self.data, self.pos = data, 0

    def byte(self):
        if self.pos >= len(self.data):
            raise ParquetFooterError("footer ends inside a value")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varint(self):
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, kind):
        if kind in (1, 2):  # booleans inside a struct carry their value in the type
            return kind == 1
        if kind == 3:
            return struct.unpack("b", bytes([self.byte()]))[0]
        if kind in (4, 5, 6):
            return self.zigzag()
        if kind == 7:
            self.pos += 8
            return struct.unpack("<d", self.data[self.pos - 8:self.pos])[0]
        if kind == 8:
            size = self.varint()
            self.pos += size
            return bytes(self.data[self.pos - size:self.pos])
        if kind in (9, 10):
            header = self.byte()
            size, element = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            return [self.byte() == 1 if element in (1, 2) else self.value(element) for _ in range(size)]
        if kind == 11:
            size = self.varint()
            if size == 0:
                return {}
            types = self.byte()
            return {self.value(types >> 4): self.value(types & 0x0F) for _ in range(size)}
        if kind == 12:
            return self.struct()
        raise ParquetFooterError(f"unknown Thrift compact type {kind} at footer byte {self.pos}")

    def struct(self):
        fields, last = {}, 0
        while True:
            header = self.byte()
            if header == 0:
                return fields
            delta, kind = header >> 4, header & 0x0F
            last = last + delta if delta else self.zigzag()
            fields[last] = self.value(kind)


def read_footer(path):
    """{'rows', 'columns': [(name, physical type)], 'row_groups', 'created_by', 'metadata': {key: value}}."""
    with open(path, "rb") as f:
        head = f.read(4)
        f.seek(0, 2)
        size = f.tell()
        if size < 12 or head != MAGIC:
            raise ParquetFooterError(f"{path}: not a Parquet file (no PAR1 header)")
        f.seek(size - 8)
        length_bytes, tail = f.read(4), f.read(4)
        if tail != MAGIC:
            raise ParquetFooterError(f"{path}: not a complete Parquet file (no PAR1 trailer)")
        length = struct.unpack("<I", length_bytes)[0]
        if length > size - 12:
            raise ParquetFooterError(f"{path}: footer length {length} exceeds the file")
        f.seek(size - 8 - length)
        meta = _Compact(f.read(length)).struct()
    schema = meta.get(2, [])
    # The first schema element is the root; leaves are the elements without children.
    columns = [(e[4].decode("utf-8"), _TYPES.get(e.get(1), "?")) for e in schema[1:] if not e.get(5)]
    return {
        "rows": meta.get(3, 0),
        "columns": columns,
        "row_groups": len(meta.get(4, [])),
        "created_by": meta.get(6, b"").decode("utf-8", "replace"),
        "metadata": {kv[1].decode("utf-8"): kv.get(2, b"").decode("utf-8", "replace") for kv in meta.get(5, [])},
    }
