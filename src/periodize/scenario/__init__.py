"""What the user wrote and what it implies, without the solver: the scenario schema (`schema`),
the rules' settings (`rules`) and the rule registry (`registry`), the response models'
parameters (`response`) and their simulation (`simulation`), cited presets from models/
(`presets`), loading a file (`loading`) with its pre-checks (`precheck`), the calendar a
scenario implies (`timeline`), training already done (`completed`) and `periodize init`'s
starter scenario (`starter`)."""
