"""What the athlete actually did: the training log (`log`), read from CSV exports (`reading`)
and activity files (`activities`: FIT, TCX), each activity named as a library session
(`naming`). docs/log.md."""
