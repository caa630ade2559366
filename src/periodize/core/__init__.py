"""The bottom layer, shared by every other: the domain's vocabulary (session categories, race
priorities, phases), the errors a user can act on and the command line's exit codes, and files
read and written whole."""
