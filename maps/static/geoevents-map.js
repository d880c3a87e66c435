/* geoevents map runtime (written for geoevents, MIT).
 *
 * Draws incidents, control lines, zones and the Natural Earth basemap from the compact JSON
 * embedded in the page, and builds popups, tooltips, legend, title panel and the date filter.
 * Every piece of report text is put into the page with DOM methods (textContent, setAttribute),
 * never parsed as HTML, so a report containing markup shows as text.
 */
(function () {
  "use strict";

  var SVGNS = "http://www.w3.org/2000/svg";
  var DAY_MS = 86400000;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null && text !== "") { e.textContent = String(text); }
    return e;
  }

  function add(parent, child) { parent.appendChild(child); return child; }

  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/[<]/g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function dayToIso(d) {
    return new Date(d * DAY_MS).toISOString().slice(0, 10);
  }

  function isoToDay(s) {
    if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) { return null; }
    var t = Date.parse(s + "T00:00:00Z");
    return isNaN(t) ? null : Math.round(t / DAY_MS);
  }

  function safeUrl(u) {
    return typeof u === "string" && /^https?:\/\/[^\s]+$/i.test(u) ? u : null;
  }

  // ---- marker shapes, drawn by Leaflet's SVG and Canvas renderers alike -------------------
  function shapePoints(shape, x, y, r) {
    var pts = [], i, a, n, rot, rr;
    if (shape === "star") {
      for (i = 0; i < 10; i++) {
        a = -Math.PI / 2 + i * Math.PI / 5;
        rr = i % 2 === 0 ? r * 1.3 : r * 0.55;
        pts.push([x + rr * Math.cos(a), y + rr * Math.sin(a)]);
      }
      return pts;
    }
    var spec = {
      "triangle": [3, -Math.PI / 2, 1.3], "triangle-down": [3, Math.PI / 2, 1.3],
      "square": [4, Math.PI / 4, 1.15], "diamond": [4, 0, 1.3], "hexagon": [6, 0, 1.1]
    }[shape];
    if (!spec) { return null; }
    n = spec[0]; rot = spec[1]; rr = r * spec[2];
    for (i = 0; i < n; i++) {
      a = rot + i * 2 * Math.PI / n;
      pts.push([x + rr * Math.cos(a), y + rr * Math.sin(a)]);
    }
    return pts;
  }

  function svgShapePath(shape, x, y, r) {
    var pts = shapePoints(shape, x, y, r);
    if (!pts) {
      var arc = "a" + r + "," + r + " 0 1,0 ";
      return "M" + (x - r) + "," + y + arc + (r * 2) + ",0 " + arc + (-r * 2) + ",0 ";
    }
    return "M" + pts.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); })
      .join("L") + "z";
  }

  L.SVG.include({
    _updateGeShape: function (layer) {
      var p = layer._point, r = Math.max(Math.round(layer._radius), 1);
      this._setPath(layer, layer._empty() ? "M0 0" : svgShapePath(layer.options.shape, p.x, p.y, r));
    }
  });

  L.Canvas.include({
    _updateGeShape: function (layer) {
      if (!this._drawing || layer._empty()) { return; }
      var p = layer._point, ctx = this._ctx, r = Math.max(Math.round(layer._radius), 1);
      var pts = shapePoints(layer.options.shape, p.x, p.y, r);
      ctx.beginPath();
      if (!pts) {
        ctx.arc(p.x, p.y, r, 0, Math.PI * 2, false);
      } else {
        ctx.moveTo(pts[0][0], pts[0][1]);
        for (var i = 1; i < pts.length; i++) { ctx.lineTo(pts[i][0], pts[i][1]); }
        ctx.closePath();
      }
      this._fillStroke(ctx, layer);
    }
  });

  // A canvas renderer for many markers: instead of filling and stroking each shape on its
  // own (Leaflet's way, slow for 100,000), it traces every shape of one style into one path
  // and fills and strokes that path once.
  function traceShape(ctx, layer) {
    var p = layer._point;
    traceAt(ctx, layer.options.shape, p.x, p.y, Math.max(Math.round(layer._radius), 1));
  }
  function traceAt(ctx, shape, x, y, r) {
    var pts = shapePoints(shape, x, y, r);
    if (!pts) {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2, false);
      return;
    }
    ctx.moveTo(pts[0][0], pts[0][1]);
    for (var i = 1; i < pts.length; i++) { ctx.lineTo(pts[i][0], pts[i][1]); }
    ctx.closePath();
  }

  // Incident markers on a canvas are stamped from sprites: each style and radius is drawn
  // once into a small canvas of its own, then copied to every point with that style (a copy
  // of a few pixels rasterises many times faster than filling and stroking a shape).
  var sprites = {};  // style -> radius * 4 + pixel ratio -> sprite
  function spriteFor(layer, m) {
    var o = layer.options, r = Math.max(Math.round(layer._radius), 1);
    if (layer._geSprite && layer._geSpriteR === r) { return layer._geSprite; }
    // the style's key is made once per style (the options objects of one style are shared)
    var style = o._geStyle || (o._geStyle = [o.shape, o.color, o.weight, o.opacity, o.stroke,
      o.fill, o.fillColor, o.fillOpacity].join("|"));
    var bySize = sprites[style] || (sprites[style] = {});
    var sp = bySize[r * 4 + m];
    if (!sp) {
      var pad = Math.ceil(o.stroke ? o.weight / 2 : 0) + 1, half = r + pad;
      var c = document.createElement("canvas");
      c.width = c.height = 2 * half * m;
      var x = c.getContext("2d");
      x.scale(m, m);
      x.beginPath();
      traceAt(x, o.shape, half, half, r);
      if (o.fill) { x.globalAlpha = o.fillOpacity; x.fillStyle = o.fillColor || o.color; x.fill(); }
      if (o.stroke && o.weight) {
        x.globalAlpha = o.opacity; x.strokeStyle = o.color; x.lineWidth = o.weight;
        x.lineJoin = o.lineJoin || "round"; x.lineCap = o.lineCap || "round"; x.stroke();
      }
      sp = bySize[r * 4 + m] = { c: c, h: half, s: 2 * half };
    }
    layer._geSprite = sp;
    layer._geSpriteR = r;
    return sp;
  }

  var BatchCanvas = L.Canvas.extend({
    _draw: function () {
      var t0 = performance.now();
      if (this.options.sprites) { this._drawSprites(); } else { this._drawPaths(); }
      var api = window.geoevents;
      if (api && api.ready && api.timings && !api.timings.drawn && this.options.sprites) {
        api.timings.drawn = performance.now();  // the first full draw of the incidents
        api.timings.drawMs = api.timings.drawn - t0;
      }
    },
    // Only the part to redraw is painted (both drawing paths).
    _clipToRedraw: function (ctx, bounds) {
      if (!bounds) { return; }
      var size = bounds.getSize();
      ctx.beginPath();
      ctx.rect(bounds.min.x, bounds.min.y, size.x, size.y);
      ctx.clip();
    },
    // Sprites, in the markers' order (largest first, so small ones stay visible on top).
    _drawSprites: function () {
      var bounds = this._redrawBounds, ctx = this._ctx, order, layer;
      var m = L.Browser.retina ? 2 : 1;  // Leaflet scales the canvas by the same factor
      ctx.save();
      this._clipToRedraw(ctx, bounds);
      for (order = this._drawFirst; order; order = order.next) {
        layer = order.layer;
        if ((bounds && !(layer._pxBounds && layer._pxBounds.intersects(bounds))) ||
            layer._empty()) { continue; }
        var sp = spriteFor(layer, m), p = layer._point;
        ctx.drawImage(sp.c, Math.round(p.x) - sp.h, Math.round(p.y) - sp.h, sp.s, sp.s);
      }
      ctx.restore();
    },
    _drawPaths: function () {
      var bounds = this._redrawBounds, ctx = this._ctx, groups = {}, keys = [], order, layer;
      ctx.save();
      this._clipToRedraw(ctx, bounds);
      // Shapes are drawn in their order, a few thousand at a time; within such a chunk all
      // shapes of one style go into one path (hollow, approximate ones first, so that they
      // never hide filled ones).  Chunks keep the order meaningful: no event type is drawn
      // wholesale above the others.
      var self = this, count = 0;
      function flush() {
        keys.sort(function (a, b) {
          var ha = groups[a][0].options.fillColor === "#ffffff" ? 0 : 1;
          var hb = groups[b][0].options.fillColor === "#ffffff" ? 0 : 1;
          return ha - hb;
        });
        for (var k = 0; k < keys.length; k++) { self._drawBatch(ctx, groups[keys[k]]); }
        groups = {}; keys = []; count = 0;
      }
      this._drawing = true;
      for (order = this._drawFirst; order; order = order.next) {
        layer = order.layer;
        if ((bounds && !(layer._pxBounds && layer._pxBounds.intersects(bounds))) ||
            layer._empty()) { continue; }
        var o = layer.options;
        var key = (o.shape || "circle") + "|" + o.color + "|" + o.weight + "|" + o.opacity + "|" +
          o.fill + "|" + o.fillColor + "|" + o.fillOpacity + "|" + o.dashArray;
        var g = groups[key];
        if (!g) { g = groups[key] = []; keys.push(key); }
        g.push(layer);
        if (++count >= 4000) { flush(); }
      }
      flush();
      this._drawing = false;
      ctx.restore();
    }
  });

  // With many incidents (canvas maps) markers shrink when zoomed out, so that a dense map
  // still shows its pattern: full size from zoom 9, 40 % at zoom 5 and below.
  function zoomScale(z) { return Math.min(1, Math.max(0.4, 0.4 + 0.15 * (z - 5))); }

  BatchCanvas.include({
    _drawBatch: function (ctx, list) {
      var o0 = list[0].options;
      ctx.fillStyle = o0.fillColor || o0.color;
      ctx.strokeStyle = o0.color;
      ctx.lineWidth = o0.weight;
      ctx.lineCap = o0.lineCap;
      ctx.lineJoin = o0.lineJoin;
      if (ctx.setLineDash) { ctx.setLineDash(o0._dashArray || []); }
      // Paths of a few hundred shapes: one fill and one stroke each, cheap to rasterise.
      for (var start = 0; start < list.length; start += 200) {
        ctx.beginPath();
        var end = Math.min(list.length, start + 200);
        for (var j = start; j < end; j++) { traceShape(ctx, list[j]); }
        if (o0.fill) { ctx.globalAlpha = o0.fillOpacity; ctx.fill("nonzero"); }
        if (o0.stroke && o0.weight !== 0) { ctx.globalAlpha = o0.opacity; ctx.stroke(); }
      }
    }
  });

  var GeShape = L.CircleMarker.extend({
    options: { shape: "circle", geId: "", zoomScale: false },
    _project: function () {
      this._radius = this.options.radius *
        (this.options.zoomScale && this._map ? zoomScale(this._map.getZoom()) : 1);
      L.CircleMarker.prototype._project.call(this);
    },
    onAdd: function (map) {
      L.CircleMarker.prototype.onAdd.call(this, map);
      if (this._path && this._path.setAttribute) {
        this._path.setAttribute("data-incident", this.options.geId);
      }
    },
    _updatePath: function () { this._renderer._updateGeShape(this); }
  });

  function swatch(shape, color, opts) {
    opts = opts || {};
    var size = opts.size || 18, r = opts.r || 6, c = size / 2;
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", size); svg.setAttribute("height", size);
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("class", "ge-swatch");
    var path = document.createElementNS(SVGNS, "path");
    path.setAttribute("d", svgShapePath(shape, c, c, r));
    path.setAttribute("fill", opts.hollow ? "#ffffff" : color);
    path.setAttribute("fill-opacity", opts.hollow ? "0.6" : "0.85");
    path.setAttribute("stroke", opts.hollow ? color : "#ffffff");
    path.setAttribute("stroke-width", opts.hollow ? "2" : "1");
    if (opts.hollow) { path.setAttribute("stroke-dasharray", "3 2"); }
    svg.appendChild(path);
    return svg;
  }

  function lineSwatch(color, dashed) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", 24); svg.setAttribute("height", 12);
    svg.setAttribute("class", "ge-swatch");
    var l = document.createElementNS(SVGNS, "line");
    l.setAttribute("x1", 1); l.setAttribute("y1", 6); l.setAttribute("x2", 23); l.setAttribute("y2", 6);
    l.setAttribute("stroke", color); l.setAttribute("stroke-width", 3);
    if (dashed) { l.setAttribute("stroke-dasharray", "5 3"); }
    svg.appendChild(l);
    return svg;
  }

  function areaSwatch(color) {
    var s = el("span", "ge-area-swatch");
    s.style.background = color;
    return s;
  }

  // ---- the map --------------------------------------------------------------------------
  // The data document: plain JSON, or (for large maps) gzip-compressed JSON in base64,
  // inflated with the browser's own DecompressionStream (no request, no library).
  function inflate(b64) {
    var bin = atob(b64.trim()), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  function fail(map, message) {
    var box = el("div", "ge-title-panel ge-error", message);
    map.getContainer().appendChild(box);
  }

  // ---- the basemap: one set of layers per zoom band ------------------------------------
  function drawBasemap(map, groups, D, api) {
    var B = D.base, baseR = L.svg({ pane: "geBase", padding: 0.5 });
    var bands = B.bands.map(function (b) {
      var g = L.layerGroup();
      L.geoJSON(b.countries, {
        pane: "geBase", renderer: baseR, interactive: false,
        style: { color: D.style.landEdge, weight: 1, fillColor: D.style.land, fillOpacity: 1 }
      }).addTo(g);
      L.geoJSON(b.lakes, {
        pane: "geBase", renderer: baseR, interactive: false,
        style: { color: D.style.river, weight: 0.5, fillColor: D.style.water, fillOpacity: 1 }
      }).addTo(g);
      L.geoJSON(b.rivers, {
        pane: "geBase", renderer: baseR, interactive: false,
        style: function (f) {
          return { color: D.style.river, weight: f.properties.rank <= 4 ? 2 : 1.2, opacity: 0.9 };
        }
      }).addTo(g);
      return { z: b.z, layer: g, data: b };
    });
    var current = null;
    function bandFor(z) {
      var pick = bands[0];
      bands.forEach(function (b) { if (z >= b.z) { pick = b; } });
      return pick;
    }
    function switchBand() {
      var b = bandFor(map.getZoom());
      if (b !== current) {
        if (current) { groups.base.removeLayer(current.layer); }
        groups.base.addLayer(b.layer);
        current = b;
      }
      return b;
    }
    var labels = makeLabeller(map, groups.labels || groups.base, D, bandFor, api);
    map.on("zoomend", switchBand);
    map.on("zoomend moveend", labels.place);
    switchBand();
    api.placeLabels = labels.place;
    api.band = function () { return bands.indexOf(current); };
    api.labelsPlaced = labels.placed;
  }

  // Labels placed as a cartographer would: most important first, each where it overlaps no
  // label already placed, no panel, no incident marker, no control line and no ring outline
  // (tried right, left, above, below its point, then farther out); what does not fit is left
  // out and comes back when zoomed in.
  function boxHits(b, t) { return b[0] < t[2] && b[2] > t[0] && b[1] < t[3] && b[3] > t[1]; }
  // Does the segment (x1, y1)-(x2, y2) cross the box b (Liang-Barsky clipping)?
  function segHits(b, s) {
    var x1 = s[0], y1 = s[1], dx = s[2] - x1, dy = s[3] - y1, t0 = 0, t1 = 1;
    var p = [-dx, dx, -dy, dy], q = [x1 - b[0], b[2] - x1, y1 - b[1], b[3] - y1];
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) { if (q[i] < 0) { return false; } continue; }
      var r = q[i] / p[i];
      if (p[i] < 0) { if (r > t1) { return false; } if (r > t0) { t0 = r; } }
      else { if (r < t0) { return false; } if (r < t1) { t1 = r; } }
    }
    return true;
  }
  // Does the circle's outline (x, y, r) pass through the box b?
  function ringHits(b, c) {
    var nx = Math.max(b[0], Math.min(c[0], b[2])), ny = Math.max(b[1], Math.min(c[1], b[3]));
    var near = Math.sqrt((nx - c[0]) * (nx - c[0]) + (ny - c[1]) * (ny - c[1]));
    var fx = Math.max(Math.abs(b[0] - c[0]), Math.abs(b[2] - c[0]));
    var fy = Math.max(Math.abs(b[1] - c[1]), Math.abs(b[3] - c[1]));
    return near < c[2] + 1 && Math.sqrt(fx * fx + fy * fy) > c[2] - 1;
  }

  function makeLabeller(map, group, D, bandFor, api) {
    var B = D.base, layer = L.layerGroup().addTo(group), dotR = L.svg({ pane: "geLabels" });
    var canvas = document.createElement("canvas"), ctx = canvas.getContext("2d");
    var family = window.getComputedStyle(map.getContainer()).fontFamily || "sans-serif";
    var widths = {};
    function width(text, font, spacing) {
      var k = font + "|" + spacing + "|" + text, v = widths[k];
      if (v === undefined) {
        ctx.font = font + " " + family;
        v = widths[k] = ctx.measureText(text).width + spacing * text.length;
      }
      return v;
    }
    var placed = [];
    function place() {
      layer.clearLayers();
      placed = [];
      var z = map.getZoom(), size = map.getSize(), taken = [], band = bandFor(z).data;
      var pad = 2, box0 = map.getContainer().getBoundingClientRect();
      // The map's own panels and the incidents drawn are obstacles: no label under them.
      var panels = map.getContainer().querySelectorAll(
        ".ge-title-panel, .ge-legend, .leaflet-control-layers, .leaflet-control-zoom, " +
        ".leaflet-control-scale, .leaflet-control-attribution");
      Array.prototype.forEach.call(panels, function (e) {
        var r = e.getBoundingClientRect();
        if (r.width && r.height) {
          taken.push([r.left - box0.left - 4, r.top - box0.top - 4, r.right - box0.left + 4,
            r.bottom - box0.top + 4]);
        }
      });
      // Obstacles by 64-px cell, so that a label is tested only against what is near it.
      function Grid(test) { this.cells = {}; this.test = test; this.stamp = 0; }
      Grid.prototype.add = function (item, b, keep) {
        var x0 = Math.max(-2, Math.floor(b[0] / 64)), x1 = Math.min(Math.floor(size.x / 64) + 2, Math.floor(b[2] / 64));
        var y0 = Math.max(-2, Math.floor(b[1] / 64)), y1 = Math.min(Math.floor(size.y / 64) + 2, Math.floor(b[3] / 64));
        var o = { v: item, s: -1 };
        for (var x = x0; x <= x1; x++) {
          for (var y = y0; y <= y1; y++) {
            if (keep && !keep([x * 64, y * 64, x * 64 + 64, y * 64 + 64])) { continue; }
            var k = x + ":" + y;
            (this.cells[k] || (this.cells[k] = [])).push(o);
          }
        }
      };
      Grid.prototype.push = function (b) { this.add(b, b); };
      Grid.prototype.hits = function (b) {
        var stamp = ++this.stamp;
        for (var x = Math.floor(b[0] / 64); x <= Math.floor(b[2] / 64); x++) {
          for (var y = Math.floor(b[1] / 64); y <= Math.floor(b[3] / 64); y++) {
            var c = this.cells[x + ":" + y];
            if (!c) { continue; }
            for (var i = 0; i < c.length; i++) {
              if (c[i].s === stamp) { continue; }
              c[i].s = stamp;
              if (this.test(b, c[i].v)) { return true; }
            }
          }
        }
        return false;
      };
      var labelBoxes = new Grid(boxHits);
      taken.forEach(function (b) { labelBoxes.push(b); });
      taken = labelBoxes;  // panels, then the labels placed
      var markers = new Grid(boxHits);  // incident markers shown
      (api.obstacles ? api.obstacles() : []).forEach(function (b) { markers.push(b); });
      var segs = new Grid(segHits);
      (api.lineSegments ? api.lineSegments() : []).forEach(function (q) {
        segs.add(q, [Math.min(q[0], q[2]), Math.min(q[1], q[3]), Math.max(q[0], q[2]),
          Math.max(q[1], q[3])], function (cell) { return segHits(cell, q); });
      });
      var rings = new Grid(ringHits);  // filed under the cells their outline passes
      (api.ringOutlines ? api.ringOutlines() : []).forEach(function (c) {
        rings.add(c, [c[0] - c[2], c[1] - c[2], c[0] + c[2], c[1] + c[2]],
          function (cell) { return ringHits(cell, c); });
      });
      // Is box b free?  (dot: a place's dot, which may lie under an incident marker, on a
      // line or a ring; only labels and panels keep it out.)
      function free(b, dot, overRings) {
        if (b[0] < 0 || b[1] < 0 || b[2] > size.x || b[3] > size.y) { return false; }
        if (taken.hits(b)) { return false; }
        if (dot) { return true; }
        if (markers.hits(b) || segs.hits(b)) { return false; }
        return overRings || !rings.hits(b);
      }
      // Zone labels (drawn with their zones) come first, at their point or moved off a line
      // or a ring; one that finds no room, or is wider than its zone on screen, is hidden.
      (api.zoneLabels ? api.zoneLabels() : []).forEach(function (zl) {
        var e = zl.el;
        e.style.visibility = "";
        e.style.transform = "";
        var r = e.getBoundingClientRect();
        if (!r.width) { return; }
        var zb = zl.bounds, nw = map.latLngToContainerPoint(zb.getNorthWest()),
          se = map.latLngToContainerPoint(zb.getSouthEast());
        if (r.width > (se.x - nw.x) * 0.9 || r.height > (se.y - nw.y) * 0.9) {
          e.style.visibility = "hidden";
          return;
        }
        var b0 = [r.left - box0.left - 2, r.top - box0.top - 2, r.right - box0.left + 2,
          r.bottom - box0.top + 2];
        var offs = [[0, 0], [0, 14], [0, -14], [0, 28], [0, -28], [40, 0], [-40, 0], [0, 44],
          [0, -44], [-70, 0], [70, 0], [-60, -24], [60, 24], [-60, 24], [60, -24], [0, 64],
          [0, -64]];
        for (var k = 0; k < offs.length; k++) {
          var b = [b0[0] + offs[k][0], b0[1] + offs[k][1], b0[2] + offs[k][0], b0[3] + offs[k][1]];
          if (free(b)) {
            taken.push(b);
            if (k) {
              e.style.transform = "translate(calc(-50% + " + offs[k][0] + "px), calc(-50% + " +
                offs[k][1] + "px))";
            }
            return;
          }
        }
        e.style.visibility = "hidden";
      });
      if (!map.hasLayer(layer)) { return; }
      var seen = {};  // water names placed: one label per name within 350 px
      // Label text at (lat, lon): tried at each anchor (r, l, t, b: right of, left of, above,
      // below the point; c: centred) near, then farther out (``far``: the offsets in px).  A
      // major label (a city, a country) that finds no room clear of the rings may cross a
      // ring's dashed outline (it is drawn above the rings, with a halo); nothing else may.
      function put(lat, lon, text, cls, font, h, spacing, anchors, dot, far, major) {
        var p = map.latLngToContainerPoint([lat, lon]);
        if (p.x < -200 || p.y < -50 || p.x > size.x + 200 || p.y > size.y + 50) { return; }
        if (!dot && seen[text] && seen[text].some(function (q) { return q.distanceTo(p) < 350; })) {
          return;
        }
        var w = width(text, font, spacing);
        var dotBox = [p.x - 4, p.y - 4, p.x + 4, p.y + 4];
        if (dot && !free(dotBox, true)) { return; }
        // The place of an incident (its dot under a marker) is named like a major place.
        if (dot && !major && markers.hits(dotBox)) {
          major = true;
        }
        var tries = [];
        [6].concat(far || []).forEach(function (o) { anchors.forEach(function (an) { tries.push([an, o]); }); });
        for (var pass = 0; pass < (major ? 2 : 1); pass++) {
          for (var a = 0; a < tries.length; a++) {
            var an = tries[a][0], off = tries[a][1];
            var dx = an === "c" || an === "t" || an === "b" ? -w / 2 : (an === "r" ? off : -off - w);
            var dy = an === "t" ? -h / 2 - off + 1 : (an === "b" ? h / 2 + off - 1 : 0);
            if (an === "c" && off !== 6) { continue; }  // centred: once
            var b = [p.x + dx - pad, p.y + dy - h / 2 - pad, p.x + dx + w + pad,
              p.y + dy + h / 2 + pad];
            if (free(b, false, pass === 1)) {
              taken.push(b);
              if (dot) {
                taken.push(dotBox);
                L.circleMarker([lat, lon], {
                  pane: "geLabels", renderer: dotR, radius: dot > 1 ? 3.5 : 2.5, color: "#ffffff",
                  weight: 1, fillColor: D.style.place, fillOpacity: 1, interactive: false
                }).addTo(layer);
              }
              var t = el("span", cls, text);
              t.style.transform = "translate(" + dx.toFixed(1) + "px," + (dy - h / 2).toFixed(1) + "px)";
              t.style.height = h + "px";
              t.style.lineHeight = h + "px";
              if (!dot) { (seen[text] = seen[text] || []).push(p); }
              L.marker([lat, lon], {
                pane: "geLabels", interactive: false, keyboard: false,
                icon: L.divIcon({ className: "ge-label-icon", html: t, iconSize: null })
              }).addTo(layer);
              placed.push(text);
              return;
            }
          }
        }
      }
      function town(p) {
        var major = p[4] >= 100000 || p[5];
        put(p[0], p[1], p[2], "ge-place-label" + (major ? " ge-place-major" : ""),
          major ? "600 12px" : "11px", major ? 15 : 14, 0, ["r", "l", "t", "b"], p[5] ? 2 : 1,
          [14, 28, 36], major);
      }
      // Capitals and cities of a million first, then the countries and seas, then the other
      // places, lakes and rivers.
      var places = B.places || [];
      places.forEach(function (p) { if (z >= p[3] && (p[5] || p[4] >= 1000000)) { town(p); } });
      (B.countryLabels || []).forEach(function (c) {
        if (c.length > 3 && z < c[3]) { return; }
        put(c[0], c[1], c[2].toUpperCase(), "ge-country-label", "600 13px", 16, 2, ["c", "t", "b"], 0,
          [16, 32, 48], true);
      });
      (B.seaLabels || []).forEach(function (c) {
        if (z < c[3]) { return; }
        put(c[0], c[1], c[2], "ge-water-label ge-sea-label", "italic 12px", 15, 1, ["c", "t", "b"], 0,
          [20, 40]);
      });
      places.forEach(function (p) {
        if (z < p[3] || p[5] || p[4] >= 1000000) { return; }
        town(p);
      });
      // Lakes and rivers from Natural Earth's first zoom for their names (c[4]).
      (band.lakeLabels || []).forEach(function (c) {
        if (c.length > 4 && z < c[4]) { return; }
        put(c[0], c[1], c[2], "ge-water-label", "italic 11px", 14, 0, ["c", "t", "b"], 0, [12, 24]);
      });
      // Zoomed in, the anchors along a river are far apart: name it where it crosses the screen.
      var rivers = (band.riverLabels || []).slice();
      if (z >= 10 && band.rivers) {
        band.rivers.features.forEach(function (f) {
          var nm = f.properties.name, g = f.geometry;
          if (!nm || !g) { return; }
          var parts = g.type === "LineString" ? [g.coordinates] : g.coordinates;
          parts.forEach(function (cs) {
            var run = [];
            cs.forEach(function (c) {
              var q = map.latLngToContainerPoint([c[1], c[0]]);
              if (q.x > 40 && q.y > 40 && q.x < size.x - 40 && q.y < size.y - 40) { run.push(c); }
            });
            [0.5, 0.25, 0.75, 0.1, 0.9].forEach(function (fr) {  // the middle first
              var m = run[Math.floor(run.length * fr)];
              if (m) { rivers.push([m[1], m[0], nm]); }
            });
          });
        });
      }
      // A river's name beside its course when a control line runs along it.
      rivers.forEach(function (c) {
        if (c.length > 4 && z < c[4]) { return; }
        put(c[0], c[1], c[2], "ge-water-label", "italic 11px", 14, 0, ["c", "t", "b"], 0, [10, 20]);
      });
    }
    map.on("overlayadd overlayremove", function () { window.setTimeout(place, 0); });
    return { place: place, placed: function () { return placed.slice(); } };
  }

  window.geoeventsMap = function (map, groups, dataNode) {
    var api = { ready: false, timings: { start: performance.now() } };
    window.geoevents = api;
    if (dataNode.getAttribute("data-encoding") === "gzip+base64") {
      if (typeof DecompressionStream === "undefined") {
        fail(map, "This browser cannot open the map's compressed data: use a browser from " +
          "2023 or later (Chrome/Edge 80+, Firefox 113+, Safari 16.4+).");
        return api;
      }
      inflate(dataNode.textContent).then(function (D) {
        api.timings.data = performance.now();
        draw(map, groups, D, api);
      })
        .catch(function (e) { fail(map, "The map data could not be read: " + e); throw e; });
    } else {
      var D = JSON.parse(dataNode.textContent);
      api.timings.data = performance.now();
      draw(map, groups, D, api);
    }
    return api;
  };

  function draw(map, groups, D, api) {
    var S = D.S;
    var str = function (i) { return i === null || i === undefined ? "" : S[i]; };
    var inc = D.inc, n = inc.id.length, types = D.types;

    function pane(name, z, noPointer) {
      var p = map.createPane(name);
      p.style.zIndex = z;
      if (noPointer) { p.style.pointerEvents = "none"; }
      return p;
    }
    // The vector basemap lies under the (optional) web tiles: offline, it is what shows.
    pane("geBase", 150, true);
    pane("geZones", 350);
    pane("geLines", 380);
    pane("geAreas", 390, true);
    pane("geIncidents", 420);
    pane("geLabels", 395, true);
    pane("geZoneLabels", 396, true);

    // Basemap -------------------------------------------------------------------------------
    if (D.base && groups.base) { drawBasemap(map, groups, D, api); }

    // Zones and lines -----------------------------------------------------------------------
    var timed = [];  // {layer, group, from, to, shown}
    var zoneLabels = [];  // {el, bounds}: the zones' party labels, placed by the labeller
    // Each layer and control is drawn by a function of its own, called in order below.
    function drawZones() {
      var zoneR = L.svg({ pane: "geZones" });
      (D.zones || []).forEach(function (z, k) {
        var layer = L.featureGroup();
        L.geoJSON(z.geom, {
          pane: "geZones", renderer: zoneR,
          style: { color: z.color, weight: 1, opacity: 0.6, fillColor: z.color, fillOpacity: 0.16 }
        }).bindTooltip(function () {
          var d = el("div", "ge-tip");
          add(d, el("b", null, z.party || "(no party)"));
          add(d, el("div", null, [z.side ? z.side + " side" : "", z.bank ? z.bank + " bank" : ""]
            .filter(Boolean).join(", ")));
          add(d, el("div", "ge-muted", validity(z.valid_from, z.valid_to)));
          return d;
        }, { sticky: true }).addTo(layer);
        if (z.label) {
          var t = el("span", "ge-zone-label", z.party);
          t.style.color = z.color;
          zoneLabels.push({ el: t, bounds: L.geoJSON(z.geom).getBounds() });
          L.marker(z.label, {
            pane: "geZoneLabels", interactive: false, keyboard: false,
            icon: L.divIcon({ className: "ge-label-icon", html: t, iconSize: null })
          }).addTo(layer);
        }
        layer.addTo(groups.zones[k]);
        timed.push({ layer: layer, group: groups.zones[k], from: isoToDay(z.valid_from),
          to: isoToDay(z.valid_to), shown: true });
      });
    }

    function drawLines() {
      var lineR = L.svg({ pane: "geLines" });
      (D.lines || []).forEach(function (ln, k) {
        var layer = L.geoJSON(ln.geom, {
          pane: "geLines", renderer: lineR,
          style: { color: ln.color, weight: 4, opacity: 0.95, dashArray: ln.kind === "river" ? null : "8 5",
            className: "ge-line" }
        }).bindTooltip(function () {
          var d = el("div", "ge-tip");
          add(d, el("b", null, ln.name || ln.id));
          [["left", ln.side_left, ln.party_left], ["right", ln.side_right, ln.party_right]]
            .forEach(function (b) {
              if (b[2]) {
                add(d, el("div", null, b[0] + " bank" + (b[1] ? " (" + b[1] + ")" : "") + ": " + b[2]));
              }
            });
          add(d, el("div", "ge-muted", validity(ln.valid_from, ln.valid_to)));
          return d;
        }, { sticky: true });
        layer.addTo(groups.lines[k]);
        timed.push({ layer: layer, group: groups.lines[k], from: isoToDay(ln.valid_from),
          to: isoToDay(ln.valid_to), shown: true });
      });
    }
    drawZones();
    drawLines();
    api.zoneLabels = function () {
      return zoneLabels.filter(function (z) { return z.el.isConnected; });
    };
    // Screen segments of the control lines shown, for the labels to keep off.
    var lineTimed = timed.slice((D.zones || []).length);  // drawZones pushed the zones first
    api.lineSegments = function () {
      var out = [], size = map.getSize();
      lineTimed.forEach(function (t) {
        if (!t.shown || !map.hasLayer(t.group)) { return; }
        t.layer.eachLayer(function (l) {
          var ll = l.getLatLngs();
          (L.LineUtil.isFlat(ll) ? [ll] : ll).forEach(function (part) {
            var prev = null;
            part.forEach(function (q) {
              var p = map.latLngToContainerPoint(q);
              if (prev && !((prev.x < -50 && p.x < -50) || (prev.y < -50 && p.y < -50) ||
                (prev.x > size.x + 50 && p.x > size.x + 50) || (prev.y > size.y + 50 && p.y > size.y + 50))) {
                out.push([prev.x, prev.y, p.x, p.y]);
              }
              prev = p;
            });
          });
        });
      });
      return out;
    };

    // Control areas (AREAS frame) -------------------------------------------------------------
    var asOfLabel = null;
    var hatches = {};
    var controlR = L.svg({ pane: "geZones" });
    function hatch(a) {
      // contested, besieged, mixed: stripes of both parties' colours (or the party's and white)
      var key = a.color + "|" + (a.color2 || "#ffffff"), id = hatches[key];
      if (id) { return id; }
      id = hatches[key] = "ge-hatch-" + Object.keys(hatches).length;
      var svg = controlR._container, defs = svg.querySelector("defs");
      if (!defs) { defs = svg.insertBefore(document.createElementNS(SVGNS, "defs"), svg.firstChild); }
      var pat = document.createElementNS(SVGNS, "pattern");
      pat.setAttribute("id", id); pat.setAttribute("width", "10"); pat.setAttribute("height", "10");
      pat.setAttribute("patternUnits", "userSpaceOnUse");
      pat.setAttribute("patternTransform", "rotate(45)");
      [[0, a.color], [5, a.color2 || "#ffffff"]].forEach(function (b) {
        var r = document.createElementNS(SVGNS, "rect");
        r.setAttribute("x", b[0]); r.setAttribute("y", 0); r.setAttribute("width", 5);
        r.setAttribute("height", 10); r.setAttribute("fill", b[1]);
        pat.appendChild(r);
      });
      defs.appendChild(pat);
      return id;
    }
    function drawControlAreas() {
      (D.areas || []).forEach(function (a) {
        var striped = a.status !== "held";
        var layer = L.geoJSON(a.geom, {
          pane: "geZones", renderer: controlR,
          style: { color: a.color, weight: 1.2, opacity: 0.8, fillColor: a.color,
            fillOpacity: striped ? 0.45 : 0.22, className: "ge-control ge-control-" + a.status }
        }).bindTooltip(function () {
          var d = el("div", "ge-tip");
          add(d, el("b", null, a.party + (a.party2 ? " / " + a.party2 : "")));
          add(d, el("div", null, a.status + " · as of " + a.as_of));
          if (a.n !== null && a.n !== undefined) {
            add(d, el("div", "ge-muted", a.n + " place" + (a.n === 1 ? "" : "s") + " reported"));
          }
          if (a.sources) { add(d, el("div", "ge-muted", a.sources)); }
          return d;
        }, { sticky: true });
        layer.on("add", function () {
          layer.eachLayer(function (l) {
            if (l._path) {
              l._path.setAttribute("data-area", a.id);
              if (striped) { l._path.setAttribute("fill", "url(#" + hatch(a) + ")"); }
            }
          });
        });
        layer.addTo(groups.control);
        timed.push({ layer: layer, group: groups.control, from: isoToDay(a.valid_from),
          to: isoToDay(a.valid_to), shown: true, asOf: true });
      });
    }
    if ((D.areas || []).length && groups.control) { drawControlAreas(); }

    // Hexagons (HEXAGONS frame) ---------------------------------------------------------------
    function hexColor(count) {
      var H = D.hexagons, k = 0;
      for (var j = 0; j < H.classes.length; j++) { if (count >= H.classes[j]) { k = j; } }
      return H.colors[Math.min(k, H.colors.length - 1)];
    }
    function drawHexagons() {
      var hexR = L.svg({ pane: "geZones" });
      D.hexagons.cells.forEach(function (c) {
        var poly = L.polygon(c[6], {
          pane: "geZones", renderer: hexR, color: "#7f2704", weight: 0.6, opacity: 0.7,
          fillColor: hexColor(c[3]), fillOpacity: 0.65, className: "ge-hex"
        }).bindTooltip(function () {
          var d = el("div", "ge-tip");
          add(d, el("b", null, c[3] + " incident" + (c[3] === 1 ? "" : "s") +
            (c[5] ? " (" + c[5] + ")" : "")));
          if (c[4] !== null && c[4] !== undefined) { add(d, el("div", null, c[4] + " killed")); }
          add(d, el("div", "ge-muted", c[1] + " to " + c[2]));
          return d;
        }, { sticky: true });
        poly.on("add", function () { if (poly._path) { poly._path.setAttribute("data-cell", c[0]); } });
        poly.addTo(groups.hex);
        timed.push({ layer: poly, group: groups.hex, from: isoToDay(c[1]), to: isoToDay(c[2]),
          shown: true });
      });
    }
    if (D.hexagons && groups.hex) { drawHexagons(); }

    function validity(a, b) {
      if (!a && !b) { return "valid at all dates"; }
      return "valid " + (a || "…") + " to " + (b || "…");
    }

    var range = D.range;  // [first day, last day] of the incidents, or null
    var counter, panel, fromIn, toIn, playBtn, timer = null, week = -1;
    // Title panel with the date filter and playback --------------------------------------------
    function addTitlePanel() {
      panel = el("div", "ge-title-panel leaflet-control");
      add(panel, el("div", "ge-title", D.title));
      if (D.subtitle) { add(panel, el("div", "ge-subtitle", D.subtitle)); }
      var filt = add(panel, el("div", "ge-filter"));
      if (range) {
        // Plain text fields in ISO form (YYYY-MM-DD): a browser's date picker would show the
        // reader's locale (mm/dd/yyyy in the US) while everything else on the map is ISO.
        add(filt, el("label", null, "From ")).setAttribute("for", "ge-from");
        fromIn = add(filt, el("input", "ge-date"));
        add(filt, el("label", null, " to ")).setAttribute("for", "ge-to");
        toIn = add(filt, el("input", "ge-date"));
        [[fromIn, "ge-from", range[0]], [toIn, "ge-to", range[1]]].forEach(function (a) {
          a[0].type = "text"; a[0].id = a[1]; a[0].value = dayToIso(a[2]);
          a[0].setAttribute("inputmode", "numeric");
          a[0].setAttribute("pattern", "\\d{4}-\\d{2}-\\d{2}");
          a[0].setAttribute("placeholder", "YYYY-MM-DD");
          a[0].setAttribute("size", "10");
          a[0].setAttribute("maxlength", "10");
          a[0].setAttribute("spellcheck", "false");
          a[0].setAttribute("aria-label", (a[1] === "ge-from" ? "first" : "last") + " day shown (YYYY-MM-DD)");
          a[0].addEventListener("input", function () { stop(); onDates(); });
          a[0].addEventListener("change", function () { stop(); onDates(); });
        });
        playBtn = add(filt, el("button", "ge-play", "▶ Play"));
        playBtn.type = "button";
        playBtn.title = "Step through the period week by week";
        playBtn.addEventListener("click", function () { if (timer) { stop(); } else { play(); } });
        var all = add(filt, el("button", "ge-all", "All dates"));
        all.type = "button";
        all.addEventListener("click", function () {
          stop(); week = -1;
          fromIn.value = dayToIso(range[0]); toIn.value = dayToIso(range[1]); onDates();
        });
      }
      counter = add(panel, el("div", "ge-count"));
      L.DomEvent.disableClickPropagation(panel);
      L.DomEvent.disableScrollPropagation(panel);
      map.getContainer().appendChild(panel);
    }
    addTitlePanel();

    function onDates() {
      var a = isoToDay(fromIn.value.trim()), b = isoToDay(toIn.value.trim());
      fromIn.classList.toggle("ge-invalid", a === null && fromIn.value.trim() !== "");
      toIn.classList.toggle("ge-invalid", b === null && toIn.value.trim() !== "");
      if ((a === null && fromIn.value.trim() !== "") || (b === null && toIn.value.trim() !== "")) {
        return;  // half-typed: keep what is shown
      }
      apply(a, b);
    }

    // Playback: a one-week window moving through the period, one step every 0.8 s.
    function weeks() { return Math.floor((range[1] - range[0]) / 7) + 1; }
    function showWeek(k) {
      week = k;
      var a = range[0] + 7 * k, b = Math.min(range[1], a + 6);
      fromIn.value = dayToIso(a); toIn.value = dayToIso(b);
      apply(a, b);
    }
    function step() {
      if (!range) { return false; }
      var k = week + 1;
      if (k >= weeks()) { stop(); return false; }
      showWeek(k);
      return true;
    }
    function play() {
      if (week + 1 >= weeks()) { week = -1; }
      playBtn.textContent = "❚❚ Pause";
      playBtn.classList.add("ge-playing");
      step();
      timer = window.setInterval(function () { if (!step()) { stop(); } }, 800);
    }
    function stop() {
      if (timer) { window.clearInterval(timer); timer = null; }
      if (playBtn) { playBtn.textContent = "▶ Play"; playBtn.classList.remove("ge-playing"); }
    }

    // Incidents -----------------------------------------------------------------------------
    var useCanvas = D.renderer === "canvas";
    var incR = useCanvas ? new BatchCanvas({ pane: "geIncidents", padding: 0.2, tolerance: 2,
      sprites: true })
      : L.svg({ pane: "geIncidents" });
    var areaR = useCanvas ? new BatchCanvas({ pane: "geAreas", padding: 0.2 })
      : L.svg({ pane: "geAreas" });
    var sz = D.size;
    function radius(f) {
      return f === null || f <= 0 ? sz.base : Math.min(sz.max, sz.base + sz.scale * Math.sqrt(f));
    }
    var controlDrawn = (D.lines || []).length > 0 || (D.zones || []).length > 0 ||
      (D.areas || []).length > 0;
    var popupOptions = { maxWidth: 400, minWidth: 260, maxHeight: 440, className: "ge-popup-wrap",
      autoPanPaddingTopLeft: [10, (panel.offsetHeight || 0) + 20] };
    var markers = new Array(n), areas = new Array(n), shown = new Array(n);
    var typeGroups = groups.types;
    // Incidents: one marker (and ring, when approximate) each, added by the time filter.
    // One options object per event type and precision (copied into each marker by Leaflet),
    // with the key of its canvas sprites.
    var styles = types.map(function (ty, t) {
      return [false, true].map(function (approx) {
        return {
          renderer: incR, pane: "geIncidents", shape: ty.shape, zoomScale: useCanvas,
          className: "ge-incident" + (approx ? " ge-approx" : ""),
          // On a canvas (many incidents) dashes and thin outlines cost seconds to paint: the
          // hollow fill alone marks an approximate location there.
          color: approx ? ty.color : "#ffffff", weight: approx ? (useCanvas ? 1.5 : 2) : 1,
          opacity: 1, stroke: approx || !useCanvas, dashArray: approx && !useCanvas ? "3 2" : null,
          fillColor: approx ? "#ffffff" : ty.color, fillOpacity: approx ? 0.6 : 0.85,
          _geStyle: t + (approx ? "a" : "f")
        };
      });
    });
    function makeIncidents() {
      for (var i = 0; i < n; i++) {
        var m = new GeShape(new L.LatLng(inc.lat[i], inc.lon[i]),
          styles[inc.t[i]][inc.p[i] >= 2 ? 1 : 0]);
        m.options.geId = inc.id[i];
        m.options.radius = m._radius = radius(inc.f[i]);
        m.geIndex = i;
        markers[i] = m;
        shown[i] = false;
      }
      // The rings of approximate locations are made when their layer is first shown (on a
      // canvas map it starts hidden: 40,000 rings not made is half a second of loading).
      if (groups.areas && !map.hasLayer(groups.areas)) {
        groups.areas.once("add", makeRings);
      } else {
        makeRings();
      }
    }
    var ringsMade = false;
    function makeRings() {
      if (ringsMade) { return; }
      ringsMade = true;
      for (var i = 0; i < n; i++) {
        if (inc.p[i] >= 2 && D.precRadiusKm[inc.p[i]]) {
          var color = types[inc.t[i]].color;
          areas[i] = L.circle(markers[i]._latlng, {
            renderer: areaR, pane: "geAreas", radius: D.precRadiusKm[inc.p[i]] * 1000,
            color: color, weight: 1.5, opacity: 0.8, dashArray: "5 4", fillColor: color,
            fillOpacity: 0.07, interactive: false, className: "ge-area"
          });
          if (shown[i]) { addTo(groups.areas, areas[i]); }
        }
      }
    }
    makeIncidents();
    api.timings.objects = performance.now();

    // Screen boxes of the incidents shown (SVG maps only: a canvas map has too many), for
    // the labels to keep clear of.
    api.obstacles = function () {
      var out = [];
      if (useCanvas) { return out; }
      var size = map.getSize();
      for (var k = 0; k < n; k++) {
        if (!shown[k]) { continue; }
        var p = map.latLngToContainerPoint(markers[k].getLatLng()), r = markers[k].getRadius() + 2;
        if (p.x < -r || p.y < -r || p.x > size.x + r || p.y > size.y + r) { continue; }
        out.push([p.x - r, p.y - r, p.x + r, p.y + r]);
      }
      return out;
    };

    // Screen circles [x, y, r] of the rings of approximate locations shown.
    api.ringOutlines = function () {
      var out = [], size = map.getSize(), z = map.getZoom();
      if (!groups.areas || !map.hasLayer(groups.areas)) { return out; }
      for (var k = 0; k < n && out.length < 3000; k++) {
        if (!shown[k] || !areas[k]) { continue; }
        var c = areas[k].getLatLng(), p = map.latLngToContainerPoint(c);
        var mpp = 40075016.686 * Math.cos(c.lat * Math.PI / 180) / Math.pow(2, z + 8);
        var r = areas[k].getRadius() / mpp;
        if (p.x + r < 0 || p.y + r < 0 || p.x - r > size.x || p.y - r > size.y) { continue; }
        out.push([p.x, p.y, r]);
      }
      return out;
    };

    // The details of a large map come as one JSON text (inc.xs), parsed once the map is
    // drawn (or when a popup needs them first).
    function details() {
      if (!inc.x) {
        inc.x = JSON.parse(inc.xs || "[]");
        delete inc.xs;
        api.timings.details = performance.now();
        api.detailsReady = true;
      }
      return inc.x;
    }
    // An incident's details, by name, from the positional record in the data.
    function rec(i) {
      var packed = details()[i], x = {}, f = D.xf;
      for (var k = 0; k < f.length; k++) { x[f[k]] = k < packed.length ? packed[k] : null; }
      x.a = x.a || [null, null, null];
      x.cas = x.cas || []; x.cl = x.cl || []; x.pl = x.pl || ""; x.no = x.no || "";
      x.ds = str(x.ds); x.de = str(x.de); x.nm = str(x.nm); x.cn = str(x.cn);
      x.src = (x.src || []).map(function (s) { return [s[0], s[1], str(s[2]), s[3]]; });
      return x;
    }

    // One popup and one tooltip binding per layer group (not per marker): the group hands
    // over the marker that was clicked or hovered.
    typeGroups.forEach(function (g) {
      g.bindPopup(popupFor, popupOptions);
      g.bindTooltip(tooltipFor, { direction: "top", offset: [0, -6] });
    });
    function popupFor(layer) { return buildPopup(layer.geIndex); }
    function tooltipFor(layer) {
      var i = layer.geIndex, x = rec(i);
      var d = el("div", "ge-tip");
      add(d, el("b", null, placeName(x)));
      add(d, el("div", null, dateText(x) + " · " + types[inc.t[i]].name));
      if (inc.f[i] !== null) { add(d, el("div", null, inc.f[i] + " killed (best estimate)")); }
      return d;
    }

    function dateText(x) {
      var a = x.ds, b = x.de || a, p = str(x.dp);
      if (!a && !b) { return "date unknown"; }
      if (!a) { return "by " + b; }
      return (a === b ? a : a + " – " + b) + (p && p !== "unknown" ? " (" + p + ")" : "");
    }

    function placeName(x) { return x.nm || str(x.pr) || x.pl || "place unknown"; }

    // "78", "78 (70–90)", "at least 3", "up to 12": never an empty cell.
    function figureText(lo, best, hi) {
      if (best !== null && best !== undefined) {
        var r = (lo !== null && lo !== undefined && lo !== best) ||
          (hi !== null && hi !== undefined && hi !== best);
        return String(best) + (r ? " (" + (lo !== null && lo !== undefined ? lo : best) + "–" +
          (hi !== null && hi !== undefined ? hi : best) + ")" : "");
      }
      if (lo !== null && lo !== undefined && hi !== null && hi !== undefined) {
        return lo === hi ? String(lo) : lo + "–" + hi;
      }
      if (lo !== null && lo !== undefined) { return "at least " + lo; }
      if (hi !== null && hi !== undefined) { return "up to " + hi; }
      return null;
    }

    function row(tbody, label, value) {
      if (value === null || value === undefined || value === "") { return null; }
      var tr = add(tbody, el("tr"));
      add(tr, el("th", null, label));
      var td = add(tr, el("td"));
      if (typeof value === "string") { td.textContent = value; } else { td.appendChild(value); }
      return tr;
    }

    function controlText(x) {
      if (!x.z) { return null; }
      var zt;
      if (x.z[5]) {
        zt = "near the line" + (x.z[4] !== null ? " (" + x.z[4] + " km)" : "") +
          ": within its own location uncertainty, side not assigned" +
          (str(x.z[0]) ? " (nearest zone: " + str(x.z[0]) + ")" : "");
      } else if (str(x.z[0])) {
        zt = str(x.z[0]) + " zone" + (str(x.z[2]) ? ", " + str(x.z[2]) + " side" : "") +
          (str(x.z[1]) ? " (" + str(x.z[1]) + " bank)" : "") +
          (x.z[4] !== null ? ", " + x.z[4] + " km from the line" : "");
      } else {
        zt = "outside the zones drawn (or the line's dates)";
      }
      return zt + (str(x.z[3]) ? " — line " + str(x.z[3]) : "");
    }

    // Casualties: one row per side and kind with each source's figure; the quotes go once
    // per source, under the table.
    function casualtyTable(root, x) {
      var rows = [], quotes = [], seenQuote = {};
      (x.src || []).forEach(function (s) { if (s[3]) { seenQuote[s[3]] = true; } });
      x.cas.forEach(function (c) {
        var fig = figureText(c[2], c[3], c[4]);
        var who = str(c[5]);
        if (c[6] && !seenQuote[c[6]]) {
          seenQuote[c[6]] = true;
          quotes.push([who, c[6]]);
        }
        if (fig === null) { return; }
        rows.push([str(c[0]) || "side not stated", str(c[1]) || "killed", fig, who]);
      });
      if (!rows.length && !quotes.length) { return; }
      add(root, el("div", "ge-pop-h", "Casualties by side"));
      if (rows.length) {
        var anySource = rows.some(function (r) { return r[3]; });
        var t = add(root, el("table", "ge-cas"));
        var hr = add(add(t, el("thead")), el("tr"));
        ["Side", "", "Figure"].concat(anySource ? ["Per"] : []).forEach(function (h) {
          add(hr, el("th", null, h));
        });
        var tb = add(t, el("tbody"));
        rows.forEach(function (r) {
          var tr = add(tb, el("tr"));
          add(tr, el("td", null, r[0]));
          add(tr, el("td", null, r[1]));
          add(tr, el("td", "ge-num", r[2]));
          if (anySource) { add(tr, el("td", null, r[3] || "not attributed")); }
        });
      }
      quotes.forEach(function (q) {
        var b = add(root, el("blockquote", "ge-quote ge-cas-quote"));
        if (q[0]) { add(b, el("b", null, q[0] + ": ")); }
        add(b, document.createTextNode("“" + q[1] + "”"));
      });
    }

    function buildPopup(i) {
      var x = rec(i), ty = types[inc.t[i]];
      var root = el("div", "ge-popup");
      root.setAttribute("data-incident", inc.id[i]);
      var head = add(root, el("div", "ge-pop-head"));
      add(head, swatch(ty.shape, ty.color, { hollow: inc.p[i] >= 2 }));
      add(head, el("span", "ge-pop-type", ty.name + (str(x.st) ? " · " + str(x.st) : "")));
      add(root, el("div", "ge-pop-title", placeName(x)));
      var tbody = add(add(root, el("table", "ge-kv")), el("tbody"));
      row(tbody, "Date", dateText(x));
      row(tbody, "Area", [str(x.a1), x.cn || str(x.cc)].filter(Boolean).join(", "));
      row(tbody, "As written", x.pl && x.pl !== placeName(x) ? x.pl : "");
      if (str(x.pr) && str(x.pr) !== placeName(x) || str(x.pid)) {
        row(tbody, "Gazetteer", [str(x.pr), str(x.pid) ? "[" + str(x.pid) + "]" : ""]
          .filter(Boolean).join(" "));
      }
      var prec = D.precLabel[inc.p[i]] || ("geo_precision " + inc.p[i]);
      if (inc.p[i] >= 2 && D.precRadiusKm[inc.p[i]]) {
        prec += " — drawn as a dashed ring of about " + D.precRadiusKm[inc.p[i]] + " km";
      }
      var pr = row(tbody, "Location", prec + " (geo_precision " + inc.p[i] + ")");
      if (inc.p[i] >= 2 && pr) { pr.className = "ge-approx-row"; }
      var actors = [str(x.a[0]), str(x.a[1])].filter(Boolean).join(" vs ");
      if (str(x.a[2])) { actors += (actors ? "; " : "") + "with " + str(x.a[2]); }
      row(tbody, "Actors", actors);
      row(tbody, "Killed", figureText(x.fl, x.fb, x.fh));
      row(tbody, "Wounded", x.w !== null && x.w !== undefined ? String(x.w) : null);
      if (controlDrawn) { row(tbody, "Control", controlText(x)); }

      if (x.cas && x.cas.length) { casualtyTable(root, x); }
      if (x.cl && x.cl.length) {
        add(root, el("div", "ge-pop-h", "Claims"));
        var ul = add(root, el("ul", "ge-claims"));
        x.cl.forEach(function (c) {
          var li = add(ul, el("li"));
          add(li, el("b", null, (str(c[0]) || "Unattributed") + ": "));
          add(li, document.createTextNode(c[1] || ""));
          var bits = [];
          if (c[2] && c[2].length) { bits.push("confirmed by " + c[2].map(str).join(", ")); }
          if (c[3] && c[3].length) { bits.push("not confirmed by " + c[3].map(str).join(", ")); }
          bits.push(c[4] ? "independently confirmed" : "no independent confirmation");
          add(li, el("div", "ge-muted", bits.join("; ")));
        });
      }
      if (x.src && x.src.length) {
        add(root, el("div", "ge-pop-h", "Sources (" + x.src.length + ")"));
        var ol = add(root, el("ol", "ge-sources"));
        x.src.forEach(function (s) {
          var li = add(ol, el("li", "ge-source"));
          var url = safeUrl(str(s[1])), name = str(s[0]) || (url ? url.replace(/^https?:\/\//i, "").split("/")[0] : "unnamed source");
          if (url) {
            var a = add(li, el("a", "ge-src-link", name));
            a.setAttribute("href", url);
            a.setAttribute("target", "_blank");
            a.setAttribute("rel", "noopener noreferrer");
            a.setAttribute("title", url);
          } else {
            add(li, el("b", null, name));
            if (str(s[1])) { add(li, el("span", "ge-muted", " " + str(s[1]))); }
          }
          if (s[2]) { add(li, el("span", "ge-muted", " (" + s[2] + ")")); }
          if (s[3]) { add(li, el("blockquote", "ge-quote", "“" + s[3] + "”")); }
        });
      }
      if (x.no) {
        add(root, el("div", "ge-pop-h", "Notes"));
        add(root, el("div", "ge-notes", x.no));
      }
      add(root, el("div", "ge-id", inc.id[i]));
      return root;
    }

    // Time filter ---------------------------------------------------------------------------
    // Markers are added biggest first, so that small ones stay visible on top.
    var drawOrder = [];
    for (var q = 0; q < n; q++) { drawOrder.push(q); }
    drawOrder.sort(function (a, b) { return ((inc.f[b] || 0) - (inc.f[a] || 0)) || (a - b); });

    // On a canvas map a marker has no element of its own: adding 100,000 of them through
    // map.addLayer (events fired per marker that nothing listens to) takes about a second.
    // This does what FeatureGroup.addLayer, Map.addLayer and Path.onAdd do, minus those events;
    // removing goes the ordinary way.
    function addTo(g, layer) {
      var map = g._map, id = L.stamp(layer);
      if (!useCanvas || !map || !map._loaded || g._layers[id] || map._layers[id]) {
        g.addLayer(layer);
        return;
      }
      layer.addEventParent(g);
      g._layers[id] = layer;
      map._layers[id] = layer;
      layer._mapToAdd = map;
      layer._renderer = map.getRenderer(layer);
      layer._map = map;
      layer._zoomAnimated = map._zoomAnimated;
      layer.onAdd(map);
    }

    function apply(from, to) {
      var visible = 0;
      for (var k = 0; k < n; k++) {
        var i = drawOrder[k];
        var d0 = inc.d0[i], d1 = inc.d1[i];
        var want = d0 === null || ((from === null || d1 >= from) && (to === null || d0 <= to));
        if (want !== shown[i]) {
          var g = typeGroups[inc.t[i]];
          if (want) {
            addTo(g, markers[i]);
            if (areas[i]) { addTo(groups.areas, areas[i]); }
          } else {
            g.removeLayer(markers[i]);
            if (areas[i]) { groups.areas.removeLayer(areas[i]); }
          }
          shown[i] = want;
        }
        if (want) { visible++; }
      }
      // Control areas are shown as of the last day selected (valid_to is the next date of
      // the series, when the next state begins); everything else when it overlaps the dates.
      var asOf = to !== null ? to : (range ? range[1] : null);
      timed.forEach(function (t) {
        var want = t.asOf ?
          (asOf === null || ((t.from === null || t.from <= asOf) && (t.to === null || t.to > asOf))) :
          (from === null || t.to === null || t.to >= from) &&
          (to === null || t.from === null || t.from <= to);
        if (want !== t.shown) {
          if (want) { t.group.addLayer(t.layer); } else { t.group.removeLayer(t.layer); }
          t.shown = want;
        }
      });
      api.visible = visible;
      api.asOf = asOf;
      if (asOfLabel) { asOfLabel.textContent = asOf !== null ? "as of " + dayToIso(asOf) : ""; }
      if (api.placeLabels && api.ready) { api.placeLabels(); }
      showCount(visible);
      return visible;
    }
    function showCount(visible) {
      if (counter) {
        counter.textContent = "Showing " + visible + " of " + n + " incident" + (n === 1 ? "" : "s") +
          (D.undated ? " (" + D.undated + " undated, always shown)" : "");
      }
    }

    // Legend --------------------------------------------------------------------------------
    var legend = L.control({ position: "bottomright" });
    function addLegend() {
      legend.onAdd = function () {
        var div = el("div", "ge-legend leaflet-control");
        var btn = add(div, el("button", "ge-legend-toggle", "Legend"));
        btn.type = "button";
        var body = add(div, el("div", "ge-legend-body"));
        btn.addEventListener("click", function () { div.classList.toggle("ge-collapsed"); });
        add(body, el("div", "ge-legend-h", "Event type"));
        types.forEach(function (t) {
          if (!t.count) { return; }
          var r = add(body, el("div", "ge-legend-row ge-legend-type"));
          add(r, swatch(t.shape, t.color));
          add(r, el("span", null, t.name + " (" + t.count + ")"));
        });
        add(body, el("div", "ge-legend-h", "Fatalities (best estimate)" +
          (useCanvas ? ", at zoom 9+" : "")));
        var sr = add(body, el("div", "ge-legend-sizes"));
        sz.legend.forEach(function (f) {
          var r = radius(f), box = add(sr, el("span", "ge-size"));
          add(box, swatch("circle", "#888888", { size: Math.ceil(2 * r + 4), r: r }));
          add(box, el("span", null, f === 0 ? "0 / unknown" : (f >= sz.legend[sz.legend.length - 1] ? f + "+" : String(f))));
        });
        add(body, el("div", "ge-legend-h", "Location"));
        var l1 = add(body, el("div", "ge-legend-row"));
        add(l1, swatch("circle", "#555555"));
        add(l1, el("span", null, "at the named place"));
        var l2 = add(body, el("div", "ge-legend-row"));
        add(l2, swatch("circle", "#555555", { hollow: true }));
        add(l2, el("span", null, "approximate: hollow, in a dashed ring (" +
          Object.keys(D.precRadiusKm).map(function (k) { return "~" + D.precRadiusKm[k] + " km " + (k === "2" ? "near" : "region"); }).join(", ") + ")"));
        if ((D.lines || []).length || (D.zones || []).length) {
          add(body, el("div", "ge-legend-h", "Control lines and zones"));
          (D.lines || []).forEach(function (ln) {
            var r = add(body, el("div", "ge-legend-row ge-legend-line"));
            add(r, lineSwatch(ln.color, ln.kind !== "river"));
            add(r, el("span", null, (ln.name || ln.id) + " (" + validity(ln.valid_from, ln.valid_to) + ")"));
          });
          (D.zones || []).forEach(function (z) {
            var r = add(body, el("div", "ge-legend-row ge-legend-zone"));
            add(r, areaSwatch(z.color));
            add(r, el("span", null, (z.party || "party not given") + (z.side ? " (" + z.side + " side)" : "")));
          });
        }
        if ((D.areas || []).length) {
          var ch = add(body, el("div", "ge-legend-h", "Control areas "));
          asOfLabel = add(ch, el("span", "ge-asof"));
          var parties = {};
          D.areas.forEach(function (a) {
            var k = a.party + "|" + a.color;
            if (!parties[k]) {
              parties[k] = true;
              var r = add(body, el("div", "ge-legend-row ge-legend-party"));
              add(r, areaSwatch(a.color));
              add(r, el("span", null, a.party));
            }
          });
          if (D.areas.some(function (a) { return a.status !== "held"; })) {
            var r2 = add(body, el("div", "ge-legend-row ge-legend-party"));
            var sw = add(r2, areaSwatch("#888888"));
            sw.classList.add("ge-hatched");
            sw.style.background = "";
            add(r2, el("span", null, "contested, besieged or mixed (striped in both colours)"));
          }
        }
        if (D.hexagons) {
          add(body, el("div", "ge-legend-h", "Incidents per hexagon"));
          var hr = add(body, el("div", "ge-legend-row ge-legend-hex"));
          D.hexagons.classes.forEach(function (c, j) {
            var sw = add(hr, areaSwatch(D.hexagons.colors[j]));
            sw.title = c + "+";
            add(hr, el("span", null, (j === 0 ? "" : "") + c + "+"));
          });
        }
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      };
      legend.addTo(map);
    }
    addLegend();

    // Popups pan clear of the legend as well as of the title panel.
    typeGroups.forEach(function (g) {
      if (g._popup) {
        g._popup.options.autoPanPaddingBottomRight =
          [(legend.getContainer().offsetWidth || 0) + 20, 20];
      }
    });

    (D.attribution || []).forEach(function (a) { map.attributionControl.addAttribution(esc(a)); });

    L.Util.extend(api, {
      map: map, total: n, visible: 0, markers: markers, rings: areas,
      setRange: function (a, b) {
        stop(); week = -1;
        if (fromIn) { fromIn.value = a || ""; toIn.value = b || ""; }
        return apply(isoToDay(a), isoToDay(b));
      },
      step: step, play: play, stop: stop,
      playing: function () { return timer !== null; },
      openPopup: function (id) {
        var i = inc.id.indexOf(id);
        if (i < 0 || !shown[i]) { return false; }
        // as a click would: the marker's layer group opens the popup for it
        markers[i].fire("click", { latlng: markers[i].getLatLng() }, true);
        return true;
      }
    });

    if (window.innerHeight < 640 || window.innerWidth < 700) {
      legend.getContainer().classList.add("ge-collapsed");
    }
    // The view is fitted before the incidents are added (all dates: every one is shown, and
    // the panel says so), so that each marker is projected once, at the final zoom.
    showCount(n);
    if (D.bounds) {
      // Keep the data clear of the title panel (top) and the legend (bottom right).
      var lw = legend.getContainer().offsetWidth || 0, th = panel.offsetHeight || 0;
      var roomy = map.getSize().x > lw * 2.5;
      map.fitBounds([[D.bounds[1], D.bounds[0]], [D.bounds[3], D.bounds[2]]], {
        paddingTopLeft: [40, th + 30], paddingBottomRight: [roomy ? lw + 30 : 40, 40],
        maxZoom: 10, animate: false
      });
    }
    api.timings.fitted = performance.now();
    apply(null, null);
    api.timings.shown = performance.now();
    if (api.placeLabels) { api.placeLabels(); }
    api.timings.ready = performance.now();
    api.ready = true;
    api.detailsReady = !!inc.x;
    if (!inc.x) {  // after the first frame is on screen
      window.requestAnimationFrame(function () { window.setTimeout(details, 30); });
    }
    document.documentElement.setAttribute("data-geoevents-ready", "1");
    return api;
  }
})();
