import sys
from pathlib import Path

# pytest puts this folder on sys.path; the sandbox helpers live in its parent.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
