"""Charts of a figure's history: the series an answer gives (series), drawn headless as a PNG (draw), cached per
series version and rendered off the request path (cache). matplotlib is imported by the first drawing only."""
