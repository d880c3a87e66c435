"""maps: draws and writes GeoDataFrames (incidents, lines, zones, basemap layers).

Knows no incident classes: its input is a GeoDataFrame with a documented column schema.
"""

__all__: list[str] = []
