"""The replies of a typical person (both pains, no warning signs), shared by the ask tests."""

# A typical person: both pains, no warning signs, every optional question answered: 30 prompts.
TYPICAL: tuple[str, ...] = (
    "none",  # checklist: none of these apply
    "52",
    "yes",
    "yes",
    "left",
    "20",
    "yes",
    "left",
    "3 months",  # weeks of knee pain, typed in months
    "heel first",
    "no",
    "knock knees",
    "yes",
    "yes",
    "6",  # pain right now, 0 to 10
    "walking, sport",
    "none",  # pain also or rather elsewhere
    "rest, insoles",
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
