"""Open files in real QGIS (PyQGIS) and report what QGIS sees, as JSON on stdout.

Run with the system Python that has PyQGIS (``/usr/bin/python3``), never imported by the tests:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis_probe.py SPEC.json

SPEC: ``{"layers": [URI, ...], "renders": [{"uri": URI, "extent": [xmin, ymin, xmax, ymax],
"size": [w, h], "points": [[lon, lat], ...]}]}``.  For each layer: validity, feature count, CRS,
geometry type, fields with QGIS type names, the renderer QGIS loaded by default (type, attribute,
categories with their colours, data-defined size) and the temporal settings.  For each render:
the RGBA colour of the rendered image at each point.  Layers are deleted before ``exitQgis()``
(otherwise QGIS 3.22 crashes on exit).
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsPointXY,
    QgsRectangle,
    QgsSymbolLayer,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def describe(layer: QgsVectorLayer) -> dict:
    out: dict = {"valid": layer.isValid()}
    if not layer.isValid():
        return out
    out["feature_count"] = layer.featureCount()
    out["crs"] = layer.crs().authid()
    out["geometry_type"] = QgsWkbTypes.displayString(layer.wkbType())
    out["fields"] = {f.name(): f.typeName() for f in layer.fields()}
    out["field_types"] = {f.name(): int(f.type()) for f in layer.fields()}
    renderer = layer.renderer()
    out["renderer"] = renderer.type() if renderer else None
    if renderer and renderer.type() == "categorizedSymbol":
        out["attribute"] = renderer.classAttribute()
        cats = []
        for cat in renderer.categories():
            sym = cat.symbol()
            expressions = []
            for i in range(sym.symbolLayerCount()):
                props = sym.symbolLayer(i).dataDefinedProperties()
                expressions.append({
                    key: props.property(prop).expressionString()
                    for key, prop in (("size", QgsSymbolLayer.PropertySize),
                                      ("fillColor", QgsSymbolLayer.PropertyFillColor),
                                      ("enabled", QgsSymbolLayer.PropertyLayerEnabled))
                    if props.property(prop).isActive()})
            cats.append({
                "value": cat.value() if cat.value() is not None else "",
                "label": cat.label(),
                "color": sym.color().name(),
                "symbol_layers": sym.symbolLayerCount(),
                "expressions": expressions,
                "offsets": [getattr(sym.symbolLayer(i), "offset", lambda: None)()
                            for i in range(sym.symbolLayerCount())
                            if sym.type() == 1],
            })
        out["categories"] = cats
    labeling = layer.labeling()
    out["labels"] = {"enabled": bool(layer.labelsEnabled()),
                     "type": labeling.type() if labeling else None,
                     "field": labeling.settings().fieldName
                     if labeling and labeling.type() == "simple" else None}
    tp = layer.temporalProperties()
    out["temporal"] = {"active": tp.isActive(), "mode": int(tp.mode()),
                       "start": tp.startField(), "end": tp.endField()}
    first = next(layer.getFeatures(), None)
    if first is not None:
        out["first"] = {f.name(): _plain(first[f.name()]) for f in layer.fields()}
    return out


def _plain(value):
    if value is None:
        return None
    if hasattr(value, "isNull") and value.isNull():
        return None
    if hasattr(value, "toString") and not isinstance(value, str):
        try:
            return value.toString("yyyy-MM-dd") if hasattr(value, "day") else value.toString()
        except TypeError:
            return value.toString()
    if isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def render(spec: dict) -> list:
    layer = QgsVectorLayer(spec["uri"], "render", "ogr")
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(*spec["size"]))
    settings.setOutputDpi(96)
    settings.setExtent(QgsRectangle(*spec["extent"]))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    m2p = settings.mapToPixel()
    colors = []
    for lon, lat in spec["points"]:
        p = m2p.transform(QgsPointXY(lon, lat))
        c = QColor(image.pixel(round(p.x()), round(p.y())))
        colors.append([c.red(), c.green(), c.blue()])
    del job, layer
    return colors


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    app = QgsApplication([], False)
    app.initQgis()
    result: dict = {"version": __import__("qgis.core").core.Qgis.QGIS_VERSION, "layers": {},
                    "renders": []}
    for uri in spec.get("layers", []):
        layer = QgsVectorLayer(uri, "probe", "ogr")
        result["layers"][uri] = describe(layer)
        del layer
    for r in spec.get("renders", []):
        result["renders"].append(render(r))
    print(json.dumps(result))
    sys.stdout.flush()
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
