"""Labels on the static map keep clear of each other, of the control line and of the rings, as
a reader sees them in the PNG (the label boxes measured by matplotlib's own renderer)."""

from __future__ import annotations

from pathlib import Path

from . import mapdata
from .test_maps_static import layers  # noqa: F401 - fixture


def test_static_labels_overlap_no_label_line_or_ring(layers, monkeypatch) -> None:  # noqa: F811
    from matplotlib.text import Annotation

    import maps
    import maps.image as image

    inc, lines, zones, base = layers
    seen: dict = {}
    place = image._place_labels

    def spy(fig, ax, labels, obstacles, points=None, centred=0, bold=0, **kw):
        done = place(fig, ax, labels, obstacles, points, centred, bold, **kw)
        seen.update(fig=fig, ax=ax, points=points, rings=kw.get("ring_points"),
                    wanted=[lb[2] for lb in labels])
        return done

    monkeypatch.setattr(image, "_place_labels", spy)
    png = maps.render_static(inc, lines, zones, basemap=base, title="Seeds")
    assert png.startswith(b"\x89PNG")
    renderer = seen["fig"].canvas.get_renderer()
    texts = [t for t in seen["ax"].texts if isinstance(t, Annotation) and t.get_visible()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    names = [n for n, _ in boxes]
    assert len(boxes) >= 10, names
    assert "SDF and coalition" in names  # the zone is named, off the line
    assert {"Hajin", "Raqqa"} <= set(names)
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1:]:
            assert not ba.shrunk(0.98, 0.9).overlaps(bb.shrunk(0.98, 0.9)), (a, b)
    pts, rings = seen["points"], seen["rings"]
    assert len(pts) > 100 and len(rings) > 100  # the line and the ring outlines were sampled

    def across(p, box) -> bool:
        return bool(((p[:, 0] > box.x0 + 1) & (p[:, 0] < box.x1 - 1)
                     & (p[:, 1] > box.y0 + 1) & (p[:, 1] < box.y1 - 1)).any())

    for name, box in boxes:
        assert not across(pts, box), f"{name} lies across a line"
    # Only a city, a country or an incident's place that found no other room may cross a
    # ring's dashed outline (drawn above it with a halo): a few at most.
    over = [name for name, box in boxes if across(rings, box)]
    assert len(over) <= 3, over


def test_many_incidents_draw_quickly_with_small_markers(tmp_path: Path) -> None:
    import maps

    frame = mapdata.incidents_frame(mapdata.synthetic_rows(6000))
    svg = maps.render_static(frame, fmt="svg").decode("utf-8")
    assert "markers at 40 %" in svg and "rings left out" not in svg
