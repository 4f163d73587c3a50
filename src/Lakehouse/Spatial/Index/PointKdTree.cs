using NetTopologySuite.Geometries;

using OneMap.Lakehouse.Spatial.Geodesy;

namespace OneMap.Lakehouse.Spatial.Index;

/// <summary>
/// A static k-d tree over lon/lat points placed on the unit sphere. The straight (chord) distance between unit
/// vectors grows with the great-circle angle, so chord order is great-circle order, everywhere on the globe.
/// Balanced by median splits; nodes are stored implicitly in an array.
/// </summary>
internal sealed class PointKdTree
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _z;
    private readonly int[] _ids;

    public PointKdTree(IReadOnlyList<Coordinate> points)
    {
        var count = points.Count;
        _x = new double[count];
        _y = new double[count];
        _z = new double[count];
        _ids = new int[count];
        for (var i = 0; i < count; i++)
        {
            var v = Vec3.FromLonLatDegrees(points[i].X, points[i].Y);
            _x[i] = v.X;
            _y[i] = v.Y;
            _z[i] = v.Z;
            _ids[i] = i;
        }
        Build(0, count, 0);
    }

    private double Axis(int i, int axis) => axis switch { 0 => _x[i], 1 => _y[i], _ => _z[i] };

    private void Swap(int a, int b)
    {
        (_x[a], _x[b]) = (_x[b], _x[a]);
        (_y[a], _y[b]) = (_y[b], _y[a]);
        (_z[a], _z[b]) = (_z[b], _z[a]);
        (_ids[a], _ids[b]) = (_ids[b], _ids[a]);
    }

    // Node of [lo, hi) is its median m = (lo + hi) / 2, split on depth % 3.
    private void Build(int lo, int hi, int depth)
    {
        if (hi - lo <= 1)
        {
            return;
        }
        var axis = depth % 3;
        var mid = (lo + hi) / 2;
        Select(lo, hi - 1, mid, axis);
        Build(lo, mid, depth + 1);
        Build(mid + 1, hi, depth + 1);
    }

    // Quickselect: puts the k-th smallest (by axis) at k, smaller left, larger right.
    private void Select(int left, int right, int k, int axis)
    {
        while (right > left)
        {
            var pivot = Axis((left + right) / 2, axis);
            var i = left;
            var j = right;
            while (i <= j)
            {
                while (Axis(i, axis) < pivot)
                {
                    i++;
                }
                while (Axis(j, axis) > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    Swap(i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return;
            }
        }
    }

    private double Distance2(int i, Vec3 t)
    {
        var dx = _x[i] - t.X;
        var dy = _y[i] - t.Y;
        var dz = _z[i] - t.Z;
        return (dx * dx) + (dy * dy) + (dz * dz);
    }

    /// <summary>
    /// Fills <paramref name="nearest"/> with the original indices of the points nearest to <paramref name="target"/>
    /// (a unit vector), as many as it holds or the tree has; returns how many.
    /// </summary>
    public int Nearest(Vec3 target, int[] nearest)
    {
        var k = nearest.Length;
        // The best k so far, kept sorted by squared chord (small k: insertion beats a heap).
        Span<double> best = k <= 64 ? stackalloc double[k] : new double[k];
        var count = 0;
        Search(0, _ids.Length, 0, target, nearest, best, ref count);
        for (var i = 0; i < count; i++)
        {
            nearest[i] = _ids[nearest[i]];
        }
        return count;
    }

    private void Search(int lo, int hi, int depth, Vec3 target, int[] nearest, Span<double> best, ref int count)
    {
        while (hi > lo)
        {
            var mid = (lo + hi) / 2;
            var d2 = Distance2(mid, target);
            if (count < nearest.Length || d2 < best[count - 1])
            {
                var at = count < nearest.Length ? count++ : count - 1;
                while (at > 0 && best[at - 1] > d2)
                {
                    best[at] = best[at - 1];
                    nearest[at] = nearest[at - 1];
                    at--;
                }
                best[at] = d2;
                nearest[at] = mid;
            }
            var axis = depth % 3;
            var diff = Axis(mid, axis) - (axis == 0 ? target.X : axis == 1 ? target.Y : target.Z);
            int nearLo, nearHi, farLo, farHi;
            if (diff > 0)
            {
                (nearLo, nearHi, farLo, farHi) = (lo, mid, mid + 1, hi);
            }
            else
            {
                (nearLo, nearHi, farLo, farHi) = (mid + 1, hi, lo, mid);
            }
            Search(nearLo, nearHi, depth + 1, target, nearest, best, ref count);
            if (count == nearest.Length && diff * diff >= best[count - 1])
            {
                return;
            }
            // Tail-iterate into the far side.
            lo = farLo;
            hi = farHi;
            depth++;
        }
    }

    /// <summary>Adds the original index of every point within a squared chord of the target to <paramref name="found"/>.</summary>
    public void Within(Vec3 target, double chord2, List<int> found) => Within(0, _ids.Length, 0, target, chord2, found);

    private void Within(int lo, int hi, int depth, Vec3 target, double chord2, List<int> found)
    {
        if (hi <= lo)
        {
            return;
        }
        var mid = (lo + hi) / 2;
        if (Distance2(mid, target) <= chord2)
        {
            found.Add(_ids[mid]);
        }
        var axis = depth % 3;
        var diff = Axis(mid, axis) - (axis == 0 ? target.X : axis == 1 ? target.Y : target.Z);
        if (diff > 0 || diff * diff <= chord2)
        {
            Within(lo, mid, depth + 1, target, chord2, found);
        }
        if (diff <= 0 || diff * diff <= chord2)
        {
            Within(mid + 1, hi, depth + 1, target, chord2, found);
        }
    }
}
