"""`factorcheck serve`: the questionnaire as a local web page, and the report as a page to print."""
