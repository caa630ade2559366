"""`periodize fit`: an athlete's own response model from their loads and tests. The files it
reads (`data`), the least-squares problem (`problem`), the fit and its intervals (`estimate`,
`profile`) and the fitted preset it writes (`output`). docs/fit.md."""
