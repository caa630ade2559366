"""The CP-SAT model of a scenario, built without searching: decision variables (`variables`), one
module per rule family (`rules/`), the objective (`objective`, `busso`), reading the model's
proto (`proto`), and `build.build_model`, which puts them together."""
