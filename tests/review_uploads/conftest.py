import sys

# Pillow installed apart (pip --target) for ImageField probes only.
if "/tmp/review_uploads_pylib" not in sys.path:
    sys.path.append("/tmp/review_uploads_pylib")
