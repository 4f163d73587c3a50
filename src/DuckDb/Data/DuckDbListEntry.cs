using System.Runtime.InteropServices;

namespace OneMap.DuckDb.Data;

/// <summary>
/// One row of a LIST vector (<c>duckdb_list_entry</c>): where that row's elements sit in the list's child vector.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct DuckDbListEntry(ulong Offset, ulong Length);
