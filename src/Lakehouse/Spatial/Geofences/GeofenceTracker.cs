using NetTopologySuite.Geometries;

using OneMap.Lakehouse.Spatial.Index;

namespace OneMap.Lakehouse.Spatial.Geofences;

/// <summary>Whether a vessel went into or out of a fence.</summary>
public enum GeofenceEventKind
{
    Enter,
    Exit,
}

/// <summary>
/// A vessel entering or leaving an electronic fence.
/// </summary>
/// <param name="VesselId">The vessel.</param>
/// <param name="FenceId">The fence (its key in the fence index).</param>
/// <param name="Kind">Enter or exit.</param>
/// <param name="At">
/// When it is known: for an observed event, the time of the first fix on the new side (inside for an enter, outside
/// for an exit); for an event seen only between two fixes (the track cut a corner of the fence), the crossing time.
/// </param>
/// <param name="CrossedAt">
/// When the straight track between the two fixes crosses the fence boundary (linear in time); null for the first fix
/// of a vessel found inside a fence, and when the fixes are further apart than the tracker's maximum gap.
/// </param>
/// <param name="Observed">True when a fix confirms the new side; false for a crossing seen only between fixes.</param>
/// <param name="Longitude">Where: the fix for observed events, the crossing point otherwise.</param>
/// <param name="Latitude">Where: the fix for observed events, the crossing point otherwise.</param>
public sealed record GeofenceEvent(
    string VesselId,
    string FenceId,
    GeofenceEventKind Kind,
    DateTimeOffset At,
    DateTimeOffset? CrossedAt,
    bool Observed,
    double Longitude,
    double Latitude);

/// <summary>
/// Turns vessel tracks into fence enter/exit events. Feed fixes ordered by vessel, then time; a vessel is inside a
/// fence when ST_Intersects(fence, fix) holds (the boundary counts as inside). Between two fixes the straight track is
/// cut with each nearby fence's boundary, so a crossing gets its time and a corner cut between fixes still yields an
/// enter and an exit. Not thread-safe: one tracker per stream.
/// </summary>
public sealed class GeofenceTracker(PolygonIndex fences, TimeSpan? maxGap = null)
{
    private readonly TimeSpan _maxGap = maxGap ?? TimeSpan.FromMinutes(30);
    private readonly List<int> _scratch = [];
    private string? _vessel;
    private DateTimeOffset _lastAt;
    private double _lastX;
    private double _lastY;
    private HashSet<int> _inside = [];

    /// <summary>Fences the current vessel is inside, by fence index.</summary>
    public IReadOnlyCollection<int> Inside => _inside;

    /// <summary>Adds a fix and appends the events it causes to <paramref name="events"/>.</summary>
    public void Add(string vesselId, DateTimeOffset at, double x, double y, List<GeofenceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(vesselId);
        if (!double.IsFinite(x) || !double.IsFinite(y))
        {
            throw new SpatialArgumentException("geofence events", "geom", $"fix of vessel '{vesselId}' at {at:O} has no finite position");
        }
        _scratch.Clear();
        fences.All(x, y, PointPredicate.Intersects, _scratch);
        var now = _scratch.ToHashSet();
        if (vesselId != _vessel)
        {
            _vessel = vesselId;
            foreach (var fence in _scratch)
            {
                events.Add(new GeofenceEvent(vesselId, fences.Key(fence), GeofenceEventKind.Enter, at, null, true, x, y));
            }
        }
        else
        {
            if (at < _lastAt)
            {
                throw new SpatialArgumentException("geofence events", "time",
                    $"fixes of vessel '{vesselId}' are out of order ({at:O} after {_lastAt:O}); order them by vessel and time");
            }
            var interpolate = at - _lastAt <= _maxGap;
            var segment = new Envelope(_lastX, x, _lastY, y);
            var candidates = new SortedSet<int>(now);
            candidates.UnionWith(_inside);
            if (interpolate)
            {
                candidates.UnionWith(fences.Candidates(segment));
            }
            foreach (var fence in candidates)
            {
                Track(fence, _inside.Contains(fence), now.Contains(fence), at, x, y, interpolate, events);
            }
        }
        _inside = now;
        _lastAt = at;
        _lastX = x;
        _lastY = y;
    }

    private void Track(int fence, bool wasInside, bool isInside, DateTimeOffset at, double x, double y, bool interpolate, List<GeofenceEvent> events)
    {
        var key = fences.Key(fence);
        if (!interpolate)
        {
            if (wasInside != isInside)
            {
                events.Add(new GeofenceEvent(_vessel!, key, isInside ? GeofenceEventKind.Enter : GeofenceEventKind.Exit, at, null, true, x, y));
            }
            return;
        }
        // Split the straight track at every point it meets the boundary; the midpoint of each piece says which
        // side the piece is on, so grazing a vertex changes nothing and cutting a corner gives an enter and an exit.
        var polygon = fences.Polygon(fence);
        var line = new LineSegment(_lastX, _lastY, x, y);
        var cuts = BoundaryCuts(polygon, line);
        var state = wasInside;
        var pending = new List<(double T, bool Inside)>();
        var from = 0.0;
        foreach (var to in cuts.Where(t => t > 0 && t < 1).Append(1.0))
        {
            if (to <= from)
            {
                continue;
            }
            var mid = line.PointAlong((from + to) / 2);
            var pieceInside = PointInPolygon.Locate(polygon, mid.X, mid.Y) != PointLocation.Outside;
            if (pieceInside != state)
            {
                pending.Add((from, pieceInside));
                state = pieceInside;
            }
            from = to;
        }
        if (state != isInside)
        {
            // The last piece ends on the boundary: the fix itself decides.
            pending.Add((1.0, isInside));
        }
        for (var i = 0; i < pending.Count; i++)
        {
            var (t, inside) = pending[i];
            var crossedAt = _lastAt + ((at - _lastAt) * t);
            var point = line.PointAlong(t);
            var observed = i == pending.Count - 1 && inside == isInside;
            events.Add(new GeofenceEvent(_vessel!, key, inside ? GeofenceEventKind.Enter : GeofenceEventKind.Exit,
                observed ? at : crossedAt, crossedAt, observed, observed ? x : point.X, observed ? y : point.Y));
        }
    }

    /// <summary>Positions (0…1) along the segment where it meets the polygon's boundary, ascending.</summary>
    private static List<double> BoundaryCuts(Geometry polygon, LineSegment line)
    {
        var cuts = new List<double>();
        if (line.Length == 0)
        {
            return cuts;
        }
        var path = line.ToGeometry(GeometryCodec.Factory);
        if (!path.EnvelopeInternal.Intersects(polygon.EnvelopeInternal))
        {
            return cuts;
        }
        Geometry meeting;
        try
        {
            meeting = path.Intersection(polygon.Boundary);
        }
        catch (TopologyException e)
        {
            throw new GeometryOperationException("geofence events", $"cannot cut a track with the fence boundary: {e.Message}", e);
        }
        foreach (var coordinate in meeting.Coordinates)
        {
            cuts.Add(Math.Clamp(line.ProjectionFactor(coordinate), 0, 1));
        }
        cuts.Sort();
        return cuts.Distinct().ToList();
    }
}
