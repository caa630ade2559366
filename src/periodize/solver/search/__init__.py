"""Searching the model: the pipeline and its stages in the order they run (`pipeline`), what a
solve may spend (`budget`), every CP-SAT parameter set (`parameters`), one run of the whole
model (`runs`), the plan read back from a solved model (`extract`), a first plan by
construction (`construct`), the week-skeleton branch and bound (`skeleton`, `pieces`,
`relaxation`), redundant cuts (`cuts`), warm starts (`warm_start`), what a solve has reached
(`progress`) and stopping a solve on request (`stopping`)."""
