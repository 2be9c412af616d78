"""The replies of a typical person (both pains, no warning signs), shared by the ask tests."""

# A typical person: both pains, no warning signs, every optional question answered.
TYPICAL: tuple[str, ...] = (
    "none",  # checklist: none of these apply
    "52",
    "yes",
    "yes",
    "left",
    "20",
    "yes",
    "left",
    "heel first",
    "no",
    "knock knees",
    "yes",
    "yes",
    "a little",
    "yes",
    "not sure",
    "168",
    "74",
    "yes",
    "no",
    "none",
    "no",
    "no",
    "no",
    "",  # review: see the report
)
