"""The plan, as the solver, the audit and every output read it: its schema (`schema`: days,
sessions, weeks, race-day predictions, and reading a plan file back), its assembly from the
chosen sessions (`assembly`), why a scenario has no plan (`conflict`), a re-plan's revisions
(`revisions`) and the days already done as pins (`pinning`)."""
