"""Draw: the charts, with matplotlib (imported only here, only when there is a chart to draw)."""
