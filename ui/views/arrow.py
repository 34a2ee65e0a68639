"""Tables kept for display as Arrow tables: immutable, so a kept view hands them out without a copy, and
st.dataframe sends them as they are (a pandas frame is converted to Arrow on every run, ~0.2 ms a table)."""
from __future__ import annotations

import pandas as pd
import pyarrow as pa


def table(df: pd.DataFrame) -> pa.Table:
    """`df` as shown (its columns, no index: the pages draw tables with hide_index=True)."""
    return pa.Table.from_pandas(df, preserve_index=False)
