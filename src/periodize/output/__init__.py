"""A plan for people and programs: the terminal view (`terminal`), the HTML report (`report`,
`report_page`), the calendar, CSV and Markdown exports (`export`) and the published JSON Schemas
(`schemas`)."""
