"""The CP-SAT solver: the model of a scenario (`model`: variables, one builder per rule family,
the objective), the search that solves it (`search`: the pipeline's stages, their budget and
CP-SAT's parameters, and the plan read back from a solved model), re-planning after
training happened (`replan`) and explaining an infeasible scenario (`explain`). Only this
package imports OR-Tools."""
