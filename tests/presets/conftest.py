import sys
from pathlib import Path

# The end-to-end helpers live in tests/; make them importable from this folder.
sys.path.insert(0, str(Path(__file__).parent.parent))
