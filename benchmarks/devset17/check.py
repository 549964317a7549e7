"""Validate the devset17 gold files: python3 check.py [doc ...] (see ../check_gold.py)"""
import runpy
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
sys.argv[1:1] = [str(here)]
runpy.run_path(str(here.parent / "check_gold.py"), run_name="__main__")
