"""The author's plotting helpers."""

COLOURS = ["#1b9e77", "#d95f02", "#7570b3"]
