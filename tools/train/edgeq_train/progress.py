"""Per-epoch progress on stderr: tqdm (Debian python3-tqdm) when installed, else a small bar."""
import sys
import time


class _PlainBar:
    """Minimal stand-in for tqdm: redraws one line at most twice a second."""

    def __init__(self, total, desc, disable):
        self.total, self.desc, self.disable = total, desc, disable
        self.n, self.postfix, self.last_draw = 0, "", 0.0

    def update(self, n):
        self.n += n
        now = time.monotonic()
        if now - self.last_draw >= 0.5 or self.n >= self.total:
            self.last_draw = now
            self._draw()

    def set_postfix_str(self, text, refresh=False):
        self.postfix = text

    def _draw(self):
        if self.disable:
            return
        width = 24
        filled = int(width * self.n / max(1, self.total))
        sys.stderr.write(f"\r{self.desc} [{'#' * filled}{'.' * (width - filled)}] "
                         f"{self.n}/{self.total} {self.postfix}")
        sys.stderr.flush()

    def close(self):
        if not self.disable:
            self._draw()
            sys.stderr.write("\n")
            sys.stderr.flush()


def epoch_bar(total, desc, disable=False):
    try:
        from tqdm import tqdm
    except ImportError:
        return _PlainBar(total, desc, disable)
    return tqdm(total=total, desc=desc, unit="img", file=sys.stderr, disable=disable,
                mininterval=0.5, leave=True, dynamic_ncols=True)
