"""Many solves at once: candidate peak dates for one race and a squad's plans (`batch`), a
sweep's rounds (`racing`) and the rankings the solver's uncertainty cannot overturn (`ranking`),
run on a local process pool (`pool`) or a Dask scheduler (`cluster`), and the tables and plot
people read (`table`). docs/compare.md."""
