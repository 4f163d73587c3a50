using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using OneMap.Models.Rivers;
using OneMap.Simulator.Geography;

namespace OneMap.Simulator.Render;

/// <summary>
/// Draws the city as SVG: sea, districts (filled), towns, communities and grids (ever thinner lines), micro-grids, the
/// river network (width by stream order), automatic stations (dark dots) and sampling points (orange squares).
/// </summary>
public static class SvgRenderer
{
    private const double PixelsPerKm = 12;
    private static readonly string[] DistrictColours = ["#f3e3c3", "#dfe9c6", "#f6d3cf", "#d9e4f0", "#eadcf2"];

    public static string Render(SampleCity city)
    {
        ArgumentNullException.ThrowIfNull(city);
        var envelope = city.Land.Outline.EnvelopeInternal.Copy();
        envelope.ExpandBy(6);
        var width = envelope.Width * PixelsPerKm;
        var height = envelope.Height * PixelsPerKm;
        var svg = new StringBuilder();
        var ic = CultureInfo.InvariantCulture;
        svg.Append(ic, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:0}\" height=\"{height + 60:0}\" viewBox=\"0 0 {width:0} {height + 60:0}\" font-family=\"Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif\">\n");
        svg.Append(ic, $"<rect width=\"{width:0}\" height=\"{height + 60:0}\" fill=\"#e8e6e1\"/>\n");
        string Path(Geometry g) => PathData(g, envelope);

        svg.Append(ic, $"<path d=\"{Path(city.Land.Sea(60))}\" fill=\"#b9d7ee\" stroke=\"none\"/>\n");
        var map = city.Admin;
        for (var d = 0; d < map.Districts.Count; d++)
        {
            svg.Append(ic, $"<path d=\"{Path(map.Districts[d].Shape)}\" fill=\"{DistrictColours[d % DistrictColours.Length]}\" stroke=\"none\"/>\n");
        }
        svg.Append("<g fill=\"none\" stroke=\"#8a8a8a\" stroke-width=\"0.35\">\n");
        foreach (var m in map.MicroGrids)
        {
            svg.Append(ic, $"<path d=\"{Path(m.Shape)}\" stroke=\"#b0a090\" stroke-width=\"0.25\"/>\n");
        }
        foreach (var g in map.Grids)
        {
            svg.Append(ic, $"<path d=\"{Path(g.Shape)}\"/>\n");
        }
        svg.Append("</g>\n<g fill=\"none\" stroke=\"#6d6d6d\" stroke-width=\"0.9\">\n");
        foreach (var c in map.Communities)
        {
            svg.Append(ic, $"<path d=\"{Path(c.Shape)}\"/>\n");
        }
        svg.Append("</g>\n<g fill=\"none\" stroke=\"#505050\" stroke-width=\"1.8\" stroke-dasharray=\"6 3\">\n");
        foreach (var t in map.Towns)
        {
            svg.Append(ic, $"<path d=\"{Path(t.Shape)}\"/>\n");
        }
        svg.Append("</g>\n<g fill=\"none\" stroke=\"#2b2b2b\" stroke-width=\"3\">\n");
        foreach (var d in map.Districts)
        {
            svg.Append(ic, $"<path d=\"{Path(d.Shape)}\"/>\n");
        }
        svg.Append(ic, $"</g>\n<path d=\"{Path(city.Land.Outline)}\" fill=\"none\" stroke=\"#3a6f96\" stroke-width=\"2\"/>\n");

        svg.Append("<g fill=\"none\" stroke=\"#1f6fd1\" stroke-linecap=\"round\" stroke-linejoin=\"round\">\n");
        foreach (var reach in city.Rivers.Reaches)
        {
            var w = 1.5 + 1.6 * (reach.Record.StreamOrder - 1) + (reach.River == 0 ? 2.5 : 0);
            svg.Append(ic, $"<path d=\"{Path(reach.ShapeKm)}\" stroke-width=\"{w:0.#}\"/>\n");
        }
        svg.Append("</g>\n");

        foreach (var station in city.Stations)
        {
            var (x, y) = Project(station.LocationKm, envelope);
            svg.Append(station.Record.Kind == StationKind.Automatic
                ? string.Create(ic, $"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"4.5\" fill=\"#0b2a5b\" stroke=\"#fff\" stroke-width=\"1.2\"/>\n")
                : string.Create(ic, $"<rect x=\"{x - 3.5:0.#}\" y=\"{y - 3.5:0.#}\" width=\"7\" height=\"7\" fill=\"#f08a00\" stroke=\"#fff\" stroke-width=\"1\"/>\n"));
        }

        foreach (var d in map.Districts)
        {
            var (x, y) = Project(d.Shape.InteriorPoint.Coordinate, envelope);
            svg.Append(ic, $"<text x=\"{x:0}\" y=\"{y:0}\" font-size=\"26\" font-weight=\"bold\" fill=\"#333\" fill-opacity=\"0.75\" text-anchor=\"middle\">{d.Name} {d.NameEn}</text>\n");
        }
        var (mx, my) = Project(city.Rivers.Rivers[0].Points[^1], envelope);
        svg.Append(ic, $"<text x=\"{mx + 14:0}\" y=\"{my + 6:0}\" font-size=\"18\" fill=\"#1f4f91\">木兰溪入海口 Mulan River mouth</text>\n");
        svg.Append(ic, $"<text x=\"20\" y=\"{height + 24:0}\" font-size=\"19\" fill=\"#222\">OneMap sample city (simulated Putian), seed {city.Options.Seed}: {map.Districts.Count} districts, {map.Towns.Count} towns, {map.Communities.Count} communities, {map.Grids.Count} grids, {map.MicroGrids.Count} micro-grids</text>\n");
        svg.Append(ic, $"<text x=\"20\" y=\"{height + 50:0}\" font-size=\"19\" fill=\"#222\">{city.Rivers.Reaches.Count} river reaches, {city.Stations.Count(s => s.Record.Kind == StationKind.Automatic)} automatic stations (dots), {city.Stations.Count(s => s.Record.Kind == StationKind.SamplingPoint)} sampling points (squares)</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static (double X, double Y) Project(Coordinate c, Envelope envelope) =>
        ((c.X - envelope.MinX) * PixelsPerKm, (envelope.MaxY - c.Y) * PixelsPerKm);

    private static string PathData(Geometry geometry, Envelope envelope)
    {
        var sb = new StringBuilder();
        void Line(Coordinate[] coordinates, bool close)
        {
            for (var i = 0; i < coordinates.Length; i++)
            {
                var (x, y) = Project(coordinates[i], envelope);
                sb.Append(i == 0 ? 'M' : 'L').Append(x.ToString("0.#", CultureInfo.InvariantCulture)).Append(' ')
                  .Append(y.ToString("0.#", CultureInfo.InvariantCulture));
            }
            if (close)
            {
                sb.Append('Z');
            }
        }
        for (var n = 0; n < geometry.NumGeometries; n++)
        {
            switch (geometry.GetGeometryN(n))
            {
                case Polygon p:
                    Line(p.ExteriorRing.Coordinates, true);
                    foreach (var hole in p.InteriorRings)
                    {
                        Line(hole.Coordinates, true);
                    }
                    break;
                case LineString l:
                    Line(l.Coordinates, false);
                    break;
            }
        }
        return sb.ToString();
    }
}
