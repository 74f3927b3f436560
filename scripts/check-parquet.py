#!/usr/bin/env python3
"""Open descent's per-particle Parquet files with the readers users have — pyarrow, pandas,
polars and DuckDB — and check that they agree with each other and with the file names' particle
ranges. Not part of npm test (it needs those Python packages); run it by hand:

    descent run study.json --shard 0/2 --out out --per-particle      # …and --shard 1/2
    python3 scripts/check-parquet.py out/particles-*.parquet

Prints one line per file; exits 1 on any disagreement."""
import re
import sys

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow.parquet as pq

ok = True
for path in sys.argv[1:]:
    first, end = map(int, re.search(r"particles-(\d+)-(\d+)\.parquet$", path).groups())
    table = pq.read_table(path)
    df = pd.read_parquet(path)
    pf = pl.read_parquet(path)
    duck = duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY particle").df()
    cols = table.column_names
    same = list(df.columns) == cols == list(pf.columns) == list(duck.columns) and len(df) == len(pf) == len(duck) == table.num_rows == end - first
    same = same and table.column("particle").to_pylist() == list(range(first, end))
    for c in cols:
        a = table.column(c).to_numpy()
        for b in (df[c].to_numpy(), pf[c].to_numpy(), duck[c].to_numpy()):
            same = same and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    print(f"{path}: {table.num_rows} rows, columns {', '.join(cols)}; pyarrow, pandas, polars and DuckDB {'agree' if same else 'DISAGREE'}")
    ok = ok and same
sys.exit(0 if ok else 1)
