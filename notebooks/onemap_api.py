"""A small client for the OneMap API, standard library only, shared by the notebooks in this folder.

The server and the key come from the environment:
    ONEMAP_URL      the server (default http://127.0.0.1:5080)
    ONEMAP_API_KEY  an API key (the admin key the server printed at first start, or one made with createApiKey)
    ONEMAP_OUTPUT   where charts and downloads go (default ./output, git-ignored)
"""

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from xml.sax.saxutils import escape

URL = os.environ.get("ONEMAP_URL", "http://127.0.0.1:5080").rstrip("/")
TIMEOUT_SECONDS = float(os.environ.get("ONEMAP_TIMEOUT", "120"))
OUTPUT = os.environ.get("ONEMAP_OUTPUT", "output")


class OneMapError(Exception):
    """The server refused a request or answered with GraphQL errors."""


def api_key():
    key = os.environ.get("ONEMAP_API_KEY", "").strip()
    if not key:
        raise OneMapError(
            "ONEMAP_API_KEY is not set: use the admin key the server printed at its first start, "
            "or a key an admin made with createApiKey (see notebooks/README.md)")
    return key


def _request(method, path, body=None, accept="application/json"):
    headers = {"Authorization": f"ApiKey {api_key()}", "Accept": accept}
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(urllib.parse.urljoin(URL + "/", path.lstrip("/")), data=data, headers=headers, method=method)
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8", "replace")[:2000]
        raise OneMapError(f"{method} {path}: HTTP {e.code} {e.reason}: {text}") from e
    except urllib.error.URLError as e:
        raise OneMapError(f"{method} {path}: cannot reach the OneMap server at {URL} ({e.reason}); is it running? "
                          "(dotnet run --project src/GraphQLApi -c Release)") from e


def ask(query, **variables):
    """Runs a GraphQL query (or mutation) and returns its data; GraphQL errors raise OneMapError with their messages."""
    with _request("POST", "/graphql", {"query": query, "variables": variables}) as response:
        body = json.load(response)
    if body.get("errors"):
        messages = "; ".join(
            e.get("message", "?") + (f" [{e['extensions']['code']}]" if e.get("extensions", {}).get("code") else "")
            for e in body["errors"])
        raise OneMapError(f"GraphQL errors: {messages}")
    return body["data"]


def output_path(name):
    """A path for a chart or a download under ONEMAP_OUTPUT (created on first use)."""
    os.makedirs(OUTPUT, exist_ok=True)
    return os.path.join(OUTPUT, name)


def download(path, destination):
    """Downloads an export link (the `url` an `..._export` field returns) to a file; returns (bytes, content type)."""
    size = 0
    with _request("GET", path, accept="*/*") as response, open(destination, "wb") as out:
        content_type = response.headers.get("Content-Type", "")
        while chunk := response.read(1 << 16):
            out.write(chunk)
            size += len(chunk)
    return size, content_type


def table(rows, columns, title=None, limit=None):
    """Prints dicts as an aligned text table; a column is a key or (header, function of the row)."""
    specs = [(c, lambda r, c=c: r.get(c)) if isinstance(c, str) else c for c in columns]
    shown = rows if limit is None else rows[:limit]
    cells = [[_text(get(r)) for _, get in specs] for r in shown]
    widths = [max([_width(h)] + [_width(row[i]) for row in cells]) for i, (h, _) in enumerate(specs)]
    if title:
        print(title)
    print("  ".join(_pad(h, w) for (h, _), w in zip(specs, widths)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(_pad(v, w) for v, w in zip(row, widths)))
    if limit is not None and len(rows) > limit:
        print(f"... {len(rows) - limit} more row(s)")


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.4g}"
    return str(value)


def _width(text):
    # CJK characters take two columns in a terminal.
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def _pad(text, width):
    return text + " " * (width - _width(text))


def show_svg(path):
    """Shows an SVG file inline when running in Jupyter (IPython); elsewhere prints where it is."""
    try:
        from IPython import get_ipython
        from IPython.display import SVG, display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(SVG(filename=path))
    else:
        print(f"chart written to {path}")


def svg_line_chart(series, path, title, y_label, bands=None, width=760, height=300):
    """Writes a line chart as SVG: series maps a name to [(x label, y)], in order; bands are (y, label) lines."""
    names = list(series)
    points = [v for s in series.values() for _, v in s if v is not None]
    if not points:
        raise ValueError("nothing to draw: every series is empty")
    band_values = [y for y, _ in bands or []]
    low, high = min(points + band_values), max(points + band_values)
    if high == low:
        high = low + 1
    left, right, top, bottom = 60, 150, 30, 40
    length = max(len(s) for s in series.values())
    def x(i):
        return left + (width - left - right) * (i / max(length - 1, 1))
    def y(v):
        return top + (height - top - bottom) * (1 - (v - low) / (high - low))
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
             f'<text x="{left}" y="18" font-size="13">{escape(title)}</text>',
             f'<text x="12" y="{top + (height - top - bottom) / 2}" transform="rotate(-90 12 {top + (height - top - bottom) / 2})">{escape(y_label)}</text>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#333"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#333"/>']
    for tick in range(5):
        v = low + (high - low) * tick / 4
        parts.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.2f}</text>')
    first = next(iter(series.values()))
    step = max(1, len(first) // 8)
    for i in range(0, len(first), step):
        parts.append(f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle">{escape(str(first[i][0]))}</text>')
    for value, label in bands or []:
        parts.append(f'<line x1="{left}" y1="{y(value):.1f}" x2="{width - right}" y2="{y(value):.1f}" stroke="#999" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{width - right + 4}" y="{y(value) + 4:.1f}" fill="#666">{escape(label)}</text>')
    for n, name in enumerate(names):
        colour = colours[n % len(colours)]
        coordinates = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(series[name]) if v is not None)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{coordinates}"/>')
        parts.append(f'<text x="{width - right + 4}" y="{top + 14 * n + 10}" fill="{colour}">{escape(name)}</text>')
    parts.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))
    return path
