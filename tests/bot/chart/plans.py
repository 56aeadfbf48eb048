"""The largest plan the org chart has to draw, built with the commands a manager would type."""

from __future__ import annotations

from knowledge import ROLE_IDS

#: Every role of the knowledge base (the mature, agency, content and essential templates at
#: once), then the sizing engine's numbers for the most stores a plan takes, mature, on every
#: channel: 3-digit counts, a four-digit total and the longest context line.
LARGEST = [
    "plan stores 500",
    "plan stage mature",
    "plan channels live, short video, xiaohongshu, kuaishou, douyin",
    *[f"plan set {role} 1" for role in ROLE_IDS],
    "plan recommend",
]
