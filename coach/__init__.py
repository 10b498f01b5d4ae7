"""coach: a terminal meeting coach for mentoring and 1:1 meetings held over video.

The package is the domain and the CLI; it never imports Textual (only `coach.app` does,
and only when the app is started).
"""

__version__ = "0.1.0"
