using OneMap.DuckDb;
using OneMap.DuckDb.Data;
using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;
using OneMap.Lakehouse.Spatial.Index;

namespace OneMap.Lakehouse.Spatial.Sql;

/// <summary>
/// Joins of a whole relation against a spatial index, as table functions that emit one row per pair:
/// <c>st_knn(index, relation, k)</c> → (id, rank, key, distance) and
/// <c>st_dwithin_join(index, relation, metres)</c> → (id, key, distance), with named parameters
/// <c>id := 'id'</c> and <c>geom := 'geom'</c> naming the relation's columns. The relation is read on a connection of
/// the function's own, chunk by chunk, and each chunk's queries run in parallel.
/// </summary>
internal static class JoinTableFunctions
{
    public static void Register(DuckDbConnection connection)
    {
        var database = connection.Database;
        var named = new Dictionary<string, DuckDbType> { ["id"] = DuckDbType.Varchar, ["geom"] = DuckDbType.Varchar };

        connection.RegisterTableFunction("st_knn", [DuckDbType.Varchar, DuckDbType.Varchar, DuckDbType.Integer],
            bind =>
            {
                var index = SpatialIndexes.Get(database, bind.GetParameter<string>(0)).Features;
                var k = bind.GetParameter<int>(2);
                if (k <= 0)
                {
                    throw new SpatialArgumentException("st_knn", "k", $"must be at least 1, was {k}");
                }
                bind.AddColumn("id", DuckDbType.Varchar).AddColumn("rank", DuckDbType.Integer).AddColumn("key", DuckDbType.Varchar).AddColumn("distance", DuckDbType.Double);
                return (index, Query(bind, "st_knn"), k);
            },
            bound => new PairScan(database, bound.Item2, withRank: true, value =>
                value.IsPoint ? bound.index.NearestToPoint(value.X, value.Y, bound.k) : bound.index.Nearest(value.Geometry, bound.k), bound.index),
            named);

        connection.RegisterTableFunction("st_dwithin_join", [DuckDbType.Varchar, DuckDbType.Varchar, DuckDbType.Double],
            bind =>
            {
                var index = SpatialIndexes.Get(database, bind.GetParameter<string>(0)).Features;
                var metres = bind.GetParameter<double>(2);
                if (!(metres >= 0))
                {
                    throw new SpatialArgumentException("st_dwithin_join", "distance", $"must be a non-negative number of metres, was {metres}");
                }
                bind.AddColumn("id", DuckDbType.Varchar).AddColumn("key", DuckDbType.Varchar).AddColumn("distance", DuckDbType.Double);
                return (index, Query(bind, "st_dwithin_join"), metres);
            },
            bound => new PairScan(database, bound.Item2, withRank: false, value => bound.index.Within(value.Geometry, bound.metres), bound.index),
            named);
    }

    private static string Query(DuckDbTableBindContext bind, string function)
    {
        string Column(string name, string fallback) =>
            SqlNames.Identifier(bind.NamedParameters.TryGetValue(name, out var value) && value is string s && s.Length > 0 ? s : fallback);
        return $"SELECT CAST({Column("id", "id")} AS VARCHAR), {Column("geom", "geom")} FROM {SqlNames.Relation(bind.GetParameter<string>(1), function)}";
    }

    /// <summary>Reads the relation chunk by chunk, answers each chunk's rows in parallel, and emits the pairs.</summary>
    private sealed class PairScan(DuckDbDatabase database, string sql, bool withRank, Func<SpatialValue, List<FeatureMatch>> find, FeatureIndex index)
        : IDuckDbTableScan, IDisposable
    {
        private readonly List<(string Id, int Rank, string Key, double Distance)> _pending = [];
        private DuckDbConnection? _connection;
        private DuckDbDataReader? _reader;
        private int _next;
        private bool _done;

        public int Fill(DuckDbChunk output)
        {
            var rows = 0;
            while (rows < output.RowCount)
            {
                if (_next < _pending.Count)
                {
                    var (id, rank, key, distance) = _pending[_next++];
                    var column = 0;
                    output.SetValue(column++, rows, id);
                    if (withRank)
                    {
                        output.SetValue(column++, rows, rank);
                    }
                    output.SetValue(column++, rows, key);
                    output.SetValue(column, rows, distance);
                    rows++;
                    continue;
                }
                if (_done || !ReadMore())
                {
                    break;
                }
            }
            return rows;
        }

        private bool ReadMore()
        {
            _pending.Clear();
            _next = 0;
            _connection ??= database.Connect();
            _reader ??= _connection.Query(sql);
            var chunk = _reader.ReadChunk();
            if (chunk is null)
            {
                _done = true;
                return false;
            }
            var ids = new string?[chunk.RowCount];
            var values = new SpatialValue?[chunk.RowCount];
            for (var row = 0; row < chunk.RowCount; row++)
            {
                if (chunk.IsNull(0, row) || chunk.IsNull(1, row))
                {
                    continue;
                }
                ids[row] = chunk.GetString(0, row);
                var bytes = chunk.GetBytes(1, row);
                values[row] = GeometryCodec.TryReadPoint(bytes, out var x, out var y) && !(double.IsNaN(x) && double.IsNaN(y))
                    ? SpatialValue.NewPointHolder().SetPoint(x, y)
                    : SpatialValue.ForGeometry(GeometryCodec.ReadWkb(bytes));
            }
            var results = new List<FeatureMatch>?[chunk.RowCount];
            Parallel.For(0, chunk.RowCount, row =>
            {
                if (values[row] is { } value)
                {
                    results[row] = find(value);
                }
            });
            for (var row = 0; row < chunk.RowCount; row++)
            {
                if (results[row] is not { } matches)
                {
                    continue;
                }
                for (var i = 0; i < matches.Count; i++)
                {
                    _pending.Add((ids[row]!, i + 1, index.Key(matches[i].Feature), matches[i].DistanceMetres));
                }
            }
            return true;
        }

        public void Dispose()
        {
            _reader?.Dispose();
            _connection?.Dispose();
        }
    }
}
