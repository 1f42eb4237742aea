def without(row: dict, *keys: str) -> dict:
    """A copy of `row` without `keys`: a demo row's fields minus those handled by hand."""
    return {key: value for key, value in row.items() if key not in keys}
