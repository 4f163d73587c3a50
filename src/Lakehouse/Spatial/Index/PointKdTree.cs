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

    /// <summary>Original indices of the k points nearest to <paramref name="target"/> (a unit vector).</summary>
    public List<int> Nearest(Vec3 target, int k)
    {
        // Max-heap of the best k by squared chord.
        var heap = new PriorityQueue<int, double>(k + 1, Comparer<double>.Create((a, b) => b.CompareTo(a)));
        Search(0, _ids.Length, 0, target, k, heap);
        var result = new List<int>(heap.Count);
        while (heap.TryDequeue(out var i, out _))
        {
            result.Add(_ids[i]);
        }
        return result;
    }

    private void Search(int lo, int hi, int depth, Vec3 target, int k, PriorityQueue<int, double> heap)
    {
        if (hi <= lo)
        {
            return;
        }
        var mid = (lo + hi) / 2;
        var d2 = Distance2(mid, target);
        if (heap.Count < k)
        {
            heap.Enqueue(mid, d2);
        }
        else if (heap.TryPeek(out _, out var worst) && d2 < worst)
        {
            heap.DequeueEnqueue(mid, d2);
        }
        var axis = depth % 3;
        var diff = Axis(mid, axis) - (axis == 0 ? target.X : axis == 1 ? target.Y : target.Z);
        var (near, far) = diff > 0 ? ((lo, mid), (mid + 1, hi)) : ((mid + 1, hi), (lo, mid));
        Search(near.Item1, near.Item2, depth + 1, target, k, heap);
        if (heap.Count < k || (heap.TryPeek(out _, out var bound) && diff * diff < bound))
        {
            Search(far.Item1, far.Item2, depth + 1, target, k, heap);
        }
    }

    /// <summary>Calls <paramref name="found"/> with the original index of every point within a squared chord of the target.</summary>
    public void Within(Vec3 target, double chord2, Action<int> found) => Within(0, _ids.Length, 0, target, chord2, found);

    private void Within(int lo, int hi, int depth, Vec3 target, double chord2, Action<int> found)
    {
        if (hi <= lo)
        {
            return;
        }
        var mid = (lo + hi) / 2;
        if (Distance2(mid, target) <= chord2)
        {
            found(_ids[mid]);
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
